// ldp/discovery/protection.hpp with a fake clock: targeted Hellos start with the first link
// adjacency, survive link loss while the session is up (for `duration` at most), stop when the
// session goes with no link left, follow a new transport address; off, nothing happens.
#include <catch2/catch.hpp>

#include "ldp/discovery/protection.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::discovery;
using namespace std::chrono_literals;

namespace {

const LdpId kPeer{RouterId(0x0a000002), 0};
const Ipv4Address kTransport = Ipv4Address::from_uint(0x0a000002);
const SessionProtection::TimePoint kT0{};

}  // namespace

TEST_CASE("protection: off does nothing", "[ldp][protection]") {
    SessionProtection p({false, std::nullopt});
    CHECK(p.link_adjacencies(kPeer, 1, kTransport, false, kT0).empty());
    CHECK_FALSE(p.protecting(kPeer));
}

TEST_CASE("protection: starts with the first link adjacency, once", "[ldp][protection]") {
    SessionProtection p({true, std::nullopt});
    CHECK(p.link_adjacencies(kPeer, 1, kTransport, false, kT0) ==
          std::vector<ProtectionOutput>{ProtectionStart{kPeer, kTransport}});
    CHECK(p.protecting(kPeer));
    CHECK_FALSE(p.holding(kPeer));
    CHECK(p.link_adjacencies(kPeer, 2, kTransport, false, kT0).empty());  // a second link
    CHECK(p.session_state(kPeer, true).empty());
}

TEST_CASE("protection: link lost with the session up holds, link back changes nothing", "[ldp][protection]") {
    SessionProtection p({true, std::nullopt});
    p.link_adjacencies(kPeer, 1, kTransport, false, kT0);
    p.session_state(kPeer, true);
    CHECK(p.link_adjacencies(kPeer, 0, {}, true, kT0 + 1s).empty());
    CHECK(p.holding(kPeer));
    CHECK_FALSE(p.next_expiry());  // no duration: as long as the session stays up
    CHECK(p.expire(kT0 + 100000s).empty());
    CHECK(p.link_adjacencies(kPeer, 1, kTransport, true, kT0 + 2s).empty());
    CHECK(p.protecting(kPeer));
    CHECK_FALSE(p.holding(kPeer));
}

TEST_CASE("protection: the held session fails: the targeted Hellos stop", "[ldp][protection]") {
    SessionProtection p({true, std::nullopt});
    p.link_adjacencies(kPeer, 1, kTransport, true, kT0);
    p.link_adjacencies(kPeer, 0, {}, true, kT0);
    CHECK(p.session_state(kPeer, false) == std::vector<ProtectionOutput>{ProtectionStop{kPeer, kTransport}});
    CHECK_FALSE(p.protecting(kPeer));
    CHECK(p.states().empty());
}

TEST_CASE("protection: a session down while the link is up keeps protecting", "[ldp][protection]") {
    SessionProtection p({true, std::nullopt});
    p.link_adjacencies(kPeer, 1, kTransport, true, kT0);
    CHECK(p.session_state(kPeer, false).empty());
    CHECK(p.protecting(kPeer));
}

TEST_CASE("protection: link lost while no session is up: nothing to protect", "[ldp][protection]") {
    SessionProtection p({true, std::nullopt});
    p.link_adjacencies(kPeer, 1, kTransport, false, kT0);
    CHECK(p.link_adjacencies(kPeer, 0, {}, false, kT0) ==
          std::vector<ProtectionOutput>{ProtectionStop{kPeer, kTransport}});
}

TEST_CASE("protection: duration limits the hold after link loss", "[ldp][protection]") {
    SessionProtection p({true, 30s});
    p.link_adjacencies(kPeer, 1, kTransport, true, kT0);
    p.link_adjacencies(kPeer, 0, {}, true, kT0 + 10s);
    CHECK(p.next_expiry() == kT0 + 40s);
    CHECK(p.expire(kT0 + 39s).empty());
    SECTION("the link comes back in time") {
        p.link_adjacencies(kPeer, 1, kTransport, true, kT0 + 20s);
        CHECK_FALSE(p.next_expiry());
        CHECK(p.expire(kT0 + 40s).empty());
    }
    SECTION("it does not") {
        CHECK(p.expire(kT0 + 40s) == std::vector<ProtectionOutput>{ProtectionStop{kPeer, kTransport}});
        CHECK_FALSE(p.protecting(kPeer));
    }
}

TEST_CASE("protection: a new transport address moves the targeted Hellos", "[ldp][protection]") {
    SessionProtection p({true, std::nullopt});
    p.link_adjacencies(kPeer, 1, kTransport, true, kT0);
    auto other = Ipv4Address::from_uint(0x0a000063);
    CHECK(p.link_adjacencies(kPeer, 1, other, true, kT0) ==
          std::vector<ProtectionOutput>{ProtectionStop{kPeer, kTransport}, ProtectionStart{kPeer, other}});
}
