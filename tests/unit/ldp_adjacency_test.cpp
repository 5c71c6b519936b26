#include <catch2/catch.hpp>

#include "ldp/discovery/adjacency.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::discovery;
using std::chrono::seconds;

namespace {

const LdpId kUs{RouterId(0x0a000001), 0};
const LdpId kB{RouterId(0x0a000002), 0};
const LdpId kC{RouterId(0x0a000003), 0};
const Ipv4Address kLinkB = Ipv4Address::from_uint(0xc0a80102);  // 192.168.1.2
const Ipv4Address kLinkB2 = Ipv4Address::from_uint(0xc0a80202);  // 192.168.2.2
const Ipv4Address kLoopB = Ipv4Address::from_uint(0x0a000002);
const Ipv4Address kLoopC = Ipv4Address::from_uint(0x0a000003);

const TimePoint t0{};  // the fake clock: t0 + seconds(n)
TimePoint at(int s) { return t0 + seconds(s); }

DiscoveryConfig config() {
    DiscoveryConfig c;
    c.self = kUs;
    return c;
}

ReceivedHello link_hello(LdpId from, Ipv4Address source, uint32_t ifindex, uint16_t hold = 0,
                         std::optional<Ipv4Address> transport = std::nullopt) {
    ReceivedHello h;
    h.from = from;
    h.source = source;
    h.ifindex = ifindex;
    h.hello.params.hold_time = hold;
    h.hello.transport_v4 = transport;
    return h;
}

ReceivedHello targeted_hello(LdpId from, Ipv4Address source, uint16_t hold = 0, bool request = false) {
    ReceivedHello h;
    h.from = from;
    h.source = source;
    h.hello.params.hold_time = hold;
    h.hello.params.targeted = true;
    h.hello.params.request_targeted = request;
    return h;
}

AdjacencyKey link_key(LdpId lsr, uint32_t ifindex) { return {lsr, {false, ifindex, Ipv4Address()}}; }
AdjacencyKey targeted_key(LdpId lsr, Ipv4Address a) { return {lsr, {true, 0, a}}; }

using Outputs = std::vector<Output>;

}  // namespace

TEST_CASE("LDP discovery: hold time negotiation", "[ldp][discovery]") {
    CHECK(proposed_hold_time(0, false) == 15);
    CHECK(proposed_hold_time(0, true) == 45);
    CHECK(proposed_hold_time(30, false) == 30);
    CHECK(negotiated_hold_time(15, 30, false) == 15);
    CHECK(negotiated_hold_time(30, 15, false) == 15);
    CHECK(negotiated_hold_time(0, 30, false) == 15);     // our 0 is the link default
    CHECK(negotiated_hold_time(60, 0, true) == 45);      // their 0 is the targeted default
    CHECK(negotiated_hold_time(0, 0, true) == 45);
    CHECK(negotiated_hold_time(15, 0xffff, false) == 15);  // infinite only if both say so
    CHECK(negotiated_hold_time(0xffff, 0xffff, true) == 0xffff);
    CHECK(negotiated_hold_time(0xffff, 0, false) == 15);
}

TEST_CASE("LDP discovery: a link Hello creates an adjacency and asks for a session", "[ldp][discovery]") {
    AdjacencyTable t(config());
    auto out = t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(0));
    CHECK(out == Outputs{AdjacencyUp{link_key(kB, 3), kLoopB, 15}, SessionNeeded{kB, kLoopB}});
    CHECK(t.session_transport(kB) == kLoopB);
    CHECK(t.next_expiry() == at(15));

    // Refreshed at 10 s: nothing to report, deadline moves to 25 s.
    CHECK(t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(10)).empty());
    CHECK(t.expire(at(24)).empty());
    CHECK(t.expire(at(25)) == Outputs{AdjacencyDown{link_key(kB, 3), DownReason::hold_expired}, SessionNotNeeded{kB}});
    CHECK(t.adjacencies().empty());
    CHECK_FALSE(t.session_transport(kB));
    CHECK_FALSE(t.next_expiry());
}

TEST_CASE("LDP discovery: transport address is the source without a Transport Address TLV", "[ldp][discovery]") {
    AdjacencyTable t(config());
    auto out = t.hello_received(link_hello(kB, kLinkB, 3), at(0));
    CHECK(out == Outputs{AdjacencyUp{link_key(kB, 3), kLinkB, 15}, SessionNeeded{kB, kLinkB}});
}

TEST_CASE("LDP discovery: hold times from the Hello", "[ldp][discovery]") {
    SECTION("shorter than ours") {
        AdjacencyTable t(config());
        t.hello_received(link_hello(kB, kLinkB, 3, 5, kLoopB), at(100));
        CHECK(t.next_expiry() == at(105));
        CHECK(t.adjacencies().at(link_key(kB, 3)).hold_time == 5);
    }
    SECTION("0 means the default") {
        DiscoveryConfig c = config();
        c.link_hold_time = 30;
        AdjacencyTable t(c);
        t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(0));
        CHECK(t.adjacencies().at(link_key(kB, 3)).hold_time == 15);
    }
    SECTION("0xffff from both: never expires") {
        DiscoveryConfig c = config();
        c.link_hold_time = kInfiniteHoldTime;
        AdjacencyTable t(c);
        t.hello_received(link_hello(kB, kLinkB, 3, 0xffff, kLoopB), at(0));
        CHECK(t.adjacencies().at(link_key(kB, 3)).hold_time == 0xffff);
        CHECK_FALSE(t.next_expiry());
        CHECK(t.expire(at(1000000)).empty());
        CHECK(t.adjacencies().size() == 1);
    }
    SECTION("0xffff from them only: ours applies") {
        AdjacencyTable t(config());
        t.hello_received(link_hello(kB, kLinkB, 3, 0xffff, kLoopB), at(0));
        CHECK(t.next_expiry() == at(15));
    }
    SECTION("a changed hold time is reported again") {
        AdjacencyTable t(config());
        t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(0));
        CHECK(t.hello_received(link_hello(kB, kLinkB, 3, 6, kLoopB), at(1)) ==
              Outputs{AdjacencyUp{link_key(kB, 3), kLoopB, 6}});
        CHECK(t.next_expiry() == at(7));
    }
}

TEST_CASE("LDP discovery: several adjacencies to one LSR keep one session", "[ldp][discovery]") {
    DiscoveryConfig c = config();
    c.targeted_neighbors = {kLoopB};
    AdjacencyTable t(c);
    CHECK(t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(0)) ==
          Outputs{AdjacencyUp{link_key(kB, 3), kLoopB, 15}, SessionNeeded{kB, kLoopB}});
    CHECK(t.hello_received(link_hello(kB, kLinkB2, 4, 0, kLoopB), at(5)) ==
          Outputs{AdjacencyUp{link_key(kB, 4), kLoopB, 15}});
    ReceivedHello th = targeted_hello(kB, kLoopB);
    th.hello.transport_v4 = kLoopB;
    CHECK(t.hello_received(th, at(5)) == Outputs{AdjacencyUp{targeted_key(kB, kLoopB), kLoopB, 45}});
    CHECK(t.adjacency_count(kB) == 3);

    // The first link adjacency expires at 15 s: the session stays.
    CHECK(t.expire(at(15)) == Outputs{AdjacencyDown{link_key(kB, 3), DownReason::hold_expired}});
    CHECK(t.session_transport(kB) == kLoopB);
    // Interface 4 goes down: the targeted adjacency still holds the session.
    CHECK(t.interface_down(4) == Outputs{AdjacencyDown{link_key(kB, 4), DownReason::interface_down}});
    CHECK(t.next_expiry() == at(50));
    // The last one expires: the session is no longer needed.
    CHECK(t.expire(at(50)) ==
          Outputs{AdjacencyDown{targeted_key(kB, kLoopB), DownReason::hold_expired}, SessionNotNeeded{kB}});
}

TEST_CASE("LDP discovery: adjacencies with two LSRs expire on their own clocks", "[ldp][discovery]") {
    AdjacencyTable t(config());
    t.hello_received(link_hello(kB, kLinkB, 3, 10, kLoopB), at(0));
    auto out = t.hello_received(link_hello(kC, Ipv4Address::from_uint(0xc0a80103), 3, 20, kLoopC), at(0));
    CHECK(out == Outputs{AdjacencyUp{link_key(kC, 3), kLoopC, 15}, SessionNeeded{kC, kLoopC}});
    CHECK(t.next_expiry() == at(10));
    CHECK(t.expire(at(12)) == Outputs{AdjacencyDown{link_key(kB, 3), DownReason::hold_expired}, SessionNotNeeded{kB}});
    CHECK(t.next_expiry() == at(15));
    CHECK(t.session_transport(kC) == kLoopC);
}

TEST_CASE("LDP discovery: targeted Hellos and the accept option (RFC 5036 2.4.2)", "[ldp][discovery]") {
    SECTION("configured neighbour: accepted, 45 s default") {
        DiscoveryConfig c = config();
        c.targeted_neighbors = {kLoopB};
        AdjacencyTable t(c);
        CHECK(t.hello_received(targeted_hello(kB, kLoopB), at(0)) ==
              Outputs{AdjacencyUp{targeted_key(kB, kLoopB), kLoopB, 45}, SessionNeeded{kB, kLoopB}});
        CHECK(t.adjacencies().at(targeted_key(kB, kLoopB)).send_targeted);
    }
    SECTION("not configured, option off: ignored even with R") {
        AdjacencyTable t(config());
        auto out = t.hello_received(targeted_hello(kB, kLoopB, 0, true), at(0));
        REQUIRE(out.size() == 1);
        CHECK(std::holds_alternative<HelloIgnored>(out[0]));
        CHECK(t.adjacencies().empty());
    }
    SECTION("not configured, option on: accepted when it asks with R") {
        DiscoveryConfig c = config();
        c.accept_targeted_hellos = true;
        AdjacencyTable t(c);
        auto no_r = t.hello_received(targeted_hello(kB, kLoopB, 0, false), at(0));
        CHECK(std::holds_alternative<HelloIgnored>(no_r.at(0)));
        CHECK(t.hello_received(targeted_hello(kB, kLoopB, 90, true), at(0)) ==
              Outputs{AdjacencyUp{targeted_key(kB, kLoopB), kLoopB, 45}, SessionNeeded{kB, kLoopB}});
        // Once up, its Hellos keep it up even without R.
        CHECK(t.hello_received(targeted_hello(kB, kLoopB, 90, false), at(40)).empty());
        CHECK(t.next_expiry() == at(85));
    }
    SECTION("removing a configured neighbour drops its adjacency") {
        DiscoveryConfig c = config();
        c.targeted_neighbors = {kLoopB};
        AdjacencyTable t(c);
        t.hello_received(targeted_hello(kB, kLoopB), at(0));
        CHECK(t.remove_targeted_neighbor(kLoopB) ==
              Outputs{AdjacencyDown{targeted_key(kB, kLoopB), DownReason::deconfigured}, SessionNotNeeded{kB}});
        CHECK(std::holds_alternative<HelloIgnored>(t.hello_received(targeted_hello(kB, kLoopB), at(1)).at(0)));
    }
}

TEST_CASE("LDP discovery: Hellos that are refused", "[ldp][discovery]") {
    AdjacencyTable t(config());
    auto own = t.hello_received(link_hello(kUs, kLinkB, 3), at(0));
    CHECK(own == Outputs{HelloIgnored{"our own Hello"}});

    t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(0));
    // Another adjacency of B naming another transport address cannot join B's session.
    auto other = t.hello_received(link_hello(kB, kLinkB2, 4, 0, kLinkB2), at(1));
    REQUIRE(other.size() == 1);
    CHECK(std::holds_alternative<HelloIgnored>(other[0]));
    CHECK(t.adjacency_count(kB) == 1);
}

TEST_CASE("LDP discovery: the configuration sequence number is kept", "[ldp][discovery]") {
    AdjacencyTable t(config());
    ReceivedHello h = link_hello(kB, kLinkB, 3, 0, kLoopB);
    h.hello.config_sequence = 7;
    t.hello_received(h, at(0));
    CHECK(t.adjacencies().at(link_key(kB, 3)).config_sequence == 7u);
    h.hello.config_sequence = 8;
    CHECK(t.hello_received(h, at(1)).empty());
    CHECK(t.adjacencies().at(link_key(kB, 3)).config_sequence == 8u);
}

TEST_CASE("LDP discovery: an LSR's only adjacency changing its transport address moves the session",
          "[ldp][discovery]") {
    AdjacencyTable t(config());
    t.hello_received(link_hello(kB, kLinkB, 3, 0, kLoopB), at(0));
    CHECK(t.hello_received(link_hello(kB, kLinkB, 3, 0, kLinkB), at(1)) ==
          Outputs{AdjacencyUp{link_key(kB, 3), kLinkB, 15}, SessionNotNeeded{kB}, SessionNeeded{kB, kLinkB}});
    CHECK(t.session_transport(kB) == kLinkB);
}
