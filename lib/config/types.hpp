#pragma once
// The typed form of an isthmusd config file, schema v1 (docs/config.md).
// Every value here has been validated; defaults are filled in, so consumers
// never look at the JSON. A running daemon swaps whole Config snapshots.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lib/asn.hpp"
#include "lib/ip_address.hpp"
#include "lib/log.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"

namespace isthmus::config {

using Seconds = std::chrono::seconds;

inline constexpr int kSchemaVersion = 1;
inline constexpr std::string_view kDefaultControlSocket = "/run/isthmus/isthmusd.sock";

// ---- labels (DECISIONS item 1: one allocator, one sub-range per client) ----

struct LabelRange {
    bool operator==(const LabelRange&) const = default;
    MplsLabel first;
    MplsLabel last;

    uint32_t size() const { return last.value() - first.value() + 1; }
    bool contains(MplsLabel l) const { return first <= l && l <= last; }
    bool overlaps(const LabelRange& o) const { return first <= o.last && o.first <= last; }
    std::string to_string() const { return std::to_string(first.value()) + ".." + std::to_string(last.value()); }
};

inline constexpr MplsLabel label_constant(uint32_t v) { return *MplsLabel::from_value(v); }

struct LabelRanges {
    bool operator==(const LabelRanges&) const = default;
    LabelRange ldp{label_constant(16), label_constant(49999)};               // local LDP bindings
    LabelRange bgp{label_constant(50000), label_constant(89999)};            // egress labels of 6PE routes
    LabelRange recirculation{label_constant(90000), label_constant(99999)};  // one per egress PE, hierarchical mode
};

// ---- policies ----

// A prefix with an accepted length range: exact when ge == le == length.
struct PrefixMatch {
    bool operator==(const PrefixMatch&) const = default;
    std::variant<Ipv4Prefix, Ipv6Prefix> prefix;
    int ge = 0;
    int le = 0;
};
using PrefixList = std::vector<PrefixMatch>;

// RFC 1997 community, A:B packed as A << 16 | B.
struct Community {
    uint32_t value = 0;
    static constexpr uint32_t kNoExport = 0xFFFFFF01;
    static constexpr uint32_t kNoAdvertise = 0xFFFFFF02;
    static constexpr uint32_t kNoExportSubconfed = 0xFFFFFF03;
    static constexpr uint32_t kGracefulShutdown = 0xFFFF0000;  // RFC 8326
    bool operator==(const Community&) const = default;
};

// RFC 8092 large community.
struct LargeCommunity {
    uint32_t global_admin = 0;
    uint32_t local1 = 0;
    uint32_t local2 = 0;
    bool operator==(const LargeCommunity&) const = default;
};

// Where a route came from, as policies see it.
enum class RouteSource { bgp, static_route, connected, kernel };

// All conditions given must hold; within one list, any element may match.
struct PolicyMatch {
    bool operator==(const PolicyMatch&) const = default;
    std::vector<PrefixMatch> prefixes;
    std::optional<std::string> prefix_list;
    std::vector<RouteSource> protocols;
    std::vector<IpAddress> neighbors;
    std::vector<Community> communities;
    std::vector<LargeCommunity> large_communities;
    std::vector<Asn> as_path_contains;
    std::vector<Asn> origin_as;
};

struct PolicySet {
    bool operator==(const PolicySet&) const = default;
    std::optional<uint32_t> local_preference;
    std::optional<uint32_t> med;
    std::vector<Community> add_communities;
    std::vector<Community> remove_communities;
    std::vector<LargeCommunity> add_large_communities;
    std::vector<LargeCommunity> remove_large_communities;
    int prepend = 0;  // times the local AS is prepended
};

enum class TermAction { accept, reject, next_term };

struct PolicyTerm {
    bool operator==(const PolicyTerm&) const = default;
    std::string name;  // from the config, or "#<index>"
    PolicyMatch match;
    PolicySet set;
    TermAction action = TermAction::reject;
};

struct Policy {
    bool operator==(const Policy&) const = default;
    std::vector<PolicyTerm> terms;
    TermAction default_action = TermAction::reject;  // accept or reject only
};

// ---- static routes ----

struct StaticRoute {
    bool operator==(const StaticRoute&) const = default;
    Ipv6Prefix prefix;
    std::optional<Ipv6Address> next_hop;
    std::optional<std::string> interface;
    bool blackhole = false;
};

// ---- BGP ----

enum class Family { ipv6_unicast, ipv6_labeled_unicast };
enum class LabelMode { explicit_null, per_prefix, per_nexthop, per_table };
enum class GracefulRestartMode { off, helper, full };

struct BgpTimers {
    bool operator==(const BgpTimers&) const = default;
    Seconds hold_time{90};
    Seconds keepalive_time{30};  // hold_time / 3 unless configured
    Seconds connect_retry_time{120};
};

struct MaxPrefixes {
    bool operator==(const MaxPrefixes&) const = default;
    enum class Action { warn, teardown };
    uint32_t limit = 0;
    Action action = Action::teardown;
    Seconds restart_time{0};  // after a teardown; 0 = stay down until cleared
};

struct BgpNeighbor {
    bool operator==(const BgpNeighbor&) const = default;
    IpAddress address{Ipv4Address{}};
    Asn remote_as{0};
    std::string description;
    std::vector<Family> families;
    bool passive = false;
    BgpTimers timers;
    std::optional<std::string> password;  // TCP-MD5 (RFC 2385)
    std::optional<IpAddress> update_source;
    std::optional<int> multihop;      // eBGP TTL; single hop when unset
    std::optional<int> ttl_security;  // GTSM (RFC 5082): hops accepted
    std::optional<std::string> import_policy;
    std::optional<std::string> export_policy;
    bool route_reflector_client = false;
    std::optional<MaxPrefixes> max_prefixes;
    bool shutdown = false;
    std::string shutdown_message;  // RFC 9003

    bool has(Family f) const {
        for (auto x : families)
            if (x == f) return true;
        return false;
    }
};

struct BgpGracefulRestart {
    bool operator==(const BgpGracefulRestart&) const = default;
    GracefulRestartMode mode = GracefulRestartMode::helper;
    Seconds restart_time{120};
    Seconds stale_routes_time{360};
};

// Which non-BGP IPv6 routes become BGP routes of this router.
struct Redistribute {
    bool operator==(const Redistribute&) const = default;
    bool connected = false;
    bool static_routes = false;             // this config's static-routes
    std::vector<uint8_t> kernel_protocols;  // rtm_protocol ids of other daemons' routes
    std::optional<std::string> policy;
    bool any() const { return connected || static_routes || !kernel_protocols.empty(); }
};

// DECISIONS item 2: replaces the kernel metric as the IGP cost of a BGP next hop.
struct IgpCostOverride {
    bool operator==(const IgpCostOverride&) const = default;
    Ipv4Address next_hop;
    uint32_t cost = 0;
};

struct Bgp {
    bool operator==(const Bgp&) const = default;
    Asn local_as{0};
    std::optional<RouterId> cluster_id;  // router id when unset
    LabelMode label_mode = LabelMode::explicit_null;
    int max_paths = 1;
    bool always_compare_med = false;
    BgpGracefulRestart graceful_restart;
    Redistribute redistribute;
    std::vector<IgpCostOverride> igp_cost_overrides;
    std::vector<BgpNeighbor> neighbors;

    bool is_ibgp(const BgpNeighbor& n) const { return n.remote_as == local_as; }
};

// ---- LDP ----

enum class LdpEgressLabel { implicit_null, explicit_null };
enum class LdpControlMode { ordered, independent };

struct LdpInterface {
    bool operator==(const LdpInterface&) const = default;
    std::string name;
    Seconds hello_interval{5};
    Seconds hello_hold_time{15};
};

struct LdpTargetedNeighbor {
    bool operator==(const LdpTargetedNeighbor&) const = default;
    Ipv4Address address;
    Seconds hello_interval{15};
    Seconds hello_hold_time{45};
};

struct LdpNeighbor {
    bool operator==(const LdpNeighbor&) const = default;
    RouterId lsr_id{0};
    std::optional<std::string> password;  // TCP-MD5
};

struct LdpGracefulRestart {
    bool operator==(const LdpGracefulRestart&) const = default;
    GracefulRestartMode mode = GracefulRestartMode::off;
    Seconds reconnect_time{120};
    Seconds recovery_time{120};
};

struct Ldp {
    bool operator==(const Ldp&) const = default;
    Ipv4Address transport_address;  // the router id unless configured
    std::vector<LdpInterface> interfaces;
    std::vector<LdpTargetedNeighbor> targeted_neighbors;
    std::vector<LdpNeighbor> neighbors;
    LdpEgressLabel egress_label = LdpEgressLabel::implicit_null;
    LdpControlMode control_mode = LdpControlMode::ordered;
    Seconds session_hold_time{180};
    bool ttl_security = true;  // RFC 6720 GTSM flag in link hellos
    bool session_protection = false;
    // How long a protected session is kept by targeted Hellos after its last link adjacency is
    // gone (the session must stay OPERATIONAL meanwhile); unset: as long as it stays up.
    std::optional<Seconds> session_protection_duration;
    std::optional<std::string> fec_policy;  // unset: IPv4 /32 host routes
    LdpGracefulRestart graceful_restart;
    // LDP-IGP synchronisation (RFC 5443): run `igp_sync_hook IF synced|unsynced` when LDP on a
    // link becomes usable or stops being so; `igp_sync_delay` after the session is OPERATIONAL
    // stands for "label exchange finished" (downstream unsolicited has no end marker).
    std::optional<std::string> igp_sync_hook;
    Seconds igp_sync_delay{1};
};

// ---- kernel ----

enum class ForwardingMode { flat, hierarchical };

struct Kernel {
    bool operator==(const Kernel&) const = default;
    bool install = true;
    ForwardingMode forwarding = ForwardingMode::flat;
    bool set_sysctls = false;
    std::optional<int> nexthop_compat_mode;  // unset: leave the sysctl alone
};

// ---- the whole file ----

struct Config {
    bool operator==(const Config&) const = default;
    int version = kSchemaVersion;
    RouterId router_id{0};
    log::Level log_level = log::Level::info;
    std::string control_socket{kDefaultControlSocket};
    LabelRanges labels;
    Kernel kernel;
    std::optional<Bgp> bgp;
    std::optional<Ldp> ldp;
    std::vector<StaticRoute> static_routes;
    std::map<std::string, PrefixList, std::less<>> prefix_lists;
    std::map<std::string, Policy, std::less<>> policies;
};

}  // namespace isthmus::config
