// The session layer's pure parts: our OPEN per neighbor, the checks on the peer's
// OPEN with the NOTIFICATION each refusal sends, collision resolution, TTL/GTSM policy.
#include <catch2/catch.hpp>

#include "bgp/session/open_policy.hpp"
#include "bgp/session/socket_options.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::session;

namespace {

LocalIdentity local_pe() {
    LocalIdentity l;
    l.asn = Asn(65000);
    l.router_id = RouterId::from_address(Ipv4Address::from_uint(0x0a000001));
    return l;
}

config::BgpNeighbor six_pe_neighbor() {
    config::BgpNeighbor n;
    n.address = Ipv4Address::from_uint(0x0a000002);
    n.remote_as = Asn(65000);
    n.families = {config::Family::ipv6_labeled_unicast};
    n.timers.hold_time = std::chrono::seconds(9);
    return n;
}

Open peer_open(uint32_t asn, uint32_t id, std::vector<Capability> caps, uint16_t hold = 90) {
    Open o;
    o.my_as = Asn(asn).as_two_octet();
    o.hold_time = hold;
    o.bgp_id = RouterId(id);
    o.capabilities = std::move(caps);
    if (asn > 0xffff || !o.find<FourOctetAsCapability>()) o.capabilities.push_back(FourOctetAsCapability{Asn(asn)});
    return o;
}

const Capability k6pe = MultiprotocolCapability{afi_safi_of(Family::Ipv6Labeled)};
const Capability kV6 = MultiprotocolCapability{afi_safi_of(Family::Ipv6Unicast)};

}  // namespace

TEST_CASE("our OPEN announces the neighbor's families, 4-octet AS, route refresh and GR per config",
          "[bgp][session]") {
    auto local = local_pe();
    local.asn = Asn(4200000001u);
    auto n = six_pe_neighbor();
    n.families = {config::Family::ipv6_unicast, config::Family::ipv6_labeled_unicast};
    auto o = make_open(local, n);
    CHECK(o.my_as == Asn::kTrans);  // RFC 6793: AS_TRANS in the 2-octet field
    CHECK(o.asn() == Asn(4200000001u));
    CHECK(o.hold_time == 9);
    CHECK(o.bgp_id == local.router_id);
    std::vector<AfiSafi> mp;
    for (auto& c : o.capabilities)
        if (auto* m = std::get_if<MultiprotocolCapability>(&c)) mp.push_back(m->afi_safi);
    CHECK(mp == std::vector<AfiSafi>{{2, 1}, {2, 4}});
    CHECK(o.find<RouteRefreshCapability>());
    CHECK(o.find<EnhancedRouteRefreshCapability>());
    CHECK_FALSE(o.find<GracefulRestartCapability>());  // mode off

    local.graceful_restart = config::GracefulRestartMode::helper;
    local.restart_time = std::chrono::seconds(30);
    auto helper = make_open(local, n);
    REQUIRE(helper.find<GracefulRestartCapability>());
    CHECK(helper.find<GracefulRestartCapability>()->restart_time == 30);
    CHECK(helper.find<GracefulRestartCapability>()->entries.empty());  // a helper keeps no forwarding state

    local.graceful_restart = config::GracefulRestartMode::full;
    auto full = make_open(local, n);
    REQUIRE(full.find<GracefulRestartCapability>());
    CHECK(full.find<GracefulRestartCapability>()->entries.size() == 2);
    CHECK(full.find<GracefulRestartCapability>()->entries[0].forwarding_preserved);
}

TEST_CASE("an acceptable OPEN: families both announced, hold time the smaller one, unknown capabilities ignored",
          "[bgp][session]") {
    auto local = local_pe();
    auto n = six_pe_neighbor();
    auto ours = make_open(local, n);
    auto theirs = peer_open(65000, 0x0a000002, {k6pe, kV6, UnknownCapability{200, {1, 2, 3}}}, 30);
    auto a = check_open(ours, theirs, n, local);
    REQUIRE(a.ok());
    CHECK(a->negotiated.families == std::vector<Family>{Family::Ipv6Labeled});
    CHECK(a->hold == std::chrono::seconds(9));
    CHECK(a->peer_asn == Asn(65000));
    CHECK(a->peer_id == RouterId(0x0a000002));

    // Hold time 0 on either side: no keepalives at all (RFC 4271 4.2).
    auto zero = check_open(ours, peer_open(65000, 0x0a000002, {k6pe}, 0), n, local);
    REQUIRE(zero.ok());
    CHECK(zero->hold == std::chrono::seconds(0));
}

TEST_CASE("OPEN refusals carry the RFC 4271 6.2 / RFC 5492 NOTIFICATION", "[bgp][session]") {
    auto local = local_pe();
    auto n = six_pe_neighbor();
    auto ours = make_open(local, n);

    SECTION("wrong peer AS: 2/2") {
        auto r = check_open(ours, peer_open(65001, 0x0a000002, {k6pe}), n, local);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Notification{2, 2, {}});
    }
    SECTION("a 4-octet AS is checked in its capability, not the AS_TRANS field") {
        n.remote_as = Asn(4200000002u);
        ours = make_open(local, n);
        CHECK(check_open(ours, peer_open(4200000002u, 0x0a000002, {k6pe}), n, local).ok());
        auto r = check_open(ours, peer_open(4200000003u, 0x0a000002, {k6pe}), n, local);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().subcode == open_error::kBadPeerAs);
    }
    SECTION("the peer uses our BGP identifier: 2/3") {
        auto r = check_open(ours, peer_open(65000, local.router_id.value(), {k6pe}), n, local);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Notification{2, 3, {}});
    }
    SECTION("no common family: 2/7 with our multiprotocol capability as data") {
        auto r = check_open(ours, peer_open(65000, 0x0a000002, {kV6}), n, local);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Notification{2, 7, {1, 4, 0, 2, 0, 4}});
    }
    SECTION("a peer without any multiprotocol capability speaks IPv4 unicast only: 2/7") {
        auto r = check_open(ours, peer_open(65000, 0x0a000002, {}), n, local);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().subcode == open_error::kUnsupportedCapability);
    }
}

TEST_CASE("connection collision keeps the connection opened by the higher identifier (RFC 4271 6.8)",
          "[bgp][session]") {
    CHECK(keep_locally_initiated(RouterId(0x0a000002), RouterId(0x0a000001)));
    CHECK_FALSE(keep_locally_initiated(RouterId(0x0a000001), RouterId(0x0a000002)));
    // Compared as unsigned 32-bit integers, not as text.
    CHECK(keep_locally_initiated(RouterId(0xc0000001), RouterId(0x0a000001)));
}

TEST_CASE("TTL policy: eBGP single hop, multihop, GTSM, iBGP default", "[bgp][session]") {
    auto single = ttl_policy(true, std::nullopt, std::nullopt);
    CHECK(single.ttl == 1);
    CHECK(single.min_ttl == 0);
    CHECK(ttl_policy(true, 5, std::nullopt).ttl == 5);
    auto gtsm = ttl_policy(true, std::nullopt, 1);
    CHECK(gtsm.ttl == 255);
    CHECK(gtsm.min_ttl == 255);  // RFC 5082: one hop away, 255 - (1 - 1)
    CHECK(ttl_policy(false, std::nullopt, 3).min_ttl == 253);
    auto ibgp = ttl_policy(false, std::nullopt, std::nullopt);
    CHECK(ibgp.ttl == 0);
    CHECK(ibgp.min_ttl == 0);
}
