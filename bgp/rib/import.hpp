#pragma once
// Import checks (issue 6 items 4 and 8) on one received route before the import policy:
// loop detection (AS_PATH, RFC 4456 ORIGINATOR_ID / CLUSTER_LIST), next-hop validation, and
// the attributes an eBGP peer may not set for us.
#include <string>

#include "bgp/codec/attributes.hpp"
#include "bgp/codec/next_hop.hpp"
#include "bgp/rib/rib.hpp"
#include "bgp/rib/types.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp::rib {

enum class LoopCheck { ok, as_path, originator_id, cluster_list };
// RFC 4271 9.1.2: our AS in the path; RFC 4456 8: our router id as ORIGINATOR_ID or our
// cluster id in CLUSTER_LIST.
LoopCheck check_loops(const PathAttributes& a, const RibConfig& cfg);

// The next hop of a route received in family f, or why it is unacceptable: 6PE needs
// ::ffff:A with A not 0.0.0.0, not multicast, not ours; IPv6 unicast needs a global unicast
// address that is not ours (a link-local one may follow it).
Result<PathNextHop, std::string> validate_next_hop(Family f, const NextHop& nh, const PeerFacts& peer,
                                                   const RibConfig& cfg);

// RFC 4271 5.1.5 and RFC 4456: LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST from an eBGP peer are ignored.
void strip_ebgp_only_attributes(PathAttributes& a);

}  // namespace isthmus::bgp::rib
