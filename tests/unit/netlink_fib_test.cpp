// The desired-state layer against a fake kernel (netlink_fake_kernel.hpp): reference counts and
// request order, one replace repointing every route, adoption and the sweep (with and without a
// hold), retries with backoff, lost replies, drift repair, a link going down and up, id
// collisions, label routes, and the shadow's memory per route.
#include <catch2/catch.hpp>
#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <chrono>

#include "netlink/fib.hpp"
#include "netlink_fake_kernel.hpp"

using namespace isthmus;
using namespace isthmus::netlink;
using namespace isthmus::netlink::test;
using namespace std::chrono_literals;

namespace {

constexpr uint32_t kCore = 1001, kCore2 = 1002, kCe = 1003;  // ifindexes no test machine has: stable texts
constexpr uint32_t kFirst = 205u << 24;                        // our first nexthop id

MplsLabel L(uint32_t v) { return *MplsLabel::from_value(v); }
Ipv4Address v4(const char* t) { return *Ipv4Address::parse(t); }
Ipv6Address v6(const char* t) { return *Ipv6Address::parse(t); }
Ipv6Prefix p6(const char* t) { return *Ipv6Prefix::parse(t); }
Ipv6Prefix nth(uint32_t i) {  // 2001:db8:iiii:ii00::/56
    Ipv6Address::Bytes b{0x20, 0x01, 0x0d, 0xb8, uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)};
    return Ipv6Prefix::make(Ipv6Address(b), 56);
}

const Forwarding A = Forwarding::six_pe(v4("10.0.1.2"), kCore, {L(100), L(2)});
const Forwarding B = Forwarding::six_pe(v4("10.0.2.2"), kCore2, {L(200), L(2)});

struct Rig {
    boost::asio::io_context io;
    FakeKernel kernel{io};
    std::unique_ptr<Fib> fib;
    std::vector<std::string> reported;

    explicit Rig(FibOptions o = quick()) { make(o); }
    static FibOptions quick() {
        FibOptions o;
        o.retry_min = 1ms;
        o.retry_max = 8ms;
        return o;
    }
    void make(FibOptions o) {
        fib = std::make_unique<Fib>(io, kernel, o);
        fib->on_failure([this](const KernelError& e) { reported.push_back(e.to_string()); });
    }
    // Runs the loop until the layer has nothing left to do (timers included), or `limit`.
    void settle(std::chrono::seconds limit = 2s) {
        auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            io.restart();
            io.run_for(2ms);
            if (fib->idle()) {
                io.restart();
                io.poll();
                if (fib->idle()) return;
            }
        }
    }
    void start() {
        fib->start();
        settle();
        kernel.log.clear();
        kernel.batch_sizes.clear();
    }
    Status<std::string> route(const Ipv6Prefix& p, std::vector<Path> paths) { return fib->set_route(p, paths); }
};

std::vector<Path> one(const Forwarding& f) { return {Path{f, 1}}; }

std::string obj(uint32_t n) { return std::to_string(kFirst + n); }

}  // namespace

TEST_CASE("objects are shared by content, counted, created before and deleted after their routes", "[netlink][fib]") {
    Rig r;
    r.start();
    for (const char* p : {"2001:db8:1::/48", "2001:db8:2::/48", "2001:db8:3::/48"}) REQUIRE(r.route(p6(p), one(A)));
    REQUIRE(r.route(p6("2001:db8:4::/48"), one(B)));
    REQUIRE(r.route(p6("2001:db8:5::/48"), {Path{A, 1}, Path{B, 3}}));
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{
                              "add nexthop id " + obj(0) + " encap mpls 100/2 via ::ffff:10.0.1.2 dev ifindex 1001 onlink",
                              "add nexthop id " + obj(1) + " encap mpls 200/2 via ::ffff:10.0.2.2 dev ifindex 1002 onlink",
                              "add nexthop id " + obj(2) + " group " + obj(0) + "/" + obj(1) + ",3",
                              "add route 2001:db8:1::/48 nhid " + obj(0),
                              "add route 2001:db8:2::/48 nhid " + obj(0),
                              "add route 2001:db8:3::/48 nhid " + obj(0),
                              "add route 2001:db8:4::/48 nhid " + obj(1),
                              "add route 2001:db8:5::/48 nhid " + obj(2),
                          });
    CHECK(r.kernel.batch_sizes == std::vector<std::size_t>{8});  // one batch for all of it
    CHECK(r.fib->object_refs(NexthopId{kFirst}) == 4);          // three routes and the group
    CHECK(r.fib->object_refs(NexthopId{kFirst + 2}) == 1);
    CHECK(r.fib->route_installed(p6("2001:db8:5::/48")));
    CHECK(r.kernel.routes.size() == 5);

    // Same paths again: nothing to send. The group keyed by members is found again too.
    r.kernel.log.clear();
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    REQUIRE(r.route(p6("2001:db8:6::/48"), {Path{B, 3}, Path{A, 1}}));
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"add route 2001:db8:6::/48 nhid " + obj(2)});

    // Removing: routes first, then the group, then the objects nothing uses any more.
    r.kernel.log.clear();
    for (const char* p : {"2001:db8:5::/48", "2001:db8:6::/48", "2001:db8:4::/48"}) r.fib->remove_route(p6(p));
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"delete route 2001:db8:5::/48", "delete route 2001:db8:6::/48",
                                                   "delete route 2001:db8:4::/48", "delete nexthop " + obj(2),
                                                   "delete nexthop " + obj(1)});
    CHECK(r.fib->object_refs(NexthopId{kFirst}) == 3);
    CHECK_FALSE(r.fib->object(NexthopId{kFirst + 1}));
    CHECK(r.kernel.objects.size() == 1);

    // Moving a route to other paths: the new object first, the route replaced, the old one deleted.
    r.kernel.log.clear();
    for (const char* p : {"2001:db8:1::/48", "2001:db8:2::/48", "2001:db8:3::/48"}) REQUIRE(r.route(p6(p), one(B)));
    r.settle();
    REQUIRE(r.kernel.log.size() == 5);
    CHECK(r.kernel.log.front().rfind("add nexthop id " + obj(3) + " encap mpls 200/2", 0) == 0);
    CHECK(r.kernel.log[1] == "replace route 2001:db8:1::/48 nhid " + obj(3));
    CHECK(r.kernel.log.back() == "delete nexthop " + obj(0));
    CHECK(r.fib->idle());
    CHECK(r.fib->failures().empty());
}

TEST_CASE("new content for an object is one replace, whatever the number of routes on it", "[netlink][fib]") {
    Rig r;
    r.start();
    for (uint32_t i = 0; i < 1000; ++i) REQUIRE(r.route(nth(i), one(A)));
    r.settle();
    REQUIRE(r.kernel.routes_on(kFirst) == 1000);
    r.kernel.log.clear();
    auto relabelled = Forwarding::six_pe(v4("10.0.1.2"), kCore, {L(300), L(2)});
    CHECK(r.fib->replace_forwarding(A, relabelled));
    CHECK_FALSE(r.fib->replace_forwarding(A, relabelled));  // no object has A's content any more
    r.settle();
    CHECK(r.kernel.log ==
          std::vector<std::string>{"replace nexthop id " + obj(0) + " encap mpls 300/2 via ::ffff:10.0.1.2 dev ifindex 1001 onlink"});
    CHECK(r.kernel.object(kFirst)->labels == LabelStack{L(300), L(2)});
    CHECK(r.kernel.routes_on(kFirst) == 1000);
    CHECK(r.fib->route_nhid(nth(7)) == kFirst);
    // New routes with the new content share the same object.
    REQUIRE(r.route(nth(5000), one(relabelled)));
    r.settle();
    CHECK(r.fib->route_nhid(nth(5000)) == kFirst);
}

TEST_CASE("start-up adopts what matches, sweeps our stale entries, never touches another protocol's", "[netlink][fib]") {
    Rig r;
    // A previous run left: object 7 = A with two routes, object 8 (unused now), a route of ours in
    // another table, a label route; FRR has a route and an object of its own.
    r.kernel.objects[7] = {NexthopObject{NexthopId{7}, A.gateway, A.ifindex, A.onlink, A.labels}, 205};
    r.kernel.objects[8] = {NexthopObject{NexthopId{8}, B.gateway, B.ifindex, B.onlink, B.labels}, 205};
    r.kernel.objects[9] = {NexthopObject{NexthopId{9}, v6("fe80::9"), kCe, false, {}}, 11};
    r.kernel.routes[p6("2001:db8:1::/48")] = {7, 205};
    r.kernel.routes[p6("2001:db8:2::/48")] = {7, 205};
    r.kernel.routes[p6("2001:db8:3::/48")] = {7, 205, kDefaultMetric, 100};
    r.kernel.routes[p6("2001:db8:99::/48")] = {9, 186};
    r.kernel.mpls[300] = MplsRoute::pop(L(300), v4("10.0.1.2"), kCore);
    // The daemon already knows one route (same object content), and a label route with new content.
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    r.fib->set_mpls_route(MplsRoute::swap(L(301), {L(17)}, v4("10.0.1.2"), kCore));
    r.settle();
    CHECK(r.kernel.log.empty());  // nothing is sent before the kernel has been read
    r.fib->start();
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{
                              "add mpls route 301 as 17 via inet 10.0.1.2 dev ifindex 1001",
                              "delete mpls route 300",
                              "delete route 2001:db8:2::/48",
                              "delete route 2001:db8:3::/48 table 100",
                              "delete nexthop 8",
                          });
    CHECK(r.fib->route_nhid(p6("2001:db8:1::/48")) == 7);  // the kernel's id, adopted
    CHECK(r.kernel.routes.count(p6("2001:db8:1::/48")));
    CHECK(r.kernel.routes.count(p6("2001:db8:99::/48")));  // FRR's route and object stay
    CHECK(r.kernel.objects.count(9));
    CHECK(r.kernel.objects.count(7));
    CHECK(r.fib->stats().swept == 4);
    CHECK(r.fib->stats().adopted >= 3);
}

TEST_CASE("with a hold the sweep waits for release_sweep(), or the timer; routes set meanwhile are kept",
          "[netlink][fib]") {
    auto prepare = [](Rig& r) {
        r.kernel.objects[7] = {NexthopObject{NexthopId{7}, A.gateway, A.ifindex, A.onlink, A.labels}, 205};
        for (uint32_t i = 0; i < 10; ++i) r.kernel.routes[nth(i)] = {7, 205};
    };
    auto o = Rig::quick();
    o.sweep_hold = 10s;
    Rig r(o);
    prepare(r);
    r.start();
    CHECK(r.fib->sweep_pending());
    CHECK(r.kernel.routes.size() == 10);
    // The protocols re-learn 8 of the 10 routes, same next hop: nothing to send at all.
    for (uint32_t i = 0; i < 8; ++i) REQUIRE(r.route(nth(i), one(A)));
    r.settle();
    CHECK(r.kernel.log.empty());
    r.fib->release_sweep();
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"delete route 2001:db8:0:800::/56", "delete route 2001:db8:0:900::/56"});
    CHECK(r.kernel.routes.size() == 8);
    CHECK_FALSE(r.fib->sweep_pending());

    o.sweep_hold = 20ms;  // the timer runs out
    Rig t(o);
    prepare(t);
    t.fib->start();
    REQUIRE(t.route(nth(0), one(A)));
    t.settle();
    auto until = std::chrono::steady_clock::now() + 1s;
    while (t.kernel.routes.size() != 1 && std::chrono::steady_clock::now() < until) {
        t.io.restart();
        t.io.run_for(5ms);
    }
    CHECK(t.kernel.routes.size() == 1);
    CHECK(t.kernel.objects.count(7));  // still used by route 0
}

TEST_CASE("a refused request is reported with the kernel's reason and retried with backoff", "[netlink][fib]") {
    Rig r;
    r.start();
    r.kernel.refuse["add route 2001:db8:2::/48"] = 3;
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    REQUIRE(r.route(p6("2001:db8:2::/48"), one(A)));
    r.io.restart();
    r.io.poll();
    r.io.restart();
    r.io.poll();
    REQUIRE(r.reported.size() == 1);
    CHECK(r.reported[0] == "add route 2001:db8:2::/48 nhid " + obj(0) + ": Invalid argument (kernel: fake: refused)");
    CHECK(r.fib->failures() == r.reported);
    CHECK_FALSE(r.fib->route_installed(p6("2001:db8:2::/48")));
    CHECK(r.fib->route_installed(p6("2001:db8:1::/48")));
    r.settle();
    for (auto& l : r.kernel.log) UNSCOPED_INFO(l);
    for (auto& l : r.reported) UNSCOPED_INFO(l);
    CHECK(r.kernel.count("add route 2001:db8:2::/48") == 4);  // refused 3 times, then in
    CHECK(r.kernel.routes.count(p6("2001:db8:2::/48")));
    CHECK(r.fib->route_installed(p6("2001:db8:2::/48")));
    CHECK(r.fib->failures().empty());
    CHECK(r.reported.size() == 3);  // each refusal reported
    CHECK(r.fib->stats().retries == 3);

    // Bad input from the daemon is refused at once, and the route keeps what it had.
    CHECK(r.route(p6("2001:db8:1::/48"), {Path{A, 0}, Path{B, 1}}).error() == "route 2001:db8:1::/48: weight 0 (1..256)");
    CHECK(r.route(p6("2001:db8:1::/48"), one(Forwarding::six_pe(v4("10.0.1.2"), kCore, {L(3)}))).error() ==
          "route 2001:db8:1::/48: implicit null (3) is never pushed");
    CHECK(r.fib->route_nhid(p6("2001:db8:1::/48")) == kFirst);
}

TEST_CASE("an object the kernel refuses holds its routes back without a report per route", "[netlink][fib]") {
    Rig r;
    r.start();
    r.kernel.refuse["add nexthop id " + obj(0)] = 1;
    for (uint32_t i = 0; i < 50; ++i) REQUIRE(r.route(nth(i), one(A)));
    r.settle();
    CHECK(r.reported.size() == 1);  // the object, not its 50 routes
    CHECK(r.kernel.routes.size() == 50);
    CHECK(r.kernel.count("add nexthop") == 2);
}

TEST_CASE("lost replies make the layer read the kernel again and repair what differs", "[netlink][fib]") {
    Rig r;
    r.start();
    r.kernel.lose_replies_once = true;
    r.kernel.refuse["add route 2001:db8:2::/48"] = 1;  // refused, but the refusal is lost
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    REQUIRE(r.route(p6("2001:db8:2::/48"), one(A)));
    r.settle();
    CHECK(r.kernel.state_reads == 2);  // start-up, then after the lost replies
    CHECK(r.kernel.routes.count(p6("2001:db8:2::/48")));
    CHECK(r.fib->route_installed(p6("2001:db8:2::/48")));
}

TEST_CASE("a monitor resync (notifications lost) makes the layer re-read the kernel and repair", "[netlink][fib]") {
    Rig r;
    r.start();
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    REQUIRE(r.route(p6("2001:db8:2::/48"), one(A)));
    r.settle();
    // While the monitor was overrun: one of our routes was deleted, a stray one of ours appeared.
    r.kernel.routes.erase(p6("2001:db8:1::/48"));
    r.kernel.routes[p6("2001:db8:66::/48")] = {kFirst, 205};
    r.kernel.log.clear();
    r.fib->on_event(SyncEvent{true, {Table::links}});  // the initial sync says nothing new
    r.settle();
    CHECK(r.kernel.state_reads == 1);
    r.fib->on_event(SyncEvent{false, {Table::ipv6_routes}});
    r.settle();
    CHECK(r.kernel.state_reads == 2);
    CHECK(r.kernel.log == std::vector<std::string>{"add route 2001:db8:1::/48 nhid " + obj(0), "delete route 2001:db8:66::/48"});
    CHECK(r.fib->route_installed(p6("2001:db8:1::/48")));
}

TEST_CASE("removing most routes gives the shadow's memory back", "[netlink][fib]") {
    Rig r;
    r.start();
    r.kernel.keep_log = false;
    for (uint32_t i = 0; i < 20'000; ++i) REQUIRE(r.route(nth(i), one(A)));
    r.settle(30s);
    auto full = r.fib->stats().route_bytes;
    for (uint32_t i = 100; i < 20'000; ++i) r.fib->remove_route(nth(i));
    r.settle(30s);
    CHECK(r.kernel.routes.size() == 100);
    CHECK(r.fib->stats().routes == 100);
    CHECK(r.fib->stats().route_bytes * 50 < full);
    for (uint32_t i = 0; i < 100; ++i) CHECK(r.fib->route_nhid(nth(i)) == kFirst);
}

TEST_CASE("drift: our route deleted or our object changed by someone else is put back", "[netlink][fib]") {
    Rig r;
    r.start();
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    r.settle();
    r.kernel.log.clear();

    // `ip route del` by an admin: the monitor reports the deletion of our route.
    r.kernel.routes.erase(p6("2001:db8:1::/48"));
    Ipv6RouteInfo gone{p6("2001:db8:1::/48"), kMainTable, 205, kDefaultMetric, RouteType::unicast, {}, NexthopId{kFirst}};
    r.fib->on_event(Ipv6RouteEvent{gone, true, Origin::notification});
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"replace route 2001:db8:1::/48 nhid " + obj(0)});
    CHECK(r.kernel.routes.count(p6("2001:db8:1::/48")));
    CHECK(r.fib->stats().repairs == 1);
    // A late announcement of a deletion already repaired: the replace is harmless, nothing fails.
    r.fib->on_event(Ipv6RouteEvent{gone, true, Origin::notification});
    r.settle();
    CHECK(r.reported.empty());

    // Someone replaces our route with theirs at the same prefix and metric.
    r.kernel.log.clear();
    r.kernel.routes[p6("2001:db8:1::/48")] = {0, 3};
    Ipv6RouteInfo theirs = gone;
    theirs.protocol = 3;
    theirs.nhid = NexthopId{};
    r.fib->on_event(Ipv6RouteEvent{theirs, false, Origin::notification});
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"replace route 2001:db8:1::/48 nhid " + obj(0)});

    // Someone changes our object's labels.
    r.kernel.log.clear();
    NexthopInfo changed{NexthopId{kFirst}, 205, true, IpAddress(A.gateway), kCore, true, false, {L(999)}, {}};
    r.fib->on_event(NexthopEvent{changed, false, Origin::notification});
    r.settle();
    CHECK(r.kernel.log ==
          std::vector<std::string>{"replace nexthop id " + obj(0) + " encap mpls 100/2 via ::ffff:10.0.1.2 dev ifindex 1001 onlink"});
    // Our own content echoed back is no drift.
    r.kernel.log.clear();
    NexthopInfo same = changed;
    same.labels = A.labels;
    r.fib->on_event(NexthopEvent{same, false, Origin::notification});
    r.settle();
    CHECK(r.kernel.log.empty());
    CHECK(r.fib->stats().repairs == 4);
}

TEST_CASE("a link going down: objects and routes wait for it, then come back in order", "[netlink][fib]") {
    Rig r;
    r.start();
    for (uint32_t i = 0; i < 20; ++i) REQUIRE(r.route(nth(i), one(A)));
    REQUIRE(r.route(p6("2001:db8:ff::/48"), {Path{A, 1}, Path{B, 1}}));  // ECMP across both links
    r.settle();
    REQUIRE(r.kernel.routes.size() == 21);
    r.kernel.log.clear();

    // The kernel drops the object on the link and its 20 routes; the group keeps member B.
    r.kernel.link_down(kCore);
    CHECK(r.kernel.routes.size() == 1);
    Link down{kCore, "core0", true, false, 1500};
    r.fib->on_event(LinkEvent{down, false, Origin::notification});
    NexthopInfo lost{NexthopId{kFirst}, 205, true, IpAddress(A.gateway), kCore, true, false, A.labels, {}};
    r.fib->on_event(NexthopEvent{lost, true, Origin::derived});
    r.settle();
    CHECK(r.kernel.log.empty());  // nothing to send while the link is down: the kernel would refuse
    CHECK_FALSE(r.fib->route_installed(nth(3)));
    CHECK(r.fib->route_installed(p6("2001:db8:ff::/48")));
    CHECK(r.reported.empty());

    Link up = down;
    up.oper_up = true;
    r.kernel.down_links.clear();
    r.fib->on_event(LinkEvent{up, false, Origin::notification});
    r.settle();
    REQUIRE(r.kernel.log.size() == 22);
    CHECK(r.kernel.log[0].rfind("add nexthop id " + obj(0), 0) == 0);
    CHECK(r.kernel.log[1] == "replace nexthop id " + obj(2) + " group " + obj(0) + "/" + obj(1));  // member back
    CHECK(r.kernel.log[2].rfind("add route ", 0) == 0);
    CHECK(r.kernel.routes.size() == 21);
    CHECK(r.fib->route_installed(nth(3)));
    CHECK(r.kernel.group(kFirst + 2)->members.size() == 2);
}

TEST_CASE("an id another program holds is skipped, and found out if the kernel says so", "[netlink][fib]") {
    Rig r;
    r.start();
    // Announced by the monitor: never allocated.
    NexthopInfo frr{NexthopId{kFirst}, 11, false, IpAddress(v4("10.0.1.2")), kCore, false, false, {}, {}};
    r.fib->on_event(NexthopEvent{frr, false, Origin::dump});
    // Not announced: the kernel's EEXIST tells.
    r.kernel.objects[kFirst + 1] = {NexthopObject{NexthopId{kFirst + 1}, v6("fe80::1"), kCe, false, {}}, 11};
    REQUIRE(r.route(p6("2001:db8:1::/48"), one(A)));
    r.settle();
    CHECK(r.kernel.count("add nexthop id " + obj(1)) == 1);
    CHECK(r.fib->route_nhid(p6("2001:db8:1::/48")) == kFirst + 2);
    CHECK(r.kernel.routes.at(p6("2001:db8:1::/48")).nhid == kFirst + 2);
    CHECK(r.kernel.object(kFirst + 1)->gateway == v6("fe80::1"));  // theirs untouched
    CHECK(r.reported.empty());
}

TEST_CASE("label routes: swap, pop, pop to an IPv6 CE, multipath; replaced and deleted", "[netlink][fib]") {
    Rig r;
    r.start();
    r.fib->set_mpls_route(MplsRoute::swap(L(100), {L(200)}, v4("10.0.1.2"), kCore));
    r.fib->set_mpls_route(MplsRoute::pop(L(101), v4("10.0.1.2"), kCore));
    r.fib->set_mpls_route(MplsRoute::pop_to_ipv6(L(102), v6("2001:db8:ce::2"), kCe));
    MplsRoute multi{L(103), {MplsPath{IpAddress(v4("10.0.1.2")), kCore, {L(300)}}, MplsPath{IpAddress(v4("10.0.2.2")), kCore2, {L(301)}}}};
    r.fib->set_mpls_route(multi);
    r.settle();
    CHECK(r.kernel.mpls.size() == 4);
    CHECK(r.kernel.mpls.at(103) == multi);
    CHECK(r.kernel.count("add mpls route") == 4);
    r.fib->set_mpls_route(MplsRoute::swap(L(100), {L(201)}, v4("10.0.1.2"), kCore));
    r.fib->set_mpls_route(MplsRoute::pop(L(101), v4("10.0.1.2"), kCore));  // unchanged: nothing
    r.fib->remove_mpls_route(L(102));
    r.kernel.log.clear();
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"replace mpls route 100 as 201 via inet 10.0.1.2 dev ifindex 1001",
                                                   "delete mpls route 102"});
}

TEST_CASE("drift of label routes: ours deleted or replaced by another owner is put back", "[netlink][fib]") {
    Rig r;
    r.start();
    auto swap = MplsRoute::swap(L(100), {L(200)}, v4("10.0.1.2"), kCore);
    r.fib->set_mpls_route(swap);
    r.settle();
    r.kernel.log.clear();
    r.kernel.mpls.erase(100);
    r.fib->on_event(LabelRouteEvent{LabelRouteInfo{MplsRoute{L(100), {}}, 205}, true, Origin::notification});
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"replace mpls route 100 as 200 via inet 10.0.1.2 dev ifindex 1001"});
    CHECK(r.kernel.mpls.at(100) == swap);
    // Another owner's label route in its place (ldpd, say), then an echo of our own: only the first counts.
    r.kernel.log.clear();
    auto theirs = MplsRoute::pop(L(100), v4("10.0.2.2"), kCore2);
    r.fib->on_event(LabelRouteEvent{LabelRouteInfo{theirs, 11}, false, Origin::notification});
    r.fib->on_event(LabelRouteEvent{LabelRouteInfo{MplsRoute{L(999), {}}, 205}, true, Origin::notification});  // not ours
    r.settle();
    CHECK(r.kernel.log == std::vector<std::string>{"replace mpls route 100 as 200 via inet 10.0.1.2 dev ifindex 1001"});
    CHECK(r.fib->stats().repairs == 2);
}

TEST_CASE("the shadow costs under 64 bytes a route, counted by its allocations", "[netlink][fib]") {
    Rig r;
    r.start();
    r.kernel.keep_log = false;
    constexpr uint32_t n = 100'000;
#if !defined(__SANITIZE_ADDRESS__)
    auto heap = [] {  // bytes in use: small chunks, and the large ones malloc maps on their own
        auto m = mallinfo2();
        return m.uordblks + m.hblkhd;
    };
    auto before = heap();
#endif
    for (uint32_t i = 0; i < n; ++i) REQUIRE(r.route(nth(i), one(i % 2 ? A : B)));
    r.settle(60s);
    REQUIRE(r.kernel.routes.size() == n);
    auto s = r.fib->stats();
    CHECK(s.routes == n);
    CHECK(s.objects == 2);
    double per_route = double(s.route_bytes) / n;
    INFO("route shadow: " << per_route << " B/route");
    CHECK(per_route < 64);
#if !defined(__SANITIZE_ADDRESS__)
    // Everything the layer holds (the fake kernel's own tables excluded).
    std::size_t kernel_bytes = 0;
    {
        auto after = heap();
        // The fake kernel's map: a node per route; measured the same way on a copy.
        auto k0 = heap();
        auto copy = r.kernel.routes;
        kernel_bytes = heap() - k0;
        double total = double(after - before - kernel_bytes) / n;
        INFO("all of the layer's allocations: " << total << " B/route");
        CHECK(total < 64);
    }
#endif
}
