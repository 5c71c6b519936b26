#pragma once
// DECISIONS 2: the BGP RIB's view of next hops, answered from the core. A 6PE next hop ::ffff:A is
// usable only when it resolves onto a labelled path (an IPv4 route to A and an LDP label or implicit
// null for its FEC), so a path with no LSP never wins best path and black-holes traffic. Without a
// kernel to program (a route reflector, kernel.install false) an IPv4 route to A is enough, as on
// any reflector: it forwards nothing itself.
//
// Answers are cached per next hop (a full table shares a handful of next hops) until the core
// changes: invalidate() before asking the RIB to re-decide.
#include <map>
#include <vector>

#include "bgp/rib/types.hpp"
#include "daemon/resolver/core_view.hpp"
#include "lib/config/types.hpp"

namespace isthmus::daemon::resolver {

class NextHopTracker : public bgp::rib::NextHopView {
public:
    explicit NextHopTracker(const CoreView& core, bool require_lsp = true) : core_(core), require_lsp_(require_lsp) {}
    bgp::rib::NextHopState lookup(const Ipv4Address& egress_pe) const override;
    bgp::rib::NextHopState lookup(const Ipv6Address& next_hop) const override;
    void invalidate() {
        cache4_.clear();
        cache6_.clear();
    }

private:
    const CoreView& core_;
    bool require_lsp_;
    mutable std::map<Ipv4Address, bgp::rib::NextHopState> cache4_;
    mutable std::map<Ipv6Address, bgp::rib::NextHopState> cache6_;
};

}  // namespace isthmus::daemon::resolver
