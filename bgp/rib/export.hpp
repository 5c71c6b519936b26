#pragma once
// Export rules (issue 6 items 4 and 8): what, if anything, the best path of a prefix becomes
// toward one peer and family. Pure: the caller interns and packs the result.
#include <optional>
#include <string>

#include "bgp/codec/attributes.hpp"
#include "bgp/codec/next_hop.hpp"
#include "bgp/rib/path.hpp"
#include "bgp/rib/rib.hpp"
#include "lib/mpls_label.hpp"

namespace isthmus::bgp::rib {

struct ExportedRoute {
    PathAttributes attrs;
    NextHop next_hop;
    LabelStack labels;  // Ipv6Labeled only
};

struct ExportInput {
    Ipv6Prefix prefix;
    const Path* path = nullptr;             // the best path
    const PeerFacts* source = nullptr;      // its peer; null for local routes
    bool target_is_source = false;          // the target is the peer the path came from
    const PeerFacts* target = nullptr;
    Family family = Family::Ipv6Labeled;    // the family sent to the target
    std::optional<MplsLabel> own_label;     // our label for this prefix (when the path is not a 6PE one)
};

// Why a route is not exported (for tests and debug logs).
enum class ExportVeto {
    none, no_advertise, no_export, split_horizon_ebgp, ibgp_to_ibgp, policy, no_local_address, not_6pe_capable,
};

struct ExportResult {
    std::optional<ExportedRoute> route;
    ExportVeto veto = ExportVeto::none;
};

// The families a peer gets: 6PE to iBGP peers that negotiated it, IPv6 unicast to IPv6 sessions
// that negotiated it (never over an IPv4 session: that would not be 6PE).
bool sends_family(const PeerFacts& peer, Family f);

ExportResult export_route(const ExportInput& in, const RibConfig& cfg);

}  // namespace isthmus::bgp::rib
