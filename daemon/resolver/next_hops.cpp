#include "daemon/resolver/next_hops.hpp"

#include "daemon/resolver/egress.hpp"

namespace isthmus::daemon::resolver {

bgp::rib::NextHopState NextHopTracker::lookup(const Ipv4Address& egress_pe) const {
    // Usability does not depend on the BGP label, except for reserved ones, which the resolver
    // reports per path; implicit null stands for "any label".
    auto r = resolve_egress(egress_pe, MplsLabel::implicit_null(), core_);
    return {r.resolved(), r.igp_cost, r.reason};
}

bgp::rib::NextHopState NextHopTracker::lookup(const Ipv6Address& next_hop) const {
    if (core_.ipv6_interface(next_hop)) return {true, 0, ""};
    return {false, 0, "no IPv6 route to " + next_hop.to_string()};
}

}  // namespace isthmus::daemon::resolver
