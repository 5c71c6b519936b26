#pragma once
// Value types shared by the RIB's parts and its users (the session layer and daemon/).
// The RIB holds IPv6 routes only: IPv6 unicast (CEs) and 6PE (AFI 2/SAFI 4, RFC 4798)
// meet in one Loc-RIB keyed by Ipv6Prefix, because a CE route and a 6PE route for the
// same prefix compete in one decision process.
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/attributes.hpp"
#include "bgp/codec/family.hpp"
#include "bgp/codec/negotiate.hpp"
#include "lib/asn.hpp"
#include "lib/config/types.hpp"
#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"

namespace isthmus::bgp::rib {

// Chosen by the session layer, one per configured neighbour and kept across reconnects (a peer back
// from a graceful restart replaces its own stale paths); kLocalPeer marks routes of this router.
struct PeerId {
    uint32_t value = 0;
    auto operator<=>(const PeerId&) const = default;
};
inline constexpr PeerId kLocalPeer{0};

// Interned, immutable attribute set (STYLE 10). Equal sets share one object.
using Attrs = std::shared_ptr<const PathAttributes>;

// What the session knows about an Established peer, handed over in Rib::peer_up().
struct PeerFacts {
    IpAddress address{Ipv4Address{}};  // the peer's address (tie-break 9.1.2.2 g)
    Asn remote_as{0};
    RouterId router_id{0};             // BGP identifier from its OPEN
    bool ibgp = false;                 // remote_as == local AS
    bool route_reflector_client = false;
    Negotiated negotiated;             // families, coding contexts, route refresh
    // Local addresses of the session: 6PE next hop ::ffff:<local_ipv4> toward iBGP peers,
    // next-hop-self (local_ipv6, plus the link-local when known) toward CEs.
    std::optional<Ipv4Address> local_ipv4;
    std::optional<Ipv6Address> local_ipv6;
    std::optional<Ipv6Address> local_ipv6_link_local;
    std::optional<std::string> import_policy;  // config names, resolved against the RIB's config
    std::optional<std::string> export_policy;
    // Keep the pre-policy Adj-RIB-In so a policy change needs no ROUTE-REFRESH (true when the
    // peer cannot refresh: !negotiated.route_refresh).
    bool soft_reconfiguration_inbound = false;
    // RFC 4724: the peer announced GR for these families (we act as helper on a graceful down).
    std::vector<Family> graceful_restart_families;

    bool has_family(Family f) const {
        for (auto x : negotiated.families)
            if (x == f) return true;
        return false;
    }
};

// A route of this router (config static route, redistributed connected/kernel route).
struct LocalRoute {
    Ipv6Prefix prefix;
    config::RouteSource source = config::RouteSource::static_route;
    std::optional<Ipv6Address> next_hop;  // the route's gateway; none for connected/blackhole
    uint8_t kernel_protocol = 0;          // rtm_protocol for RouteSource::kernel
    bool operator==(const LocalRoute&) const = default;
};

// The next hop of a path, as the resolver needs it.
//  - Mapped: a 6PE path from an iBGP peer, egress PE ::ffff:v4 (resolved over an LSP);
//  - Ipv6:   an IPv6 unicast path from a CE, or a local route's gateway.
struct PathNextHop {
    std::optional<Ipv4Address> mapped;
    std::optional<Ipv6Address> ipv6;
    std::optional<Ipv6Address> link_local;
    auto operator<=>(const PathNextHop&) const = default;
};

// DECISIONS 2: what daemon/ tells the RIB about a next hop. For a 6PE (mapped) next hop,
// usable means "resolved onto a usable labelled path", not just an IPv4 route.
struct NextHopState {
    bool usable = false;
    uint32_t igp_cost = 0;  // kernel metric (RTA_PRIORITY); config overrides win (applied by the RIB)
    std::string reason;     // why unusable, for show commands
};

class NextHopView {
public:
    virtual ~NextHopView() = default;
    virtual NextHopState lookup(const Ipv4Address& egress_pe) const = 0;  // 6PE next hop
    virtual NextHopState lookup(const Ipv6Address& next_hop) const = 0;   // CE / local next hop
};

// One path of a best-path set, as the resolver and show commands see it.
struct SelectedPath {
    PeerId peer;
    PathNextHop next_hop;
    LabelStack labels;  // received 6PE labels (DECISIONS 5 applies in the resolver); empty for unicast
    Attrs attrs;
    bool from_ebgp = false;
    bool local = false;  // a route of this router (static/connected/kernel)
};

// The multipath set for a prefix: best first; empty means no usable path (remove the route).
struct BestPathSet {
    Ipv6Prefix prefix;
    std::vector<SelectedPath> paths;
};

// A Loc-RIB path as show commands report it: selected (in the best path set, best first) or
// not, with what the next-hop view says about it.
struct PathView {
    PeerId peer;
    Family family = Family::Ipv6Unicast;
    PathNextHop next_hop;
    LabelStack labels;
    Attrs attrs;
    bool local = false;
    bool stale = false;
    int rank = -1;  // position in the best path set; -1: not selected
    NextHopState next_hop_state;
};

struct PrefixView {
    Ipv6Prefix prefix;
    std::vector<PathView> paths;
};

// An egress LFIB entry for a label this router advertised (label modes, issue 6 item 3).
struct EgressLabel {
    enum class Action : uint8_t {
        PopToNextHop,  // pop, forward the IPv6 packet to next_hop (per-prefix/per-nexthop toward a CE)
        PopAndLookup,  // pop, look the IPv6 destination up in the main table (per-table, local routes)
    };
    MplsLabel label = MplsLabel::ipv6_explicit_null();
    Action action = Action::PopAndLookup;
    std::optional<Ipv6Address> next_hop;
    bool operator==(const EgressLabel&) const = default;
};

// Counters (show commands and tests): what the RIB ignored or refused, and why.
struct RibCounters {
    uint64_t ignored_ipv4 = 0;                // IPv4 families (incl. RFC 8950): not this speaker's business
    uint64_t ignored_unicast_from_ipv4_ibgp = 0;  // plain IPv6 unicast from an iBGP peer: not 6PE
    uint64_t ignored_unlabeled_6pe = 0;      // AFI 2/SAFI 4 with a non-mapped next hop
    uint64_t as_path_loops = 0;              // our AS in AS_PATH (RFC 4271 9.1.2)
    uint64_t originator_loops = 0;           // RFC 4456 8: our router id as ORIGINATOR_ID
    uint64_t cluster_loops = 0;              // RFC 4456 8: our cluster id in CLUSTER_LIST
    uint64_t bad_next_hops = 0;              // next-hop validation failures
    uint64_t import_rejected = 0;            // import policy (or RFC 8212 default) said no
    uint64_t treat_as_withdraw = 0;          // RFC 7606 errors that withdrew an UPDATE's routes
    uint64_t labels_exhausted = 0;           // no label left in the bgp range: route not advertised to 6PE
};

}  // namespace isthmus::bgp::rib
