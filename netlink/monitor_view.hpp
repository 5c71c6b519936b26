#pragma once
// The monitor's copy of the kernel's tables, and how kernel messages change it. Pure code: the
// Monitor feeds it what its socket receives; unit tests feed it canned messages.
//
// Every change is reported as an event only when it changes the view (a notification repeating
// what the view holds is silent). Re-syncing a table (the initial dump, or after lost
// notifications) fills a fresh copy from the dump (notifications of that table arriving meanwhile
// go into the copy too, in order, which keeps it right whichever came first) and then reports only
// the differences between old and new.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "netlink/monitor_types.hpp"

namespace isthmus::netlink {

struct ViewOptions {
    // Routes of this protocol (ours) are not kept: the desired-state layer has them, and with
    // 250,000 of them a second copy would cost more than the rest. Their removals are still
    // reported (drift), their additions are not (the socket filter drops them anyway).
    uint8_t own_protocol = kProtocolId;
    bool keep_own_routes = false;
};

class MonitorView {
public:
    struct AddressKey {
        uint32_t ifindex;
        IpAddress address;
        uint8_t prefix_length;
        auto operator<=>(const AddressKey&) const = default;
    };
    // The kernel's identity of a route (besides TOS for IPv4, which we don't follow).
    template <class Prefix>
    struct RouteKey {
        uint32_t table;
        Prefix prefix;
        uint32_t metric;
        auto operator<=>(const RouteKey&) const = default;
    };
    using Route4Key = RouteKey<Ipv4Prefix>;
    using Route6Key = RouteKey<Ipv6Prefix>;
    struct NeighbourKey {
        uint32_t ifindex;
        Ipv4Address address;
        auto operator<=>(const NeighbourKey&) const = default;
    };

    explicit MonitorView(ViewOptions options = {}) : options_(options) {}

    // --- queries ---
    const std::map<uint32_t, Link>& links() const { return links_.live; }
    const Link* link(uint32_t ifindex) const;
    const Link* link(std::string_view name) const;
    const std::map<AddressKey, Address>& addresses() const { return addresses_.live; }
    std::vector<Address> addresses_of(uint32_t ifindex) const;
    const std::map<Route4Key, Ipv4RouteInfo>& ipv4_routes() const { return routes4_.live; }
    const std::map<Route6Key, Ipv6RouteInfo>& ipv6_routes() const { return routes6_.live; }
    const std::map<NeighbourKey, Neighbour>& neighbours() const { return neighbours_.live; }
    const std::map<uint32_t, NexthopInfo>& nexthops() const { return nexthops_.live; }
    // Label routes by incoming label (other protocols' only, as for IPv6 routes).
    const std::map<uint32_t, LabelRouteInfo>& label_routes() const { return labels_.live; }

    // The IPv4 route the kernel would pick for `dst` in `table`: longest prefix, then lowest metric.
    // nullptr when nothing matches (not even a default route).
    const Ipv4RouteInfo* lookup(Ipv4Address dst, uint32_t table = kMainTable) const;
    // The entry for exactly `prefix` in `table` with the lowest metric.
    const Ipv4RouteInfo* ipv4_route(Ipv4Prefix prefix, uint32_t table = kMainTable) const;
    const Ipv6RouteInfo* ipv6_route(Ipv6Prefix prefix, uint32_t table = kMainTable) const;
    const Neighbour* neighbour(uint32_t ifindex, Ipv4Address address) const;
    const NexthopInfo* nexthop(NexthopId id) const;

    // --- changes ---
    // One kernel message (notification or dump part). Events go to `out`. Messages of kinds the
    // view does not follow are ignored; a malformed one returns its problem (the view is unchanged).
    std::optional<std::string> apply(std::span<const uint8_t> msg, std::vector<MonitorEvent>& out);

    // A table's re-sync: between begin and end, dump parts (and notifications) for `t` fill a fresh
    // copy; end() replaces the table with it and reports the differences with Origin::dump.
    void begin_resync(Table t);
    void end_resync(Table t, std::vector<MonitorEvent>& out);
    // The resync was abandoned (the dump failed): the table stays as it was (changes seen meanwhile included).
    void abort_resync(Table t);
    bool resyncing(Table t) const;

    // What the kernel did without telling anyone when this link went down or away (DECISIONS.md
    // item 13): its nexthop objects vanish, groups lose them as members (a group left empty
    // vanishes), routes using a vanished object vanish, and on admin down or removal IPv4 routes
    // whose every path leaves through it are flushed. Called by apply() for link messages; public
    // for tests. Events carry Origin::derived.
    void derive_link_down(const Link& before, const Link& now, bool removed, std::vector<MonitorEvent>& out);

    // Messages applied (dump parts and notifications).
    std::size_t messages_applied() const { return applied_; }

private:
    // One table: what the view shows, and the fresh copy a resync fills.
    template <class K, class V>
    struct Store {
        std::map<K, V> live;
        std::optional<std::map<K, V>> fresh;
        std::map<K, V>& target() { return fresh ? *fresh : live; }
    };
    template <class K, class V>
    void upsert(Store<K, V>& s, const K& k, const V& v, Origin o, std::vector<MonitorEvent>& out);
    template <class K, class V>
    void erase(Store<K, V>& s, const K& k, Origin o, std::vector<MonitorEvent>& out);
    template <class K, class V>
    void finish_resync(Store<K, V>& s, std::vector<MonitorEvent>& out);

    std::optional<std::string> apply_link(std::span<const uint8_t> msg, bool removed, std::vector<MonitorEvent>& out);
    std::optional<std::string> apply_address(std::span<const uint8_t> msg, bool removed, std::vector<MonitorEvent>& out);
    std::optional<std::string> apply_route(std::span<const uint8_t> msg, bool removed, std::vector<MonitorEvent>& out);
    std::optional<std::string> apply_neighbour(std::span<const uint8_t> msg, bool removed, std::vector<MonitorEvent>& out);
    std::optional<std::string> apply_nexthop(std::span<const uint8_t> msg, bool removed, std::vector<MonitorEvent>& out);
    std::optional<std::string> apply_label_route(std::span<const uint8_t> msg, bool removed, std::vector<MonitorEvent>& out);
    // Objects gone (deleted, or silently with their link): groups shrink, routes on them go.
    void nexthops_gone(std::set<uint32_t> gone, Origin o, std::vector<MonitorEvent>& out);

    ViewOptions options_;
    Store<uint32_t, Link> links_;
    Store<AddressKey, Address> addresses_;
    Store<Route4Key, Ipv4RouteInfo> routes4_;
    Store<Route6Key, Ipv6RouteInfo> routes6_;
    Store<NeighbourKey, Neighbour> neighbours_;
    Store<uint32_t, NexthopInfo> nexthops_;
    Store<uint32_t, LabelRouteInfo> labels_;
    std::size_t applied_ = 0;
};

}  // namespace isthmus::netlink
