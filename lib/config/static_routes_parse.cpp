// "static-routes": IPv6 routes this router installs (and may redistribute into BGP).
#include "sections.hpp"

namespace isthmus::config::detail {

namespace {

std::optional<Ipv6Address> parse_next_hop(const Node& n) {
    auto a = n.parsed(Ipv6Address::parse);
    if (!a) return std::nullopt;
    // A v4-mapped gateway means "over the MPLS core" and needs labels; that is 6PE's job, not a static route's.
    if (a->is_v4_mapped() || a->is_unspecified() || a->bytes()[0] == 0xff) {
        n.error(a->to_string() + " is not a usable next hop (unicast, not IPv4-mapped)");
        return std::nullopt;
    }
    return a;
}

}  // namespace

std::vector<StaticRoute> parse_static_routes(const Node& n) {
    std::vector<StaticRoute> routes;
    std::vector<std::pair<Ipv6Prefix, std::string>> seen;  // prefix, path of its entry
    for (const auto& item : n.array().value_or(std::vector<Node>{})) {
        auto o = ObjectNode::open(item, {"prefix", "next-hop", "interface", "blackhole"});
        if (!o) continue;
        StaticRoute r;
        if (auto p = o->require("prefix")) {
            if (auto v = p->parsed(Ipv6Prefix::parse_strict)) {
                r.prefix = *v;
                for (const auto& [other, where] : seen)
                    if (other == *v) p->error(v->to_string() + " is already routed by " + where);
                seen.emplace_back(*v, item.path());
            }
        }
        bool next_hop_given = o->has("next-hop");
        if (auto nh = o->get("next-hop")) r.next_hop = parse_next_hop(*nh);
        if (auto i = o->get("interface")) r.interface = parse_interface_name(*i);
        o->read("blackhole", r.blackhole);

        if (r.blackhole && (next_hop_given || o->has("interface"))) {
            o->get("blackhole")->error("a blackhole route takes no \"next-hop\" or \"interface\"");
        } else if (!r.blackhole && !next_hop_given && !o->has("interface")) {
            item.error("needs \"next-hop\", \"interface\" or \"blackhole\": true");
        } else if (r.next_hop && r.next_hop->is_link_local() && !o->has("interface")) {
            o->get("next-hop")->error(r.next_hop->to_string() + " is link-local and needs \"interface\"");
        }
        routes.push_back(std::move(r));
    }
    return routes;
}

}  // namespace isthmus::config::detail
