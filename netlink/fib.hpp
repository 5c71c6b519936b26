#pragma once
// The desired-state layer: the daemon says which routes it wants, this layer makes the kernel
// agree and keeps it agreeing.
//
// - IPv6 routes point at shared forwarding objects (AF_INET6 nexthop objects: a v4-mapped core
//   next hop onlink with a label stack, or a plain IPv6 gateway), or at an ECMP group of them with
//   weights. Objects and groups are keyed by content, reference-counted by the routes (and groups)
//   using them, created before and deleted after them, their ids allocated here.
// - replace_forwarding(): new content for an object (new labels, new core next hop) is ONE nexthop
//   replace; every route using it follows without being touched.
// - AF_MPLS routes (the LFIB): swap, pop, pop to an IPv6 CE, multipath.
// - Changes are coalesced and sent as one batch after the current handler returns (one batch in
//   flight at a time; what changes meanwhile goes in the next).
// - Start-up: the kernel's entries of our protocol are read and adopted where they match; the
//   stale rest is deleted (never another protocol's entries) at once, or, with a hold (graceful
//   restart, DECISIONS.md item 6), when release_sweep() is called or the hold timer runs out.
// - A refused request is reported (log, failures(), the failure handler) naming it with the
//   kernel's reason, and retried with exponential backoff. An unknown outcome (lost replies) or a
//   monitor resync makes the layer re-read the kernel and reconcile.
// - on_event(): fed from the Monitor. An entry of ours deleted or changed by someone else is
//   re-installed; objects the kernel dropped with their link (DECISIONS.md item 13) wait for the
//   link and are re-installed, with their routes, when it comes back.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"
#include "netlink/fib_kernel.hpp"
#include "netlink/monitor_types.hpp"
#include "netlink/mpls_route.hpp"
#include "netlink/route_shadow.hpp"

namespace isthmus::netlink {

// What a forwarding object does: its content, which is also its key.
struct Forwarding {
    Ipv6Address gateway;
    uint32_t ifindex = 0;
    bool onlink = false;
    LabelStack labels;  // outer first; empty: no encap

    // 6PE: push `labels`, send to the directly connected core next hop (::ffff:<core_nh> onlink).
    static Forwarding six_pe(Ipv4Address core_nh, uint32_t ifindex, LabelStack labels);
    // A plain IPv6 next hop (CE routes).
    static Forwarding ipv6(Ipv6Address gateway, uint32_t ifindex);

    bool operator==(const Forwarding&) const = default;
    std::strong_ordering operator<=>(const Forwarding& o) const {
        if (auto c = gateway <=> o.gateway; c != 0) return c;
        if (auto c = ifindex <=> o.ifindex; c != 0) return c;
        if (auto c = onlink <=> o.onlink; c != 0) return c;
        return labels <=> o.labels;
    }
};
std::string to_string(const Forwarding& f);

struct Path {
    Forwarding forwarding;
    uint16_t weight = 1;  // 1..256, for ECMP
};

struct FibOptions {
    uint32_t table = kMainTable;  // all our IPv6 routes go to this table with this metric
    uint32_t metric = kDefaultMetric;
    // Nexthop ids are ours from here on (our protocol number in the top byte); ids another program
    // already uses are skipped.
    uint32_t first_nexthop_id = uint32_t(kProtocolId) << 24;
    uint32_t nexthop_id_count = 1u << 24;
    // Start-up sweep: hold it until release_sweep() or this long (graceful restart); 0: no hold.
    std::chrono::milliseconds sweep_hold{0};
    // Retry backoff for refused requests: doubles from min to max, back to min once all are in.
    std::chrono::milliseconds retry_min{200};
    std::chrono::milliseconds retry_max{30'000};
    std::size_t max_requests_per_batch = 100'000;  // what does not fit goes in the next batch
};

struct FibStats {
    std::size_t routes = 0;       // IPv6 routes held (desired, and stale ones until the sweep)
    std::size_t objects = 0;      // nexthop objects
    std::size_t groups = 0;
    std::size_t mpls_routes = 0;
    std::size_t route_bytes = 0;  // the IPv6 route shadow's allocation
    uint64_t batches = 0;
    uint64_t requests = 0;
    uint64_t failures = 0;        // refused requests (each attempt)
    uint64_t retries = 0;         // requests sent again after a failure
    uint64_t repairs = 0;         // entries re-installed after someone else removed or changed them
    uint64_t reconciliations = 0; // kernel re-reads (start-up included)
    uint64_t adopted = 0;         // entries found in the kernel at start and kept
    uint64_t swept = 0;           // stale entries of ours deleted
};

class Fib {
public:
    using FailureHandler = std::function<void(const KernelError&)>;

    Fib(boost::asio::io_context& io, FibKernel& kernel, FibOptions options = {});
    ~Fib();
    Fib(const Fib&) = delete;
    Fib& operator=(const Fib&) = delete;

    // Reads the kernel, adopts, sweeps (or holds the sweep). Desired state set before start() is
    // kept and installed once the kernel has been read; nothing is sent before.
    void start();
    // Graceful restart: the protocols have re-converged, sweep now.
    void release_sweep();
    bool started() const { return adopted_; }
    bool sweep_pending() const { return sweep_pending_; }

    // --- IPv6 routes ---
    // The route to `prefix` goes over `paths`: one path -> an object, several -> a group. Empty
    // paths remove the route. Weights must be 1..256 (a bad one is reported and the route kept as it was).
    Status<std::string> set_route(const Ipv6Prefix& prefix, std::span<const Path> paths);
    void remove_route(const Ipv6Prefix& prefix);
    // Every route whose object has content `from` now uses `to`: one nexthop replace. False when
    // no object has `from`. If another object already has `to`, both stay (same content, two ids).
    bool replace_forwarding(const Forwarding& from, const Forwarding& to);

    // --- MPLS routes ---
    void set_mpls_route(const MplsRoute& route);
    void remove_mpls_route(MplsLabel in_label);

    // --- kernel feedback ---
    void on_event(const MonitorEvent& event);
    void on_failure(FailureHandler handler) { failure_handler_ = std::move(handler); }
    // Sends what is pending now instead of after the current handler (tests, shutdown).
    void flush();

    // --- inspection ---
    // The nexthop id a route points at (object or group), 0 when the layer has no such route.
    uint32_t route_nhid(const Ipv6Prefix& prefix) const;
    bool route_installed(const Ipv6Prefix& prefix) const;
    std::optional<Forwarding> object(NexthopId id) const;
    std::optional<NexthopId> object_id(const Forwarding& f) const;
    std::size_t object_refs(NexthopId id) const;  // routes and groups using it
    std::optional<std::vector<GroupMember>> group(NexthopId id) const;
    // Requests currently failing, with the kernel's reason, one line each.
    std::vector<std::string> failures() const;
    // Nothing queued, nothing in flight, nothing waiting for a retry.
    bool idle() const;
    FibStats stats() const;

private:
    struct Object {
        Forwarding content;
        uint32_t refs = 0;
        bool installed = false;  // the kernel has it with `content`
        bool dirty = false;      // needs an add/replace
        bool parked = false;     // its link is down: the kernel would refuse it
        bool routes_waiting = false;
    };
    struct Group {
        std::vector<GroupMember> members;  // sorted by id: the key
        uint32_t refs = 0;
        bool installed = false;
        bool dirty = false;
        bool partial = false;  // installed without some members (they were not in the kernel)
        bool routes_waiting = false;
    };
    struct Mpls {
        MplsRoute route;
        bool installed = false;
        bool dirty = false;
        bool stale = false;
    };
    // What each request of the batch in flight was for, to map failures back.
    struct Tag {
        enum Kind : uint8_t { object, group, route, route_delete, mpls, mpls_delete, object_delete, group_delete, stale_route_delete } kind;
        bool was_add = false;
        uint32_t id = 0;        // object / group id, MPLS label
        Ipv6Prefix prefix{};    // routes
    };
    struct Flight;

    // fib.cpp: desired state
    uint32_t acquire_object(const Forwarding& f);
    uint32_t acquire_group(std::vector<GroupMember> members);
    void release(uint32_t nhid);
    uint32_t allocate_id();
    bool is_group(uint32_t nhid) const { return groups_.count(nhid) != 0; }
    bool target_installed(uint32_t nhid) const;
    void mark_route_dirty(RouteSlot& s);
    void schedule_flush();
    // fib_flush.cpp: batches and their outcome
    void build_and_send();
    void completed(std::shared_ptr<Flight> flight, BatchReport report);
    void failed(const Flight& flight, const Tag& tag, const KernelError& e);
    void after_installed(uint32_t nhid);
    void schedule_retry();
    // fib_reconcile.cpp: start-up and re-reads
    void reconcile();
    void apply_state(KernelState state);
    void adopt(KernelState& state);
    void resync(KernelState& state);
    void rename(uint32_t from, uint32_t to);
    void sweep();
    // fib_drift.cpp: monitor events
    void object_lost(uint32_t id);
    void group_lost(uint32_t id);
    void routes_lost_on(uint32_t nhid);
    void link_changed(const Link& link, bool removed);

    boost::asio::io_context& io_;
    FibKernel& kernel_;
    FibOptions options_;
    FailureHandler failure_handler_;

    RouteShadow routes_;
    std::vector<Ipv6Prefix> dirty_routes_;
    std::vector<Ipv6Prefix> route_deletes_;  // routes the kernel has that we no longer want
    std::vector<Ipv6Route> foreign_key_deletes_;  // ours in another table/metric, found at start

    std::map<uint32_t, Object> objects_;
    std::map<Forwarding, uint32_t> object_index_;
    std::map<uint32_t, Group> groups_;
    std::map<std::vector<GroupMember>, uint32_t> group_index_;
    std::set<uint32_t> unused_;           // objects/groups whose refs fell to 0: deleted at the next flush
    std::set<uint32_t> id_deletes_;       // objects/groups to delete that are no longer in the maps
    std::set<uint32_t> taken_ids_;        // ids in our range another program uses
    std::set<uint32_t> stale_ids_;        // objects/groups of ours found at start that we can't use: swept
    std::vector<Ipv6Route> stale_foreign_;  // routes of ours found at start in another table/metric: swept
    uint32_t next_id_ = 0;

    std::map<uint32_t, Mpls> mpls_;
    std::set<uint32_t> mpls_deletes_;

    std::set<uint32_t> down_links_;
    std::map<std::string, std::string> failing_;  // request text -> reason

    bool adopted_ = false;
    bool starting_ = false;
    bool sweep_pending_ = false;
    bool flush_scheduled_ = false;
    bool in_flight_ = false;
    bool reconcile_wanted_ = false;
    bool retry_scheduled_ = false;
    std::vector<Tag> retry_;  // what failed, sent again when the retry timer fires
    std::vector<Ipv6Route> retry_foreign_;
    std::chrono::milliseconds backoff_;
    boost::asio::steady_timer retry_timer_;
    boost::asio::steady_timer sweep_timer_;
    boost::asio::steady_timer reread_timer_;
    FibStats stats_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace isthmus::netlink
