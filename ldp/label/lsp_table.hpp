#pragma once
// ldp/'s outputs (DECISIONS.md 4): the LSP table for the resolver (FEC -> how to reach it over
// LDP) and the LFIB decisions (our incoming label -> what to do with it). Both are published as
// changes; a change with no paths/entries means "gone".
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"

namespace isthmus::ldp::label {

// One way to a FEC: the core next hop, its interface and the label the next hop gave us
// (implicit null: it is the egress, push nothing for LDP).
struct LspNextHop {
    Ipv4Address next_hop;
    uint32_t ifindex = 0;
    MplsLabel out_label = MplsLabel::implicit_null();
    auto operator<=>(const LspNextHop&) const = default;
};

// The LSP table's row for a FEC; next_hops sorted, empty when the FEC has no usable LSP.
struct LspChange {
    Ipv4Prefix fec;
    std::vector<LspNextHop> next_hops;
    bool operator==(const LspChange&) const = default;
};

// An LFIB entry: traffic arriving with in_label goes out on every path (multipath); a path's
// out_label implicit null means pop (penultimate hop), anything else means swap.
struct LfibEntry {
    MplsLabel in_label = MplsLabel::implicit_null();
    Ipv4Prefix fec;
    std::vector<LspNextHop> paths;  // empty: remove the entry
    bool operator==(const LfibEntry&) const = default;
};

std::string to_string(const LspNextHop& h);
std::string to_string(const LfibEntry& e);

}  // namespace isthmus::ldp::label
