#pragma once
// What the monitor reports about the kernel's tables, as values: links, addresses, IPv4 and IPv6
// routes of every protocol, IPv4 neighbours, nexthop objects, label routes. No netlink types
// cross this header.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"
#include "netlink/nexthop.hpp"
#include "netlink/mpls_route.hpp"
#include "netlink/protocol.hpp"
#include "netlink/route6.hpp"

namespace isthmus::netlink {

struct Link {
    uint32_t ifindex = 0;
    std::string name;
    bool admin_up = false;  // IFF_UP: `ip link set up`
    bool oper_up = false;   // carrier and operational (IFF_LOWER_UP and IFF_RUNNING): packets can flow
    uint32_t mtu = 0;
    bool operator==(const Link&) const = default;
};

struct Address {
    uint32_t ifindex = 0;
    IpAddress address = Ipv4Address();
    uint8_t prefix_length = 0;
    bool operator==(const Address&) const = default;
};

// One path of a route. Routes that use a nexthop object (nhid set) have none in compat mode 0;
// in compat mode 1 the kernel also expands the object here (read it, don't rely on it).
struct RouteNexthop {
    std::optional<IpAddress> gateway;  // none: directly connected
    uint32_t ifindex = 0;
    uint16_t weight = 1;  // 1..256 (rtnh_hops + 1)
    bool onlink = false;
    LabelStack labels;  // MPLS encap (lwtunnel), outer first
    bool operator==(const RouteNexthop&) const = default;
};

// Kernel route types (rtm_type) worth naming; others keep their number.
enum class RouteType : uint8_t { unicast = 1, local = 2, broadcast = 3, anycast = 4, multicast = 5, blackhole = 6,
                                 unreachable = 7, prohibit = 8, throw_ = 9 };

template <class Prefix>
struct RouteInfo {
    Prefix prefix;
    uint32_t table = kMainTable;
    uint8_t protocol = 0;  // RTPROT_*: 2 kernel, 3 boot, 4 static, 186 bgp, 188 ospf (FRR), 205 ours ...
    uint32_t metric = 0;   // RTA_PRIORITY
    RouteType type = RouteType::unicast;
    std::vector<RouteNexthop> nexthops;  // RTA_GATEWAY/RTA_OIF as one, or RTA_MULTIPATH decoded
    NexthopId nhid;                      // RTA_NH_ID: the route uses this nexthop object or group
    bool operator==(const RouteInfo&) const = default;
};
using Ipv4RouteInfo = RouteInfo<Ipv4Prefix>;
using Ipv6RouteInfo = RouteInfo<Ipv6Prefix>;

// An IPv4 neighbour (ARP) entry.
struct Neighbour {
    uint32_t ifindex = 0;
    Ipv4Address address;
    std::optional<std::array<uint8_t, 6>> mac;  // none while incomplete or failed
    uint16_t state = 0;                         // NUD_* bits as the kernel gives them
    // REACHABLE, STALE, DELAY, PROBE, PERMANENT or NOARP: the kernel can send to it.
    bool usable() const;
    bool operator==(const Neighbour&) const = default;
};

// A nexthop object of any owner and family (ours are AF_INET6, FRR's may be AF_INET). A group when
// `members` is not empty.
struct NexthopInfo {
    NexthopId id;
    uint8_t protocol = 0;
    bool ipv6 = false;  // nh_family AF_INET6 (else AF_INET, or unspecified for groups/blackholes)
    std::optional<IpAddress> gateway;
    uint32_t ifindex = 0;
    bool onlink = false;
    bool blackhole = false;
    LabelStack labels;
    std::vector<GroupMember> members;
    bool operator==(const NexthopInfo&) const = default;
};

// A label route (AF_MPLS, the LFIB) of any owner.
struct LabelRouteInfo {
    MplsRoute route;
    uint8_t protocol = 0;
    bool operator==(const LabelRouteInfo&) const = default;
};

// Where an event's knowledge comes from.
enum class Origin : uint8_t {
    notification,  // the kernel told us
    dump,          // the initial dump, or a resync's diff after lost notifications
    derived,       // the kernel removed it silently (a link went down, DECISIONS.md item 13); we inferred it
};

// Something changed in one table: `value` is the entry's new content, or its last known content
// when `removed`.
template <class T>
struct Update {
    T value;
    bool removed = false;
    Origin origin = Origin::notification;
};
using LinkEvent = Update<Link>;
using AddressEvent = Update<Address>;
using Ipv4RouteEvent = Update<Ipv4RouteInfo>;
using Ipv6RouteEvent = Update<Ipv6RouteInfo>;
using NeighbourEvent = Update<Neighbour>;
using NexthopEvent = Update<NexthopInfo>;
using LabelRouteEvent = Update<LabelRouteInfo>;

// The tables the monitor follows, for resync reports.
enum class Table : uint8_t { links, addresses, ipv4_routes, ipv6_routes, neighbours, nexthops, label_routes };
std::string to_string(Table t);

// The view agrees with the kernel again: after the initial dump (initial = true, once), and after
// every resync that notifications were lost for (the tables re-dumped, their differences already
// delivered as events). A consumer keeping entries the view does not hold (the routes of our own
// protocol, see MonitorOptions) re-reads those tables here: notifications of them may have been lost.
struct SyncEvent {
    bool initial = false;
    std::vector<Table> tables;
};

using MonitorEvent = std::variant<LinkEvent, AddressEvent, Ipv4RouteEvent, Ipv6RouteEvent, NeighbourEvent, NexthopEvent,
                                  SyncEvent, LabelRouteEvent>;

// Texts for logs and test failures: "link 3 core0 up/up mtu 1500", "route 10.0.0.0/24 proto 188 ...".
std::string to_string(const Link& l);
std::string to_string(const Address& a);
std::string to_string(const Ipv4RouteInfo& r);
std::string to_string(const Ipv6RouteInfo& r);
std::string to_string(const Neighbour& n);
std::string to_string(const NexthopInfo& n);
std::string to_string(const LabelRouteInfo& r);  // "label route 100 as 200 via inet 10.0.1.2 dev core0 proto 205"
// "+ " (new or changed) or "- " (removed), the value, then " (derived)" / " (dump)" for those origins.
std::string to_string(const MonitorEvent& e);

}  // namespace isthmus::netlink
