// Byte <-> value vectors for the BGP codec, both directions. The .hex files are
// hand-built from the RFC layouts (see tests/data/bgp/README.md); vectors
// from real peer captures come in a later session.
#include <catch2/catch.hpp>

#include "bgp/codec/message.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using test::load_vector;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }
Ipv4Prefix p4(const char* s) { return *Ipv4Prefix::parse(s); }
MplsLabel label(uint32_t v) { return MplsLabel::checked(v); }

template <class T>
T decode_as(const std::vector<uint8_t>& bytes, const Context& ctx = {}) {
    auto m = decode(bytes, ctx);
    INFO((m ? std::string() : m.error().to_string()));
    REQUIRE(m);
    REQUIRE(std::holds_alternative<T>(*m));
    return std::get<T>(*m);
}

std::vector<uint8_t> encoded(const Message& m, const Context& ctx = {}) {
    auto b = encode(m, ctx);
    INFO((b ? std::string() : b.error().reason));
    REQUIRE(b);
    return *b;
}

Open full_open() {
    Open o;
    o.my_as = 65001;
    o.hold_time = 90;
    o.bgp_id = RouterId::from_address(v4("192.0.2.1"));
    o.capabilities = {
        MultiprotocolCapability{{1, 1}},
        MultiprotocolCapability{{2, 4}},
        RouteRefreshCapability{},
        EnhancedRouteRefreshCapability{},
        FourOctetAsCapability{Asn(65001)},
        GracefulRestartCapability{true, false, 120, {{{2, 4}, true}}},
        AddPathCapability{{{{2, 4}, AddPathCapability::Both}}},
        ExtendedNextHopCapability{{{1, 1, 2}}},
        ExtendedMessageCapability{},
        FqdnCapability{"pe1", "lab"},
        UnknownCapability{128, {}},
    };
    return o;
}

PathAttributes ibgp_attrs() {
    PathAttributes a;
    a.origin = Origin::Igp;
    a.as_path = AsPath{};
    a.local_pref = 100;
    return a;
}

}  // namespace

TEST_CASE("OPEN with every capability, both ways", "[bgp]") {
    auto bytes = load_vector("open_full.hex");
    auto o = decode_as<Open>(bytes);
    CHECK(o == full_open());
    CHECK(o.asn() == Asn(65001));
    REQUIRE(o.find<GracefulRestartCapability>());
    CHECK(o.find<GracefulRestartCapability>()->restart_time == 120);
    CHECK(o.find<FqdnCapability>()->hostname == "pe1");
    CHECK(encoded(full_open()) == bytes);
}

TEST_CASE("6PE UPDATE: labels with bottom of stack, v4-mapped next hop decoded once", "[bgp]") {
    auto bytes = load_vector("update_6pe.hex");
    auto u = decode_as<Update>(bytes);
    CHECK(u.errors.empty());
    CHECK(u.attrs == ibgp_attrs());
    REQUIRE(u.mp_reach);
    CHECK(u.mp_reach->family == Family::Ipv6Labeled);
    REQUIRE(std::holds_alternative<MappedNextHop>(u.mp_reach->next_hop));
    CHECK(std::get<MappedNextHop>(u.mp_reach->next_hop).v4 == v4("192.0.2.1"));
    REQUIRE(u.mp_reach->v6.size() == 2);
    CHECK(u.mp_reach->v6[0] == Ipv6Nlri{p6("2001:db8:1::/48"), 0, {MplsLabel::implicit_null()}});
    CHECK(u.mp_reach->v6[1] == Ipv6Nlri{p6("2001:db8:2::/64"), 0, {label(1000)}});

    Update expected;
    expected.attrs = ibgp_attrs();
    expected.mp_reach = MpReach{Family::Ipv6Labeled,
                                MappedNextHop{v4("192.0.2.1")},
                                {},
                                {{p6("2001:db8:1::/48"), 0, {MplsLabel::implicit_null()}},
                                 {p6("2001:db8:2::/64"), 0, {label(1000)}}}};
    CHECK(u == expected);
    CHECK(encoded(expected) == bytes);
}

TEST_CASE("IPv4 UPDATE with every attribute, both ways", "[bgp]") {
    auto bytes = load_vector("update_ipv4_full.hex");
    Update expected;
    expected.withdrawn = {{p4("172.16.0.0/12"), 0, {}}};
    auto& a = expected.attrs;
    a.origin = Origin::Igp;
    a.as_path = AsPath{{{AsPathSegment::Type::Sequence, {Asn(65001), Asn(65002)}},
                        {AsPathSegment::Type::Set, {Asn(65003), Asn(65004)}}}};
    a.next_hop = v4("192.0.2.1");
    a.med = 50;
    a.local_pref = 100;
    a.atomic_aggregate = true;
    a.aggregator = Aggregator{Asn(65001), v4("192.0.2.1")};
    a.communities = {Community::make(65001, 100), Community::no_export()};
    a.originator_id = RouterId::from_address(v4("192.0.2.2"));
    a.cluster_list = {RouterId::from_address(v4("192.0.2.3"))};
    a.extended_communities = {ExtendedCommunity{{0x00, 0x02, 0xfd, 0xe9, 0, 0, 0, 0x64}}};
    a.large_communities = {{65001, 1, 2}};
    a.unknown = {{0xe0, 99, {0xaa, 0xbb, 0xcc}}};
    expected.nlri = {{p4("10.0.0.0/8"), 0, {}}, {p4("192.168.1.0/24"), 0, {}}};

    auto u = decode_as<Update>(bytes);
    CHECK(u == expected);
    CHECK(u.attrs.as_path->length() == 3);
    CHECK(u.attrs.as_path->to_string() == "65001 65002 {65003 65004}");
    CHECK(u.attrs.communities[1].to_string() == "65535:65281");
    CHECK(encoded(expected) == bytes);
}

TEST_CASE("6PE withdrawal with add-path accepts label fields 0x800000 and 0", "[bgp]") {
    auto bytes = load_vector("update_6pe_withdraw_addpath.hex");
    Context ctx;
    ctx.add_path[std::size_t(Family::Ipv6Labeled)] = true;
    auto u = decode_as<Update>(bytes, ctx);
    CHECK(u.errors.empty());
    REQUIRE(u.mp_unreach);
    CHECK(u.mp_unreach->family == Family::Ipv6Labeled);
    CHECK(u.mp_unreach->v6 == std::vector<Ipv6Nlri>{{p6("2001:db8:1::/48"), 1, {}}, {p6("2001:db8:1::/48"), 2, {}}});
    CHECK_FALSE(u.end_of_rib());
    // We always send 0x800000 (RFC 8277 2.4), so the second withdrawal re-encodes differently.
    auto again = encoded(u, ctx);
    REQUIRE(again.size() == bytes.size());
    CHECK(std::vector<uint8_t>(again.begin(), again.begin() + 48) == std::vector<uint8_t>(bytes.begin(), bytes.begin() + 48));
    CHECK(again[48] == 0x80);
    CHECK(bytes[48] == 0x00);
    CHECK(decode_as<Update>(again, ctx) == u);
}

TEST_CASE("IPv6 next hop with link-local, both ways", "[bgp]") {
    auto bytes = load_vector("update_ipv6_ll_next_hop.hex");
    auto u = decode_as<Update>(bytes);
    REQUIRE(u.mp_reach);
    CHECK(u.mp_reach->family == Family::Ipv6Unicast);
    auto nh = std::get<Ipv6NextHop>(u.mp_reach->next_hop);
    CHECK(nh.global == *Ipv6Address::parse("2001:db8::1"));
    CHECK(nh.link_local == *Ipv6Address::parse("fe80::1"));
    CHECK(u.mp_reach->v6 == std::vector<Ipv6Nlri>{{p6("2001:db8:a::/48"), 0, {}}});
    CHECK(u.attrs.as_path->to_string() == "65001");
    CHECK(encoded(u) == bytes);
}

TEST_CASE("2-octet AS session: AS4_PATH and AS4_AGGREGATOR merged and split again", "[bgp]") {
    auto bytes = load_vector("update_as2_merge.hex");
    Context as2;
    as2.four_octet_as = false;
    auto u = decode_as<Update>(bytes, as2);
    CHECK(u.errors.empty());
    CHECK(u.attrs.as_path->to_string() == "65001 4200000001 4200000002");
    CHECK(u.attrs.as_path->segments.size() == 1);
    CHECK(u.attrs.aggregator == Aggregator{Asn(4200000001), v4("192.0.2.1")});
    CHECK(encoded(u, as2) == bytes);
    // The same value to a 4-octet peer has neither AS4 attribute.
    auto four = encoded(u);
    CHECK(four.size() == bytes.size() - 17 - 11 + 6 + 2);  // no AS4_*; 4-octet AS_PATH, AGGREGATOR
    CHECK(decode_as<Update>(four) == u);
}

TEST_CASE("End-of-RIB markers", "[bgp]") {
    auto u = decode_as<Update>(load_vector("update_eor_ipv6_labeled.hex"));
    CHECK(u.end_of_rib() == Family::Ipv6Labeled);
    Update empty;
    CHECK(empty.end_of_rib() == Family::Ipv4Unicast);
    auto bytes = encoded(empty);
    CHECK(bytes.size() == 23);
    CHECK(decode_as<Update>(bytes).end_of_rib() == Family::Ipv4Unicast);
    Update eor;
    eor.mp_unreach = MpUnreach{Family::Ipv6Labeled, {}, {}};
    CHECK(encoded(eor) == load_vector("update_eor_ipv6_labeled.hex"));
    CHECK_FALSE(decode_as<Update>(load_vector("update_6pe.hex")).end_of_rib());
}

TEST_CASE("NOTIFICATION with an RFC 9003 shutdown communication", "[bgp]") {
    auto bytes = load_vector("notification_shutdown.hex");
    auto n = decode_as<Notification>(bytes);
    CHECK(n.code == 6);
    CHECK(n.subcode == cease::kAdministrativeShutdown);
    CHECK(n.shutdown_communication() == "maintenance");
    CHECK(encoded(make_shutdown(cease::kAdministrativeShutdown, "maintenance")) == bytes);
}

TEST_CASE("ROUTE-REFRESH and KEEPALIVE, both ways", "[bgp]") {
    auto rr_bytes = load_vector("route_refresh_borr.hex");
    RouteRefresh rr{{2, 4}, route_refresh_subtype::kBeginningOfRibRefresh};
    CHECK(decode_as<RouteRefresh>(rr_bytes) == rr);
    CHECK(encoded(rr) == rr_bytes);
    auto ka = load_vector("keepalive.hex");
    CHECK(decode_as<Keepalive>(ka) == Keepalive{});
    CHECK(encoded(Keepalive{}) == ka);
}

TEST_CASE("OPEN from a 2-octet-AS speaker without capabilities, both ways", "[bgp]") {
    auto bytes = load_vector("open_minimal_as2.hex");
    Open expected;
    expected.my_as = 65001;
    expected.hold_time = 180;
    expected.bgp_id = RouterId::from_address(v4("192.0.2.1"));
    auto o = decode_as<Open>(bytes);
    CHECK(o == expected);
    CHECK(o.asn() == Asn(65001));
    CHECK(encoded(expected) == bytes);
}

TEST_CASE("6PE with a 32-byte next hop decodes to the IPv4 address (decode-only)", "[bgp]") {
    auto u = decode_as<Update>(load_vector("update_6pe_mapped_link_local.hex"));
    CHECK(u.errors.empty());
    REQUIRE(u.mp_reach);
    CHECK(u.mp_reach->next_hop == NextHop{MappedNextHop{v4("192.0.2.1")}});
    CHECK(u.mp_reach->v6 == std::vector<Ipv6Nlri>{{p6("2001:db8:1::/48"), 0, {label(64000)}}});
    // Sent on as the 16-byte form.
    auto again = encoded(u);
    CHECK(again.size() == load_vector("update_6pe_mapped_link_local.hex").size() - 16);
    CHECK(decode_as<Update>(again) == u);
}

TEST_CASE("IPv4 labeled unicast, both ways", "[bgp]") {
    auto bytes = load_vector("update_ipv4_labeled.hex");
    Update expected;
    expected.attrs.origin = Origin::Incomplete;
    expected.attrs.as_path = AsPath{{{AsPathSegment::Type::Sequence, {Asn(65001)}}}};
    expected.mp_reach = MpReach{Family::Ipv4Labeled, v4("192.0.2.1"), {{p4("10.1.0.0/16"), 0, {label(100)}}}, {}};
    CHECK(decode_as<Update>(bytes) == expected);
    CHECK(encoded(expected) == bytes);
}

TEST_CASE("confederation segments, both ways", "[bgp]") {
    auto bytes = load_vector("update_confed.hex");
    auto u = decode_as<Update>(bytes);
    CHECK(u.errors.empty());
    CHECK(u.attrs.as_path->to_string() == "(65100 65101) 65001");
    CHECK(u.attrs.as_path->length() == 1);  // confederation segments do not count
    CHECK(u.attrs.med == 0u);
    CHECK(u.nlri == std::vector<Ipv4Nlri>{{p4("198.51.100.0/24"), 0, {}}});
    CHECK(encoded(u) == bytes);
}

TEST_CASE("an attribute longer than 255 bytes uses the extended length, both ways", "[bgp]") {
    auto bytes = load_vector("update_extended_length.hex");
    auto u = decode_as<Update>(bytes);
    CHECK(u.errors.empty());
    REQUIRE(u.attrs.communities.size() == 70);
    CHECK(u.attrs.communities[69] == Community::make(65001, 69));
    CHECK(encoded(u) == bytes);
}

TEST_CASE("NOTIFICATION with an attribute as data, both ways", "[bgp]") {
    auto bytes = load_vector("notification_update_error.hex");
    Notification expected{3, update_error::kAttributeLengthError, {0x80, 0x04, 0x03, 0x00, 0x00, 0x32}};
    CHECK(decode_as<Notification>(bytes) == expected);
    CHECK_FALSE(expected.shutdown_communication());
    CHECK(encoded(expected) == bytes);
}
