#pragma once
// The decision process (RFC 4271 9.1) as small comparisons, each one step; a comparison
// returns <0 when a is better, >0 when b is better, 0 when the step does not decide.
// select() applies the steps as the RFC does (9.1.2.2): each step removes the candidates
// some other candidate beats, which is what makes the MED rule (only between paths from
// the same neighbouring AS) work without a total order.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "bgp/codec/attributes.hpp"
#include "lib/asn.hpp"
#include "lib/ip_address.hpp"

namespace isthmus::bgp::rib {

inline constexpr uint32_t kDefaultLocalPref = 100;

// What the decision looks at for one path.
struct Candidate {
    const PathAttributes* attrs = nullptr;
    bool next_hop_usable = true;
    uint32_t igp_cost = 0;
    bool local = false;        // a route of this router
    bool from_ebgp = false;
    Asn neighbor_as{0};        // AS the path came from (first AS of the path; local AS for iBGP/local)
    RouterId router_id{0};     // ORIGINATOR_ID if present, else the peer's BGP identifier
    IpAddress peer_address{Ipv4Address{}};
};

struct DecisionOptions {
    bool always_compare_med = false;
    std::size_t max_paths = 1;
};

// Step 9.1.2.1: an unusable next hop (for 6PE: no labelled path, DECISIONS 2) is not eligible.
int compare_next_hop_usable(const Candidate& a, const Candidate& b);
// This router's own routes (static/redistributed) win over learned ones, as BIRD's preference
// and FRR's weight do; not an RFC step.
int compare_local_origin(const Candidate& a, const Candidate& b);
// 9.1.1: highest LOCAL_PREF (missing: 100).
int compare_local_pref(const Candidate& a, const Candidate& b);
// 9.1.2.2 a: shortest AS_PATH (a set counts as one, confederation segments as zero).
int compare_as_path_length(const Candidate& a, const Candidate& b);
// 9.1.2.2 b: lowest ORIGIN (IGP < EGP < INCOMPLETE).
int compare_origin(const Candidate& a, const Candidate& b);
// 9.1.2.2 c: lowest MED (missing = 0) between paths from the same neighbouring AS, or any two
// with always-compare-med.
int compare_med(const Candidate& a, const Candidate& b, bool always_compare_med);
// 9.1.2.2 d: eBGP over iBGP.
int compare_ebgp_over_ibgp(const Candidate& a, const Candidate& b);
// 9.1.2.2 e: lowest IGP cost to the next hop.
int compare_igp_cost(const Candidate& a, const Candidate& b);
// 9.1.2.2 f with RFC 4456 9: lowest ORIGINATOR_ID / BGP identifier.
int compare_router_id(const Candidate& a, const Candidate& b);
// RFC 4456 9: shortest CLUSTER_LIST.
int compare_cluster_list_length(const Candidate& a, const Candidate& b);
// 9.1.2.2 g: lowest peer address.
int compare_peer_address(const Candidate& a, const Candidate& b);

// Indexes into candidates: the multipath set, best first (at most max_paths: the paths equal
// up to the IGP cost step, ordered by the remaining steps). Empty when none is eligible.
std::vector<std::size_t> select(std::span<const Candidate> candidates, const DecisionOptions& opt);

}  // namespace isthmus::bgp::rib
