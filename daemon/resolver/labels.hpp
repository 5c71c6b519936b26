#pragma once
// The label stack pushed toward an egress PE, from the LDP label of the core next hop and the BGP
// label the egress advertised (DECISIONS.md items 4 and 5).
#include <string>

#include "lib/mpls_label.hpp"
#include "lib/result.hpp"

namespace isthmus::daemon::resolver {

// Outer label first. Errors say why the path cannot be used ("BGP label 1 (router-alert) is reserved").
//  - BGP label 0, 1 or 4-15: unusable. BGP 2 is pushed as is; BGP 3 (implicit null, what BIRD and
//    FRR send for their own routes) means push the LDP label only.
//  - LDP implicit null (the core next hop is the egress): push the BGP label alone.
//  - Both null: push IPv6 explicit null (2), because a route via ::ffff:A without an MPLS encap
//    would need neighbour discovery on an IPv4-only link.
Result<LabelStack, std::string> stack_for(MplsLabel ldp_out, MplsLabel bgp);

}  // namespace isthmus::daemon::resolver
