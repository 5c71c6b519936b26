// "show fib" and "show nexthops": what isthmusd has in the kernel (read back, not what it meant
// to install) and how each egress PE resolves.
#include "daemon/forwarder.hpp"
#include "daemon/kernel_check.hpp"
#include "lib/log.hpp"

namespace isthmus::daemon {

using control::Call;
using control::Json;

namespace {

Json labels_json(const LabelStack& s) {
    Json a = Json::array();
    for (auto l : s) a.push_back(l.value());
    return a;
}

}  // namespace

std::string Forwarder::interface_name(uint32_t ifindex) const {
    if (const auto* l = monitor_->view().link(ifindex)) return l->name;
    return "if" + std::to_string(ifindex);
}

Json Forwarder::summary() const {
    Json layer = nullptr;
    if (fib_) {
        auto st = fib_->stats();
        layer = Json{{"routes", st.routes}, {"objects", st.objects}, {"groups", st.groups},
                     {"mpls-routes", st.mpls_routes}, {"route-bytes", st.route_bytes}, {"batches", st.batches},
                     {"requests", st.requests}, {"failures", st.failures}, {"retries", st.retries},
                     {"repairs", st.repairs}, {"reconciliations", st.reconciliations}, {"adopted", st.adopted},
                     {"swept", st.swept}, {"idle", fib_->idle()}, {"failing", fib_->failures()}};
    }
    const auto& rs = resolver_->stats();
    Json res{{"prefixes", resolver_->prefixes()}, {"installed", resolver_->installed_prefixes()}, {"route-sets", rs.route_sets}, {"route-removes", rs.route_removes},
             {"object-replaces", rs.object_replaces}};
    Json preconditions = Json::array();
    for (const auto& f : netlink::check_preconditions(precondition_input(cfg_))) preconditions.push_back(f.to_string());
    const auto& ms = monitor_->stats();
    Json monitor{{"messages", ms.messages}, {"overruns", ms.overruns}, {"resyncs", ms.resyncs},
                 {"malformed", ms.malformed}};
    return Json{{"layer", layer}, {"resolver", res}, {"monitor", monitor}, {"preconditions", preconditions}};
}

void Forwarder::add_commands(control::Registry& registry) {
    registry_ = &registry;
    auto add = [&](control::Command c) {
        if (auto r = registry.add(std::move(c)); !r) log::error("control: {}", r.error());
    };
    add({"show fib", "[prefix]", "isthmusd's routes, nexthop objects, groups and MPLS routes, read back from the kernel",
         0, 1, {}, [this](const Call& c) -> Result<Json, std::string> {
             if (!fib_) return err(std::string("the kernel layer is off (kernel.install is false)"));
             std::optional<Ipv6Prefix> only;
             if (!c.args.empty()) {
                 auto p = Ipv6Prefix::parse(c.args[0]);
                 if (!p) return err("not an IPv6 prefix: " + c.args[0]);
                 only = *p;
             }
             // A socket of its own: the read must not interleave with the Fib's batches.
             auto k = netlink::Kernel::open(io_);
             if (!k) return err("kernel: " + k.error());
             auto state = (*k)->read_state_sync();
             if (!state) return err("reading the kernel: " + state.error());
             Json routes = Json::array(), objects = Json::array(), groups = Json::array(), mpls = Json::array();
             for (const auto& r : state->routes6) {
                 if (only && r.prefix != *only) continue;
                 routes.push_back({{"prefix", r.prefix.to_string()}, {"nhid", r.nhid.value}, {"metric", r.metric},
                                   {"table", r.table}});
             }
             for (const auto& o : state->nexthops)
                 objects.push_back({{"id", o.id.value}, {"gateway", o.gateway.to_string()},
                                    {"interface", interface_name(o.ifindex)}, {"onlink", o.onlink},
                                    {"labels", labels_json(o.labels)}});
             for (const auto& g : state->groups) {
                 Json members = Json::array();
                 for (const auto& m : g.members) members.push_back({{"id", m.id.value}, {"weight", m.weight}});
                 groups.push_back({{"id", g.id.value}, {"members", members}});
             }
             for (const auto& m : state->mpls_routes) {
                 Json paths = Json::array();
                 for (const auto& p : m.paths)
                     paths.push_back({{"via", p.via ? p.via->to_string() : ""},
                                      {"interface", interface_name(p.ifindex)},
                                      {"out-labels", labels_json(p.out_labels)}});
                 mpls.push_back({{"in-label", m.in_label.value()}, {"paths", paths}, {"text", netlink::to_string(m)}});
             }
             Json out = summary();
             out["routes"] = routes;
             out["nexthops"] = objects;
             out["groups"] = groups;
             out["mpls"] = mpls;
             return out;
         }});
    add({"show fib summary", "", "counters of the kernel layer and the resolver, and missing kernel preconditions "
         "(no kernel read: cheap at any table size)", 0, 0, {},
         [this](const Call&) -> Result<Json, std::string> { return summary(); }});
    add({"show nexthops", "", "each egress PE (BGP next hop and label): its core route, LSPs and label stacks", 0, 0, {},
         [this](const Call&) -> Result<Json, std::string> {
             Json out = Json::array();
             resolver_->for_each_egress([&](const Ipv4Address& pe, MplsLabel label,
                                           const resolver::EgressResolution& r, std::size_t users) {
                 Json paths = Json::array();
                 for (const auto& p : r.paths)
                     paths.push_back({{"core-next-hop", p.gateway.to_string()},
                                      {"interface", interface_name(p.ifindex)}, {"labels", labels_json(p.labels)}});
                 out.push_back({{"egress", pe.to_string()},
                                {"bgp-label", label.is_implicit_null() ? "imp-null" : std::to_string(label.value())},
                                {"resolved", r.resolved()}, {"fec", r.fec ? r.fec->to_string() : ""},
                                {"igp-cost", r.igp_cost}, {"reason", r.reason}, {"prefixes", users},
                                {"paths", paths}});
             });
             return Json{{"next-hops", out}};
         }});
}

}  // namespace isthmus::daemon
