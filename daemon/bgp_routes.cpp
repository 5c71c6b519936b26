// "show bgp routes [prefix] [--family ipv6-unicast|ipv6-labeled-unicast]": the Loc-RIB with every
// path (selected or not, with the next-hop state DECISIONS 2 gave it) and how the prefix is
// forwarded (from the resolver: installed paths, or why not).
#include "daemon/bgp_service.hpp"

#include <algorithm>

#include "lib/log.hpp"

namespace isthmus::daemon {

using control::Json;

namespace {

const char* family_name(bgp::Family f) {
    switch (f) {
        case bgp::Family::Ipv6Unicast: return "ipv6-unicast";
        case bgp::Family::Ipv6Labeled: return "ipv6-labeled-unicast";
        case bgp::Family::Ipv4Unicast: return "ipv4-unicast";
        case bgp::Family::Ipv4Labeled: return "ipv4-labeled-unicast";
    }
    return "?";
}

std::string next_hop_text(const bgp::rib::PathNextHop& n) {
    if (n.mapped) return "::ffff:" + n.mapped->to_string();
    if (n.ipv6) return n.ipv6->to_string();
    if (n.link_local) return n.link_local->to_string();
    return "";
}

Json path_json(const bgp::rib::PathView& p, const std::string& from) {
    Json labels = Json::array();
    for (auto l : p.labels) labels.push_back(l.value());
    Json j{{"from", from},
           {"family", family_name(p.family)},
           {"next-hop", next_hop_text(p.next_hop)},
           {"labels", labels},
           {"selected", p.rank >= 0},
           {"best", p.rank == 0},
           {"stale", p.stale},
           {"next-hop-usable", p.next_hop_state.usable},
           {"igp-cost", p.next_hop_state.igp_cost}};
    if (!p.next_hop_state.usable) j["unusable-reason"] = p.next_hop_state.reason;
    if (p.attrs) {
        if (p.attrs->local_pref) j["local-preference"] = *p.attrs->local_pref;
        if (p.attrs->med) j["med"] = *p.attrs->med;
        j["as-path"] = p.attrs->as_path ? p.attrs->as_path->to_string() : "";
        if (p.attrs->origin) j["origin"] = int(*p.attrs->origin);
    }
    return j;
}

}  // namespace

std::string BgpService::peer_name(bgp::rib::PeerId id) const {
    if (id == bgp::rib::kLocalPeer) return "local";
    for (const auto& [s, pid] : ids_)
        if (pid == id) return s->neighbor().address.to_string();
    return "peer " + std::to_string(id.value);
}

Json BgpService::routes(const std::optional<Ipv6Prefix>& only, std::optional<bgp::Family> family) const {
    std::vector<Ipv6Prefix> prefixes = only ? std::vector<Ipv6Prefix>{*only} : rib_->prefixes();
    std::sort(prefixes.begin(), prefixes.end());
    Json out = Json::array();
    for (const auto& p : prefixes) {
        auto view = rib_->prefix_view(p);
        if (!view) continue;
        Json paths = Json::array();
        for (const auto& path : view->paths)
            if (!family || path.family == *family) paths.push_back(path_json(path, peer_name(path.peer)));
        if (paths.empty()) continue;
        Json j{{"prefix", p.to_string()}, {"paths", paths}};
        if (auto l = rib_->advertised_label(p)) j["advertised-label"] = l->value();
        if (outputs_.forwarding_of) j["forwarding"] = outputs_.forwarding_of(p);
        out.push_back(std::move(j));
    }
    return Json{{"routes", out}, {"loc-rib-prefixes", rib_->loc_rib_size()}};
}

void BgpService::add_routes_command(control::Registry& registry) {
    auto r = registry.add(
        {"show bgp routes", "[prefix]",
         "Loc-RIB paths with labels, next hops, next-hop state and forwarding (--family ipv6-unicast|ipv6-labeled-unicast)",
         0, 1, {"family"}, [this](const control::Call& c) -> Result<Json, std::string> {
             std::optional<Ipv6Prefix> only;
             if (!c.args.empty()) {
                 auto p = Ipv6Prefix::parse(c.args[0]);
                 if (!p) return err("not an IPv6 prefix: " + c.args[0]);
                 only = *p;
             }
             std::optional<bgp::Family> family;
             if (auto it = c.options.find("family"); it != c.options.end()) {
                 if (it->second == "ipv6-unicast") family = bgp::Family::Ipv6Unicast;
                 else if (it->second == "ipv6-labeled-unicast") family = bgp::Family::Ipv6Labeled;
                 else return err("unknown family " + it->second + " (ipv6-unicast or ipv6-labeled-unicast)");
             }
             return routes(only, family);
         }});
    if (!r) log::error("control: {}", r.error());
}

}  // namespace isthmus::daemon
