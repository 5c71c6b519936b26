// "bgp": the speaker, its neighbors and what it redistributes (RFC 4271, RFC 4798 6PE).
#include <algorithm>

#include "sections.hpp"

namespace isthmus::config::detail {

namespace {

std::optional<IpAddress> parse_neighbor_address(const Node& n) {
    auto a = n.parsed(IpAddress::parse);
    if (!a) return std::nullopt;
    if (a->is_v4() ? a->v4().is_unspecified() || a->v4().bytes()[0] >= 224
                   : a->v6().is_unspecified() || a->v6().bytes()[0] == 0xff) {
        n.error(a->to_string() + " is not a unicast address");
        return std::nullopt;
    }
    if (a->is_v6() && a->v6().is_v4_mapped()) {
        n.error(a->to_string() + " is IPv4-mapped; write the IPv4 address " + a->v6().to_v4()->to_string());
        return std::nullopt;
    }
    if (a->is_v6() && a->v6().is_link_local()) {
        n.error(a->to_string() + " is link-local; v1 needs a global address for a BGP session");
        return std::nullopt;
    }
    return a;
}

std::string family_word(const IpAddress& a) { return a.is_v4() ? "IPv4" : "IPv6"; }

// RFC 4271 4.2: hold time 0 (no keepalives) or at least 3 s; keepalives must come more often than the hold time.
void parse_timers(const Node& n, BgpTimers& t) {
    auto o = ObjectNode::open(n, {"hold-time", "keepalive-time", "connect-retry-time"});
    if (!o) return;
    bool hold_ok = true;
    if (auto h = o->get("hold-time")) {
        auto v = h->integer(0, 65535);
        if (v && (*v == 1 || *v == 2)) {
            h->error(std::to_string(*v) + " is out of range (0 or 3..65535)");
            v.reset();
        }
        if (v) t.hold_time = Seconds(*v);
        hold_ok = v.has_value();
    }
    t.keepalive_time = t.hold_time / 3;
    if (auto k = o->get("keepalive-time"); k && hold_ok) {
        auto hold = t.hold_time.count();
        auto v = k->integer(0, 65535);
        if (v && hold == 0 && *v != 0) {
            k->error(std::to_string(*v) + " must be 0 when hold-time is 0 (no keepalives are sent)");
            v.reset();
        } else if (v && hold != 0 && (*v == 0 || int64_t(*v) >= hold)) {
            k->error(std::to_string(*v) + " is out of range (1.." + std::to_string(hold - 1) + ", below hold-time " +
                     std::to_string(hold) + ")");
            v.reset();
        }
        if (v) t.keepalive_time = Seconds(*v);
    } else if (k) {
        k->integer(0, 65535);  // still report a wrong type; the hold time's error is reported already
    }
    o->read_int("connect-retry-time", t.connect_retry_time, 1, 65535);
}

std::optional<MaxPrefixes> parse_max_prefixes(const Node& n) {
    auto o = ObjectNode::open(n, {"limit", "action", "restart-time"});
    if (!o) return std::nullopt;
    MaxPrefixes m;
    bool ok = false;
    if (o->require("limit")) ok = o->read_int("limit", m.limit, 1, 0xFFFFFFFFu);
    o->read_enum("action", m.action, kMaxPrefixActionNames);
    if (o->read_int("restart-time", m.restart_time, 0, 65535) && m.action == MaxPrefixes::Action::warn)
        o->get("restart-time")->error("applies to \"action\": \"teardown\" only");
    if (!ok) return std::nullopt;
    return m;
}

// Each family with the node it came from, for the cross-field errors.
std::vector<std::pair<Family, Node>> parse_families(const Node& n) {
    std::vector<std::pair<Family, Node>> out;
    auto items = n.array();
    if (!items) return out;
    if (items->empty()) n.error("must not be empty (leave the key out for the default)");
    for (const auto& item : *items) {
        auto f = item.one_of(kFamilyNames);
        if (!f) continue;
        if (std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.first == *f; }))
            item.error(quote(name_of(kFamilyNames, *f)) + " is listed twice");
        else
            out.emplace_back(*f, item);
    }
    return out;
}

struct ParsedNeighbor {
    BgpNeighbor neighbor;
    bool address_ok = false;
};

// The cross-field rules of a neighbor: which families its transport can carry, and
// which knobs make sense for iBGP or eBGP. `local_as` is unset when it was invalid.
void check_neighbor(const ObjectNode& o, const BgpNeighbor& nb, bool address_ok, bool remote_as_ok,
                    std::optional<Asn> local_as, const std::vector<std::pair<Family, Node>>& families) {
    if (address_ok) {
        // 6PE runs over IPv4 sessions (RFC 4798); IPv6 unicast to an IPv4 peer would not be 6PE.
        for (const auto& [family, node] : families) {
            if (family == Family::ipv6_labeled_unicast && nb.address.is_v6())
                node.error("\"ipv6-labeled-unicast\" (6PE) runs over IPv4 sessions; " + nb.address.to_string() +
                           " is IPv6");
            if (family == Family::ipv6_unicast && nb.address.is_v4())
                node.error("\"ipv6-unicast\" needs an IPv6 session; over IPv4 (" + nb.address.to_string() +
                           ") use \"ipv6-labeled-unicast\" (6PE)");
        }
        if (nb.update_source && nb.update_source->is_v4() != nb.address.is_v4())
            o.get("update-source")
                ->error(nb.update_source->to_string() + " is " + family_word(*nb.update_source) +
                        " but the neighbor address " + nb.address.to_string() + " is " + family_word(nb.address));
    }
    if (!remote_as_ok || !local_as) return;
    bool ibgp = nb.remote_as == *local_as;
    if (!ibgp && nb.has(Family::ipv6_labeled_unicast))
        o.get("remote-as")
            ->error(nb.remote_as.to_string() + " is not the local AS " + local_as->to_string() +
                    ", but ipv6-labeled-unicast (6PE, the family of an IPv4 neighbor) runs over iBGP only");
    if (ibgp && nb.multihop)
        o.get("multihop")->error("applies to eBGP only (iBGP sessions are not limited to one hop)");
    if (nb.multihop && nb.ttl_security)
        o.get("ttl-security")->error("cannot be combined with \"multihop\" (it sets the accepted hop count itself)");
    if (!ibgp && nb.route_reflector_client) o.get("route-reflector-client")->error("applies to iBGP neighbors only");
}

ParsedNeighbor parse_neighbor(const Node& n, std::optional<Asn> local_as) {
    ParsedNeighbor out;
    auto& nb = out.neighbor;
    auto o = ObjectNode::open(n, {"address", "remote-as", "description", "families", "passive", "timers", "password",
                                  "update-source", "multihop", "ttl-security", "import-policy", "export-policy",
                                  "route-reflector-client", "max-prefixes", "shutdown", "shutdown-message"});
    if (!o) return out;
    if (auto a = o->require("address")) {
        auto v = parse_neighbor_address(*a);
        if (v) nb.address = *v;
        out.address_ok = v.has_value();
    }
    bool remote_as_ok = false;
    if (auto r = o->require("remote-as")) {
        auto v = parse_asn(*r);
        if (v) nb.remote_as = *v;
        remote_as_ok = v.has_value();
    }
    o->read("description", nb.description);
    std::vector<std::pair<Family, Node>> families;
    if (auto f = o->get("families")) {
        families = parse_families(*f);
        for (const auto& [family, node] : families) nb.families.push_back(family);
    } else if (out.address_ok) {  // the one family each transport can carry
        nb.families = {nb.address.is_v4() ? Family::ipv6_labeled_unicast : Family::ipv6_unicast};
    }
    o->read("passive", nb.passive);
    if (auto t = o->get("timers")) parse_timers(*t, nb.timers);
    if (auto p = o->get("password")) nb.password = parse_password(*p);
    o->read_parsed("update-source", nb.update_source, IpAddress::parse);
    o->read_int("multihop", nb.multihop, 2, 255);
    o->read_int("ttl-security", nb.ttl_security, 1, 254);
    if (auto p = o->get("import-policy")) nb.import_policy = parse_policy_ref(*p);
    if (auto p = o->get("export-policy")) nb.export_policy = parse_policy_ref(*p);
    o->read("route-reflector-client", nb.route_reflector_client);
    if (auto m = o->get("max-prefixes")) nb.max_prefixes = parse_max_prefixes(*m);
    o->read("shutdown", nb.shutdown);
    if (o->read("shutdown-message", nb.shutdown_message) && nb.shutdown_message.size() > 255)
        o->get("shutdown-message")->error("is longer than 255 bytes (RFC 9003)");
    check_neighbor(*o, nb, out.address_ok, remote_as_ok, local_as, families);
    return out;
}

void parse_graceful_restart(const Node& n, BgpGracefulRestart& gr) {
    auto o = ObjectNode::open(n, {"mode", "restart-time", "stale-routes-time"});
    if (!o) return;
    o->read_enum("mode", gr.mode, kGracefulRestartModeNames);
    o->read_int("restart-time", gr.restart_time, 1, 4095);  // 12 bits in the capability (RFC 4724)
    o->read_int("stale-routes-time", gr.stale_routes_time, 1, 3600);
}

std::optional<uint8_t> parse_kernel_protocol(const Node& n) {
    if (n.json().is_number_integer()) {
        auto v = n.integer(0, 255);
        if (v && *v <= 2) {
            n.error(std::to_string(*v) + (*v == 2 ? " is the kernel's own routes; use \"connected\": true"
                                                  : " is not a routing protocol id"));
            return std::nullopt;
        }
        return v ? std::optional<uint8_t>(uint8_t(*v)) : std::nullopt;
    }
    if (n.json().is_string() && n.json().get<std::string>() == "kernel") {
        n.error("\"kernel\" is the kernel's own routes; use \"connected\": true");
        return std::nullopt;
    }
    if (!n.json().is_string()) {
        n.error("expected a protocol name or id (3..255), got " + describe(n.json()));
        return std::nullopt;
    }
    return n.one_of(kKernelProtocolNames);
}

void parse_redistribute(const Node& n, Redistribute& r) {
    auto o = ObjectNode::open(n, {"connected", "static-routes", "kernel-protocols", "policy"});
    if (!o) return;
    o->read("connected", r.connected);
    o->read("static-routes", r.static_routes);
    for (const auto& item : array_items(*o, "kernel-protocols")) {
        auto p = parse_kernel_protocol(item);
        if (!p) continue;
        if (std::find(r.kernel_protocols.begin(), r.kernel_protocols.end(), *p) != r.kernel_protocols.end())
            item.error("protocol " + std::to_string(*p) + " is listed twice");
        else
            r.kernel_protocols.push_back(*p);
    }
    if (auto p = o->get("policy")) r.policy = parse_policy_ref(*p);
}

std::vector<IgpCostOverride> parse_igp_costs(const Node& n) {
    std::vector<IgpCostOverride> out;
    std::vector<std::pair<Ipv4Address, std::string>> seen;
    for (const auto& item : n.array().value_or(std::vector<Node>{})) {
        auto o = ObjectNode::open(item, {"next-hop", "igp-cost"});
        if (!o) continue;
        IgpCostOverride c;
        if (auto nh = o->require("next-hop")) {
            if (auto v = nh->parsed(Ipv4Address::parse)) {
                c.next_hop = *v;
                for (const auto& [other, where] : seen)
                    if (other == *v) nh->error(v->to_string() + " is already listed at " + where);
                seen.emplace_back(*v, item.path());
            }
        }
        if (o->require("igp-cost")) o->read_int("igp-cost", c.cost, 0, 0xFFFFFFFFu);
        out.push_back(c);
    }
    return out;
}

}  // namespace

std::optional<Bgp> parse_bgp(const Node& n) {
    auto o = ObjectNode::open(n, {"local-as", "cluster-id", "label-mode", "max-paths", "always-compare-med",
                                  "graceful-restart", "redistribute", "igp-cost-overrides", "neighbors"});
    if (!o) return std::nullopt;
    Bgp bgp;
    std::optional<Asn> local_as;
    if (auto a = o->require("local-as")) local_as = parse_asn(*a);
    if (local_as) bgp.local_as = *local_as;
    o->read_parsed("cluster-id", bgp.cluster_id, RouterId::parse);
    o->read_enum("label-mode", bgp.label_mode, kLabelModeNames);
    o->read_int("max-paths", bgp.max_paths, 1, 64);
    o->read("always-compare-med", bgp.always_compare_med);
    if (auto gr = o->get("graceful-restart")) parse_graceful_restart(*gr, bgp.graceful_restart);
    if (auto r = o->get("redistribute")) parse_redistribute(*r, bgp.redistribute);
    if (auto c = o->get("igp-cost-overrides")) bgp.igp_cost_overrides = parse_igp_costs(*c);

    std::vector<std::pair<IpAddress, std::string>> seen;
    for (const auto& item : array_items(*o, "neighbors")) {
        auto [nb, address_ok] = parse_neighbor(item, local_as);
        if (address_ok) {
            for (const auto& [other, where] : seen)
                if (other == nb.address)
                    n.ctx().error(item.path() + ".address", nb.address.to_string() + " is already used by " + where);
            seen.emplace_back(nb.address, item.path());
        }
        bgp.neighbors.push_back(std::move(nb));
    }
    return bgp;
}

}  // namespace isthmus::config::detail
