// The root of the document: version, router-wide settings, the sections, and
// the references between sections, checked once everything has been read.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config.hpp"
#include "json_text.hpp"
#include "sections.hpp"

namespace isthmus::config {

namespace {

using namespace detail;

// A file written for another schema version is not checked against v1: its errors would be noise.
// Returns false when parsing should stop.
bool check_version(const Node& root, Context& ctx) {
    auto it = root.json().find("version");
    if (it == root.json().end()) {
        ctx.error("version", "required key is missing (this isthmusd reads \"version\": 1)");
        return true;
    }
    Node v(*it, "version", ctx);
    if (!it->is_number_integer()) {
        v.error("expected the integer 1, got " + describe(*it));
        return true;
    }
    if (it->is_number_unsigned() && it->get<uint64_t>() == kSchemaVersion) return true;
    ctx.errors = {{"version", it->dump() + " is not supported (this isthmusd reads version 1)"}};
    return false;
}

void parse_control_socket(const ObjectNode& o, std::string& out) {
    auto n = o.get("control-socket");
    if (!n) return;
    auto s = n->text();
    if (!s) return;
    if (s->empty() || s->front() != '/')
        n->error(quote(*s) + " is not an absolute path");
    else if (s->size() > 107)  // sun_path holds 108 bytes with the terminating NUL
        n->error("is longer than 107 bytes, the limit of a Unix socket path");
    else
        out = *s;
}

template <class Map>
void check_names(std::vector<NameRef>& refs, const Map& defined, std::string_view what, Context& ctx) {
    std::vector<std::string_view> names;
    for (const auto& [name, value] : defined) names.push_back(name);
    for (const auto& ref : refs) {
        if (defined.contains(ref.name)) continue;
        auto message = std::string(what) + " " + quote(ref.name) + " is not defined";
        if (auto guess = closest(ref.name, names)) message += " (did you mean " + quote(*guess) + "?)";
        ctx.error(ref.path, std::move(message));
    }
}

// Rules that tie sections together.
void check_sections(const Config& c, Context& ctx) {
    // Peers would send labelled packets that nothing here forwards: a black hole.
    if (c.ldp && !c.kernel.install)
        ctx.error("kernel.install",
                  "false cannot be combined with \"ldp\" (LDP peers would send labelled traffic "
                  "that this router does not forward)");
}

void check_references(const Config& c, Context& ctx) {
    check_names(ctx.policy_refs, c.policies, "policy", ctx);
    check_names(ctx.prefix_list_refs, c.prefix_lists, "prefix-list", ctx);
    for (const auto& ref : ctx.neighbor_refs) {
        bool known = false;
        if (c.bgp)
            for (const auto& nb : c.bgp->neighbors) known = known || nb.address == ref.address;
        if (!known) ctx.error(ref.path, ref.address.to_string() + " is not a configured BGP neighbor");
    }
}

}  // namespace

Result<Config, std::vector<Error>> parse(std::string_view json_text) {
    Context ctx;
    auto doc = parse_json_text(json_text, ctx);
    if (!doc) return err(std::move(ctx.errors));
    Node root(*doc, "", ctx);
    if (!doc->is_object()) {
        root.error("expected a JSON object at the top level, got " + describe(*doc));
        return err(std::move(ctx.errors));
    }
    if (!check_version(root, ctx)) return err(std::move(ctx.errors));

    auto o = ObjectNode::open(root, {"version", "router-id", "log-level", "control-socket", "labels", "kernel",
                                     "static-routes", "prefix-lists", "policies", "ldp", "bgp"});
    Config c;
    std::optional<RouterId> router_id;
    if (auto r = o->require("router-id")) router_id = r->parsed(RouterId::parse);
    if (router_id) c.router_id = *router_id;
    o->read_parsed("log-level", c.log_level, log::parse_level);
    parse_control_socket(*o, c.control_socket);
    if (auto n = o->get("labels")) parse_labels(*n, c.labels);
    if (auto n = o->get("kernel")) parse_kernel(*n, c.kernel);
    if (auto n = o->get("static-routes")) c.static_routes = parse_static_routes(*n);
    if (auto n = o->get("prefix-lists")) c.prefix_lists = parse_prefix_lists(*n);
    if (auto n = o->get("policies")) c.policies = parse_policies(*n);
    if (auto n = o->get("ldp")) c.ldp = parse_ldp(*n, router_id);
    if (auto n = o->get("bgp")) c.bgp = parse_bgp(*n);
    check_sections(c, ctx);
    check_references(c, ctx);

    if (!ctx.errors.empty()) return err(std::move(ctx.errors));
    return c;
}

Result<Config, std::vector<Error>> load_file(const std::string& path) {
    auto fail = [&](std::string message) { return err(std::vector<Error>{{path, std::move(message)}}); };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return fail("is a directory, not a config file");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(std::string("cannot open: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return fail(std::string("cannot read: ") + std::strerror(errno));
    auto result = parse(text.str());
    if (result) return result;
    auto errors = result.error();
    for (auto& e : errors)
        if (e.path.empty()) e.path = path;
    return err(std::move(errors));
}

}  // namespace isthmus::config
