#pragma once
// Resolving one 6PE path: egress PE ::ffff:A with BGP label L -> the labelled ways out of this PE
// (issue 11 item 1, DECISIONS 2, 4, 5). Pure: reads a CoreView, keeps nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "daemon/resolver/core_view.hpp"
#include "lib/mpls_label.hpp"

namespace isthmus::daemon::resolver {

// One way out: the core next hop, its interface and the stack pushed (outer first).
struct ForwardingPath {
    Ipv4Address gateway;
    uint32_t ifindex = 0;
    LabelStack labels;
    auto operator<=>(const ForwardingPath&) const = default;
};

// Resolved when `paths` is non-empty; otherwise `reason` says why not, in words for show commands.
struct EgressResolution {
    std::vector<ForwardingPath> paths;  // sorted, no duplicates
    uint32_t igp_cost = 0;              // the kernel route's metric
    std::optional<Ipv4Prefix> fec;      // the kernel route (= LDP FEC) A resolved through
    std::string reason;
    bool resolved() const { return !paths.empty(); }
};

EgressResolution resolve_egress(const Ipv4Address& egress, MplsLabel bgp_label, const CoreView& core);

}  // namespace isthmus::daemon::resolver
