#pragma once
// DECISIONS 2: the BGP RIB's view of next hops, answered from the core. A 6PE next hop ::ffff:A is
// usable only when it resolves onto a labelled path (an IPv4 route to A and an LDP label or implicit
// null for its FEC), so a path with no LSP never wins best path and black-holes traffic.
#include <vector>

#include "bgp/rib/types.hpp"
#include "daemon/resolver/core_view.hpp"
#include "lib/config/types.hpp"

namespace isthmus::daemon::resolver {

class NextHopTracker : public bgp::rib::NextHopView {
public:
    explicit NextHopTracker(const CoreView& core) : core_(core) {}
    bgp::rib::NextHopState lookup(const Ipv4Address& egress_pe) const override;
    bgp::rib::NextHopState lookup(const Ipv6Address& next_hop) const override;

private:
    const CoreView& core_;
};

}  // namespace isthmus::daemon::resolver
