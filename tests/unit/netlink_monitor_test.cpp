// The monitor's view: kernel messages -> typed events (links, addresses, IPv4/IPv6 routes with
// RTA_MULTIPATH, neighbours, nexthop objects), the deletions it derives from a link going down,
// the resync diff, the socket filter (run through a small BPF interpreter), and the Monitor
// itself over a fake kernel (dump order, initial sync, ENOBUFS, interrupted and refused dumps).
#include <catch2/catch.hpp>
#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <deque>
#include <functional>

#include "netlink/monitor.hpp"
#include "netlink/monitor_decode.hpp"
#include "netlink/monitor_filter.hpp"
#include "netlink_monitor_messages.hpp"
#include "netlink_test_util.hpp"

using namespace isthmus;
using namespace isthmus::netlink;
using namespace isthmus::netlink::test;

namespace {

std::vector<std::string> texts(const std::vector<MonitorEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(to_string(e));
    return out;
}

// Applies messages, expecting each to decode; returns the events' texts.
std::vector<std::string> feed(MonitorView& v, std::initializer_list<Msg> msgs) {
    std::vector<MonitorEvent> events;
    for (const auto& m : msgs) {
        auto problem = v.apply(m, events);
        INFO(problem.value_or(""));
        CHECK_FALSE(problem);
    }
    return texts(events);
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("links, addresses and neighbours decode into events; repeats are silent", "[netlink][monitor]") {
    MonitorView v;
    CHECK(feed(v, {link_msg(false, 3, "core0", kUp, 1500)}) == Strings{"+ link 3 core0 up/up mtu 1500"});
    CHECK(feed(v, {link_msg(false, 3, "core0", kUp, 1500)}).empty());
    // IPv6's per-link announcements are RTM_NEWLINK of family AF_INET6: not a change of the link.
    CHECK(feed(v, {link_msg(false, 3, "core0", kDown, 1280, AF_INET6)}).empty());
    CHECK(feed(v, {link_msg(false, 3, "core0", kUp, 9000)}) == Strings{"+ link 3 core0 up/up mtu 9000"});
    CHECK(feed(v, {link_msg(false, 3, "core0", kNoCarrier, 9000)}) == Strings{"+ link 3 core0 up/down mtu 9000"});
    REQUIRE(v.link("core0"));
    CHECK(v.link("core0")->ifindex == 3);
    CHECK_FALSE(v.link(3)->oper_up);
    CHECK(v.link(3)->admin_up);

    CHECK(feed(v, {address_msg(false, 3, v4("10.0.1.1"), 24), address_msg(false, 3, v6("2001:db8::1"), 64)}) ==
          Strings{"+ address 10.0.1.1/24 dev #3", "+ address 2001:db8::1/64 dev #3"});
    CHECK(v.addresses_of(3).size() == 2);
    CHECK(feed(v, {address_msg(true, 3, v4("10.0.1.1"), 24)}) == Strings{"- address 10.0.1.1/24 dev #3"});
    CHECK(feed(v, {address_msg(true, 3, v4("10.0.1.1"), 24)}).empty());  // already gone

    std::array<uint8_t, 6> mac{0x02, 0, 0, 0, 0, 0x0b};
    CHECK(feed(v, {neighbour_msg(false, 3, v4("10.0.1.2"), NUD_REACHABLE, mac)}) ==
          Strings{"+ neighbour 10.0.1.2 dev #3 lladdr 02:00:00:00:00:0b state 0x2"});
    REQUIRE(v.neighbour(3, v4("10.0.1.2")));
    CHECK(v.neighbour(3, v4("10.0.1.2"))->usable());
    CHECK(feed(v, {neighbour_msg(false, 3, v4("10.0.1.9"), NUD_INCOMPLETE, std::nullopt)}) ==
          Strings{"+ neighbour 10.0.1.9 dev #3 lladdr incomplete state 0x1"});
    CHECK_FALSE(v.neighbour(3, v4("10.0.1.9"))->usable());
}

TEST_CASE("IPv4 routes: single path, RTA_MULTIPATH with weights, nexthop id, metric and table", "[netlink][monitor]") {
    // 10.2.0.0/16 proto ospf (188) metric 20, two paths: via 10.0.1.2 dev 3 weight 1, via 10.0.2.2 dev 4 weight 3.
    auto written = hex(R"(
        58000000 1800 0000 00000000 00000000   # len 88, RTM_NEWROUTE, no flags, seq 0, pid 0
        02 10 00 00 fe bc 00 01 00000000       # AF_INET, /16, tos 0, table main, proto 188, scope 0, unicast, flags
        0800 0f00 fe000000                     # RTA_TABLE 254
        0800 0100 0a020000                     # RTA_DST 10.2.0.0
        0800 0600 14000000                     # RTA_PRIORITY 20
        2400 0900                              # RTA_MULTIPATH, 36 bytes
          1000 00 00 03000000  0800 0500 0a000102   # rtnexthop len 16, hops 0, ifindex 3; RTA_GATEWAY 10.0.1.2
          1000 00 02 04000000  0800 0500 0a000202   # hops 2 (weight 3), ifindex 4; RTA_GATEWAY 10.0.2.2
    )");
    RouteSpec spec;
    spec.dst = v4("10.2.0.0");
    spec.len = 16;
    spec.protocol = 188;
    spec.metric = 20;
    spec.paths = {{v4("10.0.1.2"), 3, 0, {}}, {v4("10.0.2.2"), 4, 2, {}}};
    CHECK(to_hex(route_msg(spec)) == to_hex(written));  // the builder lays routes out as the kernel does

    MonitorView v;
    std::vector<MonitorEvent> events;
    CHECK_FALSE(v.apply(written, events));
    REQUIRE(events.size() == 1);
    auto& e = std::get<Ipv4RouteEvent>(events[0]);
    CHECK_FALSE(e.removed);
    CHECK(e.origin == Origin::notification);
    CHECK(e.value.prefix == p4("10.2.0.0/16"));
    CHECK(e.value.protocol == 188);
    CHECK(e.value.metric == 20);
    CHECK(e.value.table == 254);
    CHECK(e.value.type == RouteType::unicast);
    REQUIRE(e.value.nexthops.size() == 2);
    CHECK(e.value.nexthops[0] == RouteNexthop{IpAddress(v4("10.0.1.2")), 3, 1, false, {}});
    CHECK(e.value.nexthops[1] == RouteNexthop{IpAddress(v4("10.0.2.2")), 4, 3, false, {}});
    CHECK(to_string(events[0]) ==
          "+ route 10.2.0.0/16 nexthop via 10.0.1.2 dev #3 weight 1 nexthop via 10.0.2.2 dev #4 weight 3 proto 188 metric 20");

    RouteSpec connected;
    connected.dst = v4("10.0.1.0");
    connected.len = 24;
    connected.protocol = RTPROT_KERNEL;
    connected.paths = {{std::nullopt, 3, 0, {}}};
    RouteSpec other_table = connected;
    other_table.table = 1000;
    other_table.dst = v4("10.2.3.0");
    RouteSpec via_object;
    via_object.dst = v4("192.0.2.0");
    via_object.len = 24;
    via_object.protocol = 186;
    via_object.nhid = 42;
    RouteSpec cloned = connected;  // a cache entry: not a route
    cloned.rtm_flags = RTM_F_CLONED;
    CHECK(feed(v, {route_msg(connected), route_msg(other_table), route_msg(via_object), route_msg(cloned)}) ==
          Strings{"+ route 10.0.1.0/24 dev #3 proto 2 metric 0", "+ route 10.2.3.0/24 dev #3 proto 2 metric 0 table 1000",
                  "+ route 192.0.2.0/24 nhid 42 proto 186 metric 0"});
    CHECK(v.ipv4_routes().size() == 4);
    CHECK(v.ipv4_route(p4("192.0.2.0/24"))->nhid == NexthopId{42});

    spec.removed = true;
    CHECK(feed(v, {route_msg(spec)}) == Strings{"- route 10.2.0.0/16 nexthop via 10.0.1.2 dev #3 weight 1 nexthop via "
                                                "10.0.2.2 dev #4 weight 3 proto 188 metric 20"});
    CHECK_FALSE(v.ipv4_route(p4("10.2.0.0/16")));
}

TEST_CASE("the IPv4 lookup takes the longest match, then the lowest metric, in the table asked", "[netlink][monitor]") {
    MonitorView v;
    auto route = [](const char* dst, uint8_t len, uint32_t metric, uint32_t oif, uint32_t table = RT_TABLE_MAIN) {
        RouteSpec s;
        s.dst = v4(dst);
        s.len = len;
        s.metric = metric;
        s.table = table;
        s.paths = {{std::nullopt, oif, 0, {}}};
        return route_msg(s);
    };
    feed(v, {route("0.0.0.0", 0, 0, 1), route("10.0.0.0", 8, 0, 2), route("10.1.0.0", 16, 20, 3),
             route("10.1.0.0", 16, 10, 4), route("10.1.2.0", 24, 0, 5, 100)});
    auto oif = [&](const char* a, uint32_t table = RT_TABLE_MAIN) {
        auto* r = v.lookup(v4(a), table);
        return r ? r->nexthops.at(0).ifindex : 0u;
    };
    CHECK(oif("10.1.2.3") == 4);   // /16 beats /8; metric 10 beats 20; table 100's /24 is not main
    CHECK(oif("10.9.9.9") == 2);
    CHECK(oif("192.0.2.1") == 1);  // the default route
    CHECK(oif("10.1.2.3", 100) == 5);
    CHECK(oif("10.9.9.9", 100) == 0);
    MonitorView empty;
    CHECK(empty.lookup(v4("10.0.0.1")) == nullptr);
}

TEST_CASE("IPv6 routes with MPLS encap and nexthop ids; our own routes are not kept, their deletions are reported",
          "[netlink][monitor]") {
    MonitorView v;
    RouteSpec encap;
    encap.v6 = true;
    encap.dst = v6("2001:db8:1::");
    encap.len = 48;
    encap.protocol = RTPROT_BGP;
    encap.metric = 1024;
    encap.paths = {{IpAddress(v6("::ffff:10.0.1.2")), 3, 0, LabelStack{label(100), label(2)}}};
    CHECK(feed(v, {route_msg(encap)}) ==
          Strings{"+ route 2001:db8:1::/48 encap mpls 100/2 via ::ffff:10.0.1.2 dev #3 proto 186 metric 1024"});
    CHECK(v.ipv6_route(p6("2001:db8:1::/48"))->nexthops.at(0).labels == LabelStack{label(100), label(2)});

    RouteSpec ours;
    ours.v6 = true;
    ours.dst = v6("2001:db8:2::");
    ours.len = 48;
    ours.protocol = 205;
    ours.metric = 1024;
    ours.nhid = 7;
    CHECK(feed(v, {route_msg(ours)}).empty());  // ours: the desired-state layer has them
    CHECK_FALSE(v.ipv6_route(p6("2001:db8:2::/48")));
    ours.removed = true;
    CHECK(feed(v, {route_msg(ours)}) == Strings{"- route 2001:db8:2::/48 nhid 7 proto 205 metric 1024"});

    // Ours replacing another protocol's route at the same key ends that one.
    RouteSpec ours_there = encap;
    ours_there.protocol = 205;
    ours_there.paths.clear();
    ours_there.nhid = 8;
    CHECK(feed(v, {route_msg(ours_there)}) ==
          Strings{"- route 2001:db8:1::/48 encap mpls 100/2 via ::ffff:10.0.1.2 dev #3 proto 186 metric 1024"});

    MonitorView keep({.own_protocol = 205, .keep_own_routes = true});
    ours.removed = false;
    CHECK(feed(keep, {route_msg(ours)}) == Strings{"+ route 2001:db8:2::/48 nhid 7 proto 205 metric 1024"});
}

TEST_CASE("IPv6 multipath: a path deleted or appended on its own changes the route the view holds",
          "[netlink][monitor]") {
    MonitorView v;
    RouteSpec two;
    two.v6 = true;
    two.dst = v6("2001:db8:5::");
    two.len = 48;
    two.metric = 1024;
    two.paths = {{IpAddress(v6("fe80::1")), 3, 0, {}}, {IpAddress(v6("fe80::2")), 4, 0, {}}};
    feed(v, {route_msg(two)});
    RouteSpec one = two;
    one.paths = {{IpAddress(v6("fe80::2")), 4, 0, {}}};
    one.removed = true;
    CHECK(feed(v, {route_msg(one)}) ==
          Strings{"+ route 2001:db8:5::/48 via fe80::1 dev #3 proto 4 metric 1024"});
    one.removed = false;
    one.extra_flags = NLM_F_APPEND;
    CHECK(feed(v, {route_msg(one)}) ==
          Strings{"+ route 2001:db8:5::/48 nexthop via fe80::1 dev #3 weight 1 nexthop via fe80::2 dev #4 weight 1 "
                  "proto 4 metric 1024"});
    two.removed = true;
    CHECK(feed(v, {route_msg(two)}).size() == 1);
    CHECK(v.ipv6_routes().empty());
}

TEST_CASE("nexthop objects of any owner and family, and groups", "[netlink][monitor]") {
    MonitorView v;
    NexthopSpec ours{.id = 1, .gateway = IpAddress(v6("::ffff:10.0.1.2")), .ifindex = 3, .onlink = true,
                     .labels = LabelStack{label(100), label(2)}};
    NexthopSpec frr{.id = 20, .family = AF_INET, .protocol = 11 /* zebra */, .gateway = IpAddress(v4("10.0.1.2")),
                    .ifindex = 3};
    NexthopSpec group{.id = 30, .group = {{1, 0}, {20, 4}}};
    CHECK(feed(v, {nexthop_msg(ours), nexthop_msg(frr), nexthop_msg(group)}) ==
          Strings{"+ nexthop id 1 encap mpls 100/2 via ::ffff:10.0.1.2 dev #3 onlink proto 205",
                  "+ nexthop id 20 via 10.0.1.2 dev #3 proto 11", "+ nexthop id 30 group 1/20,5 proto 205"});
    auto* g = v.nexthop(NexthopId{30});
    REQUIRE(g);
    CHECK(g->members == std::vector<GroupMember>{{NexthopId{1}, 1}, {NexthopId{20}, 5}});
    CHECK(v.nexthop(NexthopId{1})->ipv6);
    CHECK_FALSE(v.nexthop(NexthopId{20})->ipv6);

    // Deleting an object is announced; the group losing it and the routes on it may not be.
    RouteSpec r;
    r.v6 = true;
    r.dst = v6("2001:db8:9::");
    r.len = 48;
    r.protocol = RTPROT_STATIC;
    r.nhid = 20;
    feed(v, {route_msg(r)});
    frr.removed = true;
    CHECK(feed(v, {nexthop_msg(frr)}) ==
          Strings{"- nexthop id 20 via 10.0.1.2 dev #3 proto 11", "+ nexthop id 30 group 1 proto 205 (derived)",
                  "- route 2001:db8:9::/48 nhid 20 proto 4 metric 0 (derived)"});

    Msg broken = nexthop_msg(ours);
    broken.resize(broken.size() - 4);  // the message claims more than it has
    std::vector<MonitorEvent> events;
    CHECK(v.apply(broken, events));
    CHECK(events.empty());
}

TEST_CASE("label routes of any owner; ours are not kept, their deletions are reported", "[netlink][monitor]") {
    MonitorView v;
    auto label_msg = [](bool removed, uint8_t protocol, const MplsRoute& r) {
        Msg out;
        append_request(out, removed ? Op::remove : Op::add, r, protocol);
        set_header(out, 0, 0);
        return out;
    };
    auto ldpd = MplsRoute::swap(label(100), {label(200)}, v4("10.0.1.2"), 1001);
    CHECK(feed(v, {label_msg(false, 11, ldpd)}) ==
          Strings{"+ label route 100 as 200 via inet 10.0.1.2 dev ifindex 1001 proto 11"});
    CHECK(v.label_routes().at(100).route == ldpd);
    auto ours = MplsRoute::pop(label(300), v4("10.0.1.2"), 1001);
    CHECK(feed(v, {label_msg(false, 205, ours)}).empty());
    CHECK(feed(v, {label_msg(true, 205, ours)}) == Strings{"- label route 300 proto 205"});  // a delete names only the label
    CHECK(feed(v, {label_msg(true, 11, ldpd)}) == Strings{"- label route 100 as 200 via inet 10.0.1.2 dev ifindex 1001 proto 11"});
    CHECK(v.label_routes().empty());
}

TEST_CASE("a link going down: its nexthop objects, the groups and routes using them, and IPv4 routes on it",
          "[netlink][monitor]") {
    MonitorView v;
    feed(v, {link_msg(false, 3, "core0", kUp, 1500), link_msg(false, 4, "core1", kUp, 1500)});
    NexthopSpec a{.id = 1, .gateway = IpAddress(v6("::ffff:10.0.1.2")), .ifindex = 3, .onlink = true};
    NexthopSpec b{.id = 2, .gateway = IpAddress(v6("::ffff:10.0.2.2")), .ifindex = 4, .onlink = true};
    NexthopSpec both{.id = 10, .group = {{1, 0}, {2, 0}}};
    NexthopSpec only_a{.id = 11, .group = {{1, 0}}};
    feed(v, {nexthop_msg(a), nexthop_msg(b), nexthop_msg(both), nexthop_msg(only_a)});
    auto v6route = [](const char* dst, uint32_t nhid) {
        RouteSpec s;
        s.v6 = true;
        s.dst = v6(dst);
        s.len = 48;
        s.protocol = RTPROT_BGP;
        s.nhid = nhid;
        return route_msg(s);
    };
    RouteSpec on3, via3, multi;
    on3.dst = v4("10.0.1.0");
    on3.len = 24;
    on3.protocol = RTPROT_KERNEL;
    on3.paths = {{std::nullopt, 3, 0, {}}};
    via3.dst = v4("10.9.0.0");
    via3.len = 16;
    via3.paths = {{v4("10.0.1.2"), 3, 0, {}}};
    multi.dst = v4("10.8.0.0");
    multi.len = 16;
    multi.paths = {{v4("10.0.1.2"), 3, 0, {}}, {v4("10.0.2.2"), 4, 0, {}}};
    std::array<uint8_t, 6> mac{2, 0, 0, 0, 0, 2};
    feed(v, {v6route("2001:db8:1::", 1), v6route("2001:db8:10::", 10), v6route("2001:db8:11::", 11),
             v6route("2001:db8:2::", 2), route_msg(on3), route_msg(via3), route_msg(multi),
             address_msg(false, 3, v4("10.0.1.1"), 24), neighbour_msg(false, 3, v4("10.0.1.2"), NUD_REACHABLE, mac)});

    // Carrier loss: objects on the link go (no RTM_DELNEXTHOP), group 10 keeps member 2, group 11
    // empties and goes, routes on 1 and 11 go; IPv4 routes stay (the kernel marks them linkdown).
    CHECK(feed(v, {link_msg(false, 3, "core0", kNoCarrier, 1500)}) ==
          Strings{"+ link 3 core0 up/down mtu 1500",
                  "- nexthop id 1 via ::ffff:10.0.1.2 dev #3 onlink proto 205 (derived)",
                  "+ nexthop id 10 group 2 proto 205 (derived)",
                  "- nexthop id 11 group 1 proto 205 (derived)",
                  "- route 2001:db8:1::/48 nhid 1 proto 186 metric 0 (derived)",
                  "- route 2001:db8:11::/48 nhid 11 proto 186 metric 0 (derived)"});
    CHECK(v.ipv6_route(p6("2001:db8:10::/48")));
    CHECK(v.ipv4_routes().size() == 3);

    // Admin down: IPv4 routes whose every path uses the link are flushed silently; the multipath one stays.
    CHECK(feed(v, {link_msg(false, 3, "core0", kDown, 1500)}) ==
          Strings{"+ link 3 core0 down/down mtu 1500", "- route 10.0.1.0/24 dev #3 proto 2 metric 0 (derived)",
                  "- route 10.9.0.0/16 via 10.0.1.2 dev #3 proto 4 metric 0 (derived)"});
    CHECK(v.ipv4_route(p4("10.8.0.0/16")));
    CHECK(v.addresses_of(3).size() == 1);  // IPv4 addresses survive admin down

    // Coming back up derives nothing; removal takes addresses and neighbours along.
    CHECK(feed(v, {link_msg(false, 3, "core0", kUp, 1500)}) == Strings{"+ link 3 core0 up/up mtu 1500"});
    CHECK(feed(v, {link_msg(true, 3, "core0", kDown, 1500)}) ==
          Strings{"- link 3 core0 up/up mtu 1500", "- address 10.0.1.1/24 dev #3 (derived)",
                  "- neighbour 10.0.1.2 dev #3 lladdr 02:00:00:00:00:02 state 0x2 (derived)"});
    CHECK(v.links().size() == 1);
}

TEST_CASE("a resync reports only the differences, with changes seen during the dump kept in order",
          "[netlink][monitor]") {
    MonitorView v;
    auto route = [](const char* dst, uint32_t metric, uint32_t oif, bool removed = false) {
        RouteSpec s;
        s.dst = v4(dst);
        s.len = 24;
        s.metric = metric;
        s.paths = {{std::nullopt, oif, 0, {}}};
        s.removed = removed;
        return route_msg(s);
    };
    feed(v, {route("10.0.1.0", 0, 3), route("10.0.2.0", 0, 3), route("10.0.3.0", 0, 3)});

    std::vector<MonitorEvent> events;
    v.begin_resync(Table::ipv4_routes);
    CHECK(v.resyncing(Table::ipv4_routes));
    for (const auto& m : {route("10.0.1.0", 0, 3),       // unchanged
                          route("10.0.2.0", 0, 4),       // changed while notifications were lost
                          route("10.0.4.0", 0, 3),       // new; 10.0.3.0 is gone
                          route("10.0.4.0", 0, 3, true), // a notification after its dump part: gone again
                          route("10.0.5.0", 0, 3),       // a notification before its dump part ...
                          route("10.0.5.0", 0, 3)})      // ... and the part itself
        CHECK_FALSE(v.apply(m, events));
    // Other tables keep reporting as they go; the view still shows the old routes meanwhile.
    CHECK_FALSE(v.apply(link_msg(false, 9, "x", kUp, 1500), events));
    CHECK(texts(events) == Strings{"+ link 9 x up/up mtu 1500"});
    CHECK(v.ipv4_route(p4("10.0.3.0/24")));
    events.clear();
    v.end_resync(Table::ipv4_routes, events);
    CHECK(texts(events) == Strings{"+ route 10.0.2.0/24 dev #4 proto 4 metric 0 (dump)",
                                   "- route 10.0.3.0/24 dev #3 proto 4 metric 0 (dump)",
                                   "+ route 10.0.5.0/24 dev #3 proto 4 metric 0 (dump)"});
    CHECK(v.ipv4_routes().size() == 3);
    CHECK_FALSE(v.resyncing(Table::ipv4_routes));

    // An abandoned resync leaves the table as it was.
    events.clear();
    v.begin_resync(Table::ipv4_routes);
    CHECK_FALSE(v.apply(route("10.0.7.0", 0, 3), events));
    v.abort_resync(Table::ipv4_routes);
    CHECK(events.empty());
    CHECK(v.ipv4_routes().size() == 3);
}

TEST_CASE("a links resync that finds a link down derives what the kernel removed silently", "[netlink][monitor]") {
    MonitorView v;
    feed(v, {link_msg(false, 3, "core0", kUp, 1500),
             nexthop_msg({.id = 1, .gateway = IpAddress(v6("::ffff:10.0.1.2")), .ifindex = 3, .onlink = true})});
    std::vector<MonitorEvent> events;
    v.begin_resync(Table::links);
    CHECK_FALSE(v.apply(link_msg(false, 3, "core0", kNoCarrier, 1500), events));
    CHECK(events.empty());
    v.end_resync(Table::links, events);
    CHECK(texts(events) == Strings{"+ link 3 core0 up/down mtu 1500 (dump)",
                                   "- nexthop id 1 via ::ffff:10.0.1.2 dev #3 onlink proto 205 (derived)"});
}

TEST_CASE("the socket filter drops our RTM_NEWROUTE notifications and nothing else", "[netlink][monitor]") {
    auto program = own_route_update_filter(205);
    auto verdict = [&](const Msg& m) { return run_filter(program, m); };
    RouteSpec ours;
    ours.v6 = true;
    ours.dst = v6("2001:db8::");
    ours.len = 48;
    ours.protocol = 205;
    ours.nhid = 1;
    Msg ours_new = route_msg(ours);
    CHECK(verdict(ours_new) == 0);  // the compat-mode-1 flood
    ours.removed = true;
    CHECK(verdict(route_msg(ours)) == long(route_msg(ours).size()));  // drift must be seen
    ours.removed = false;
    ours.seq = 77;
    ours.extra_flags = NLM_F_MULTI;  // a dump part
    CHECK(verdict(route_msg(ours)) == long(route_msg(ours).size()));
    RouteSpec theirs = ours;
    theirs.extra_flags = 0;
    theirs.protocol = RTPROT_BGP;
    CHECK(verdict(route_msg(theirs)) == long(route_msg(theirs).size()));
    ours.extra_flags = NLM_F_REPLACE;  // other flags don't matter
    CHECK(verdict(route_msg(ours)) == 0);
    CHECK(run_filter(own_route_update_filter(186), route_msg(theirs)) == 0);
    // Other message types pass whatever sits where rtm_protocol would be.
    Msg link = link_msg(false, 205, "x", kUp, 205);
    CHECK(verdict(link) == long(link.size()));
    Msg nh = nexthop_msg({.id = 1, .gateway = IpAddress(v6("fe80::1")), .ifindex = 3});
    CHECK(verdict(nh) == long(nh.size()));
}

// --- the Monitor over a fake kernel ---

namespace {

// Answers dump requests with the current content of its tables (each part with NLM_F_MULTI and the
// request's number, then NLMSG_DONE) and sends notifications when told.
class FakeRtnl final : public Channel {
public:
    FakeRtnl() : efd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
    ~FakeRtnl() override { close(efd_); }

    std::map<Table, std::vector<Msg>> tables;
    std::vector<Table> requested;
    std::optional<Table> interrupt_once;  // that table's next dump ends with NLM_F_DUMP_INTR
    std::optional<int> refuse_nexthops;   // errno for nexthop dumps
    bool overflow_once = false;

    int fd() const override { return efd_; }

    int send(std::span<const uint8_t> bytes) override {
        nlmsghdr h;
        std::memcpy(&h, bytes.data(), sizeof h);
        REQUIRE((h.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
        Table t = table_of(h.nlmsg_type, bytes[NLMSG_HDRLEN]);
        requested.push_back(t);
        if (t == Table::nexthops && refuse_nexthops) {
            Msg e(NLMSG_HDRLEN + sizeof(nlmsgerr), 0);
            auto* eh = reinterpret_cast<nlmsghdr*>(e.data());
            eh->nlmsg_len = uint32_t(e.size());
            eh->nlmsg_type = NLMSG_ERROR;
            eh->nlmsg_seq = h.nlmsg_seq;
            int32_t code = -*refuse_nexthops;
            std::memcpy(e.data() + NLMSG_HDRLEN, &code, 4);
            std::memcpy(e.data() + NLMSG_HDRLEN + 4, &h, sizeof h);
            queue(e);
            return 0;
        }
        for (auto m : tables[t]) {
            set_header(m, h.nlmsg_seq, NLM_F_MULTI);
            queue(m);
        }
        Msg done(NLMSG_HDRLEN + 4, 0);
        nlmsghdr d{uint32_t(done.size()), NLMSG_DONE, NLM_F_MULTI, h.nlmsg_seq, 0};
        if (interrupt_once == t) {
            d.nlmsg_flags |= NLM_F_DUMP_INTR;
            interrupt_once.reset();
        }
        std::memcpy(done.data(), &d, sizeof d);
        queue(done);
        return 0;
    }

    long receive(std::span<uint8_t> buffer) override {
        if (overflow_once) {
            overflow_once = false;
            return -ENOBUFS;
        }
        if (queue_.empty()) {
            uint64_t v;
            (void)read(efd_, &v, sizeof v);
            return 0;
        }
        auto m = std::move(queue_.front());
        queue_.pop_front();
        std::memcpy(buffer.data(), m.data(), m.size());
        return long(m.size());
    }

    void notify(Msg m) { queue(std::move(m)); }
    void overflow() {
        overflow_once = true;
        uint64_t one = 1;
        (void)write(efd_, &one, sizeof one);
    }

private:
    static Table table_of(uint16_t type, uint8_t family) {
        switch (type) {
            case RTM_GETLINK: return Table::links;
            case RTM_GETADDR: return Table::addresses;
            case RTM_GETROUTE:
                return family == AF_INET ? Table::ipv4_routes : family == AF_INET6 ? Table::ipv6_routes : Table::label_routes;
            case RTM_GETNEIGH: return Table::neighbours;
            default: return Table::nexthops;
        }
    }
    void queue(Msg m) {
        queue_.push_back(std::move(m));
        uint64_t one = 1;
        (void)write(efd_, &one, sizeof one);
    }
    int efd_;
    std::deque<Msg> queue_;
};

struct MonitorRig {
    boost::asio::io_context io;
    FakeRtnl* fake;
    std::unique_ptr<Monitor> mon;
    std::vector<MonitorEvent> events;
    MonitorRig() {
        auto f = std::make_unique<FakeRtnl>();
        fake = f.get();
        fake->tables[Table::links] = {link_msg(false, 1, "lo", kUp, 65536), link_msg(false, 3, "core0", kUp, 1500)};
        fake->tables[Table::addresses] = {address_msg(false, 3, v4("10.0.1.1"), 24)};
        RouteSpec r;
        r.dst = v4("10.0.9.0");
        r.len = 24;
        r.protocol = 188;
        r.paths = {{v4("10.0.1.2"), 3, 0, {}}};
        fake->tables[Table::ipv4_routes] = {route_msg(r)};
        fake->tables[Table::nexthops] = {
            nexthop_msg({.id = 1, .gateway = IpAddress(v6("::ffff:10.0.1.2")), .ifindex = 3, .onlink = true})};
        mon = Monitor::over(io, std::move(f));
        mon->subscribe([this](const MonitorEvent& e) { events.push_back(e); });
    }
    Strings run() {
        for (int i = 0; i < 50; ++i) {
            io.restart();
            if (io.poll() == 0) break;
        }
        auto out = texts(events);
        events.clear();
        return out;
    }
};

const std::vector<Table> kOrder = {Table::links,      Table::addresses, Table::ipv4_routes, Table::ipv6_routes,
                                   Table::neighbours, Table::nexthops,  Table::label_routes};
const std::string kAll = "links, addresses, IPv4 routes, IPv6 routes, neighbours, nexthop objects, label routes";

}  // namespace

TEST_CASE("the monitor dumps every table, then says so, then follows notifications", "[netlink][monitor]") {
    MonitorRig r;
    CHECK_FALSE(r.mon->synced());
    r.mon->start();
    CHECK(r.run() == Strings{"+ link 1 lo up/up mtu 65536 (dump)", "+ link 3 core0 up/up mtu 1500 (dump)",
                             "+ address 10.0.1.1/24 dev #3 (dump)",
                             "+ route 10.0.9.0/24 via 10.0.1.2 dev #3 proto 188 metric 0 (dump)",
                             "+ nexthop id 1 via ::ffff:10.0.1.2 dev #3 onlink proto 205 (dump)",
                             "initial sync complete: " + kAll});
    CHECK(r.fake->requested == kOrder);
    CHECK(r.mon->synced());
    REQUIRE(r.mon->lookup(v4("10.0.9.77")));
    CHECK(r.mon->lookup(v4("10.0.9.77"))->protocol == 188);
    CHECK(r.mon->link(3)->name == "core0");

    r.fake->notify(address_msg(false, 3, v4("10.0.1.5"), 32));
    r.fake->notify(link_msg(false, 3, "core0", kDown, 1500));
    CHECK(r.run() == Strings{"+ address 10.0.1.5/32 dev #3", "+ link 3 core0 down/down mtu 1500",
                             "- nexthop id 1 via ::ffff:10.0.1.2 dev #3 onlink proto 205 (derived)",
                             "- route 10.0.9.0/24 via 10.0.1.2 dev #3 proto 188 metric 0 (derived)"});
    CHECK(r.mon->stats().overruns == 0);
    CHECK(r.fake->requested.size() == kOrder.size());  // no dump without a reason
}

TEST_CASE("lost notifications (ENOBUFS) re-read every table and report only the differences", "[netlink][monitor]") {
    MonitorRig r;
    r.mon->start();
    r.run();
    r.fake->requested.clear();
    // While notifications are lost: the route changes, an address appears, the nexthop goes.
    RouteSpec moved;
    moved.dst = v4("10.0.9.0");
    moved.len = 24;
    moved.protocol = 188;
    moved.paths = {{v4("10.0.1.3"), 3, 0, {}}};
    r.fake->tables[Table::ipv4_routes] = {route_msg(moved)};
    r.fake->tables[Table::addresses].push_back(address_msg(false, 3, v6("2001:db8::1"), 64));
    r.fake->tables[Table::nexthops].clear();
    r.fake->overflow();
    CHECK(r.run() == Strings{"+ address 2001:db8::1/64 dev #3 (dump)",
                             "+ route 10.0.9.0/24 via 10.0.1.3 dev #3 proto 188 metric 0 (dump)",
                             "- nexthop id 1 via ::ffff:10.0.1.2 dev #3 onlink proto 205 (dump)",
                             "resync complete: " + kAll});
    CHECK(r.fake->requested == kOrder);
    CHECK(r.mon->stats().overruns == 1);
    CHECK(r.mon->stats().resyncs == 1);
}

TEST_CASE("an interrupted dump is read again; a kernel without nexthop objects still syncs", "[netlink][monitor]") {
    MonitorRig r;
    r.fake->interrupt_once = Table::ipv4_routes;
    r.fake->refuse_nexthops = EOPNOTSUPP;
    r.mon->start();
    auto events = r.run();
    CHECK(events.back() == "initial sync complete: " + kAll);
    CHECK(std::count(events.begin(), events.end(), "+ route 10.0.9.0/24 via 10.0.1.2 dev #3 proto 188 metric 0 (dump)") == 1);
    CHECK(r.fake->requested == std::vector<Table>{Table::links, Table::addresses, Table::ipv4_routes, Table::ipv4_routes,
                                                  Table::ipv6_routes, Table::neighbours, Table::nexthops,
                                                  Table::label_routes});
    CHECK(r.mon->stats().dump_retries == 1);
    CHECK(r.mon->view().nexthops().empty());
    CHECK(r.mon->synced());
}
