#include "bgp/rib/export.hpp"

#include <algorithm>

#include "bgp/policy/policy.hpp"

namespace isthmus::bgp::rib {

bool sends_family(const PeerFacts& peer, Family f) {
    if (!peer.has_family(f)) return false;
    if (f == Family::Ipv6Labeled) return peer.ibgp;
    if (f == Family::Ipv6Unicast) return peer.address.is_v6();
    return false;  // IPv4 families: not this speaker's business
}

namespace {

bool has_community(const PathAttributes& a, Community c) {
    return std::find(a.communities.begin(), a.communities.end(), c) != a.communities.end();
}

void prepend_local_as(PathAttributes& a, Asn local) {
    if (!a.as_path) a.as_path = AsPath{};
    auto& segs = a.as_path->segments;
    if (segs.empty() || segs.front().type != AsPathSegment::Type::Sequence || segs.front().asns.size() >= 255)
        segs.insert(segs.begin(), AsPathSegment{AsPathSegment::Type::Sequence, {}});
    segs.front().asns.insert(segs.front().asns.begin(), local);
}

std::optional<NextHop> self_ipv6(const PeerFacts& t) {
    if (!t.local_ipv6) return std::nullopt;
    return NextHop{Ipv6NextHop{*t.local_ipv6, t.local_ipv6_link_local}};
}

}  // namespace

ExportResult export_route(const ExportInput& in, const RibConfig& cfg) {
    const Path& path = *in.path;
    const PeerFacts& target = *in.target;
    const bool from_ibgp = in.source && in.source->ibgp;
    const bool from_ebgp = in.source && !in.source->ibgp;
    PathAttributes a = *path.attrs;

    // RFC 1997 well-known communities (no confederations: NO_EXPORT_SUBCONFED acts as NO_EXPORT).
    if (has_community(a, Community::no_advertise())) return {std::nullopt, ExportVeto::no_advertise};
    if (!target.ibgp &&
        (has_community(a, Community::no_export()) || has_community(a, Community::no_export_subconfed())))
        return {std::nullopt, ExportVeto::no_export};
    // Never back to the eBGP peer it came from.
    if (from_ebgp && in.target_is_source) return {std::nullopt, ExportVeto::split_horizon_ebgp};
    // RFC 4456 6: iBGP routes go to iBGP peers only from or to a route-reflector client.
    const bool reflect = from_ibgp && target.ibgp;
    if (reflect && !in.source->route_reflector_client && !target.route_reflector_client)
        return {std::nullopt, ExportVeto::ibgp_to_ibgp};

    // Next hop and labels.
    ExportedRoute out;
    if (in.family == Family::Ipv6Labeled) {
        if (path.next_hop.mapped && from_ibgp) {
            // Reflected 6PE route: next hop and label unchanged (RFC 4456, issue 6 item 6).
            out.next_hop = MappedNextHop{*path.next_hop.mapped};
            out.labels = path.labels;
        } else if (path.next_hop.mapped) {
            return {std::nullopt, ExportVeto::not_6pe_capable};
        } else {
            if (!target.local_ipv4) return {std::nullopt, ExportVeto::no_local_address};
            out.next_hop = MappedNextHop{*target.local_ipv4};
            out.labels = LabelStack{in.own_label.value_or(MplsLabel::ipv6_explicit_null())};
        }
    } else {
        // IPv6 unicast: next-hop-self, except iBGP-learned unicast reflected to iBGP.
        if (reflect && path.next_hop.ipv6 && !path.next_hop.mapped) {
            out.next_hop = Ipv6NextHop{*path.next_hop.ipv6, std::nullopt};
        } else {
            auto self = self_ipv6(target);
            if (!self) return {std::nullopt, ExportVeto::no_local_address};
            out.next_hop = *self;
        }
    }

    // Attributes that do not cross an AS boundary, removed before the policy may set them.
    if (!target.ibgp) {
        a.local_pref.reset();
        a.med.reset();  // RFC 4271 5.1.4: a MED never goes on to another neighbouring AS
        a.originator_id.reset();
        a.cluster_list.clear();
    }

    // Export policy; RFC 8212: eBGP needs one, iBGP passes without.
    const config::Policy* pol = nullptr;
    if (target.export_policy) {
        auto it = cfg.policies.find(*target.export_policy);
        if (it != cfg.policies.end()) pol = &it->second;
    }
    if (pol) {
        policy::RouteFacts facts{in.prefix, path.source, in.source ? std::optional(in.source->address) : std::nullopt};
        policy::Environment env{&cfg.prefix_lists, cfg.local_as};
        auto o = policy::evaluate(*pol, policy::Direction::export_, facts, std::move(a), env);
        if (!o.accepted) return {std::nullopt, ExportVeto::policy};
        a = std::move(o.attrs);
    } else if (!target.ibgp) {
        return {std::nullopt, ExportVeto::policy};
    }

    if (!target.ibgp) {
        prepend_local_as(a, cfg.local_as);
    } else {
        if (!a.local_pref) a.local_pref = 100;
        if (reflect) {
            // RFC 4456 8.
            if (!a.originator_id) a.originator_id = in.source->router_id;
            a.cluster_list.insert(a.cluster_list.begin(), cfg.cluster_id);
        }
    }
    if (!a.origin) a.origin = Origin::Igp;
    if (!a.as_path) a.as_path = AsPath{};
    a.next_hop.reset();  // carried in MP_REACH
    out.attrs = std::move(a);
    return {std::move(out), ExportVeto::none};
}

}  // namespace isthmus::bgp::rib
