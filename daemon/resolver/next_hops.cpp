#include "daemon/resolver/next_hops.hpp"

#include "daemon/resolver/egress.hpp"

namespace isthmus::daemon::resolver {

bgp::rib::NextHopState NextHopTracker::lookup(const Ipv4Address& egress_pe) const {
    if (auto it = cache4_.find(egress_pe); it != cache4_.end()) return it->second;
    bgp::rib::NextHopState s;
    if (!require_lsp_) {
        auto route = core_.route_to(egress_pe);
        s = route ? bgp::rib::NextHopState{true, route->metric, ""}
                  : bgp::rib::NextHopState{false, 0, "no IPv4 route to " + egress_pe.to_string()};
    } else {
        // Usability does not depend on the BGP label, except for reserved ones, which the resolver
        // reports per path; implicit null stands for "any label".
        auto r = resolve_egress(egress_pe, MplsLabel::implicit_null(), core_);
        s = {r.resolved(), r.igp_cost, r.reason};
    }
    return cache4_.emplace(egress_pe, std::move(s)).first->second;
}

bgp::rib::NextHopState NextHopTracker::lookup(const Ipv6Address& next_hop) const {
    if (auto it = cache6_.find(next_hop); it != cache6_.end()) return it->second;
    bgp::rib::NextHopState s = core_.ipv6_interface(next_hop)
                                   ? bgp::rib::NextHopState{true, 0, ""}
                                   : bgp::rib::NextHopState{false, 0, "no IPv6 route to " + next_hop.to_string()};
    return cache6_.emplace(next_hop, std::move(s)).first->second;
}

}  // namespace isthmus::daemon::resolver
