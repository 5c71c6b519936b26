// Not part of the default run (hidden tag; needs text2pcap and tshark): writes a
// sample of our encoded messages as a text2pcap hexdump, turns it into a pcap and
// asserts that tshark dissects every packet as BGP with no expert entry and
// nothing malformed. See docs/bgp-codec.md:
//   build/tests/isthmus_unit_tests '[.bgp-tshark]'
// ISTHMUS_BGP_TSHARK_OUT names the hexdump file (default /tmp/isthmus-bgp-tshark.txt).
#include <catch2/catch.hpp>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bgp/codec/message.hpp"
#include "bgp/codec/packing.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

namespace {

void hexdump(std::FILE* f, const std::vector<uint8_t>& m) {
    for (std::size_t i = 0; i < m.size(); ++i) {
        if (i % 16 == 0) std::fprintf(f, "%s%06zx", i ? "\n" : "", i);
        std::fprintf(f, " %02x", m[i]);
    }
    std::fprintf(f, "\n\n");
}

// Runs a shell command, returns its standard output.
std::string run(const std::string& cmd) {
    std::string out;
    std::FILE* p = popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buf;
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    pclose(p);
    return out;
}

}  // namespace

TEST_CASE("tshark decodes our encoded messages cleanly", "[.bgp-tshark]") {
    const char* env = std::getenv("ISTHMUS_BGP_TSHARK_OUT");
    std::string path = env ? env : "/tmp/isthmus-bgp-tshark.txt";
    std::FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::vector<std::vector<uint8_t>> all;
    auto add = [&](Result<Messages, EncodeError> r) {
        REQUIRE(r);
        all.insert(all.end(), r->begin(), r->end());
    };
    auto one = [&](const Message& m, const Context& ctx) {
        auto b = encode(m, ctx);
        REQUIRE(b);
        all.push_back(*b);
    };
    Context ctx;
    Open o;
    o.my_as = 65001;
    o.hold_time = 90;
    o.bgp_id = RouterId(0xc0000201);
    o.capabilities = {MultiprotocolCapability{{2, 4}}, RouteRefreshCapability{}, EnhancedRouteRefreshCapability{},
                      FourOctetAsCapability{Asn(4200000001)}, GracefulRestartCapability{true, true, 120, {{{2, 4}, true}}},
                      AddPathCapability{{{{2, 4}, 3}}}, ExtendedNextHopCapability{{{1, 1, 2}}},
                      ExtendedMessageCapability{}, FqdnCapability{"pe1", "lab"}};
    one(o, ctx);
    PathAttributes a;
    a.origin = Origin::Igp;
    a.as_path = AsPath{{{AsPathSegment::Type::Sequence, {Asn(65001), Asn(4200000001)}}}};
    a.med = 5;
    a.local_pref = 100;
    a.atomic_aggregate = true;
    a.aggregator = Aggregator{Asn(65001), Ipv4Address::from_uint(0xc0000201)};
    a.communities = {Community::no_export()};
    a.originator_id = RouterId(7);
    a.cluster_list = {RouterId(8)};
    a.extended_communities = {ExtendedCommunity{{0, 2, 0xfd, 0xe9, 0, 0, 0, 1}}};
    a.large_communities = {{1, 2, 3}};
    std::vector<Ipv6Nlri> r6;
    for (unsigned i = 0; i < 500; ++i) {
        Ipv6Address::Bytes b{0x20, 0x01, 0x0d, 0xb8, uint8_t(i >> 8), uint8_t(i)};
        r6.push_back({Ipv6Prefix::make(Ipv6Address(b), 48 + int(i % 80)), 0,
                      {MplsLabel::checked(16 + i), MplsLabel::ipv6_explicit_null()}});
    }
    add(pack_announcements(a, Family::Ipv6Labeled, MappedNextHop{Ipv4Address::from_uint(0xc0000201)}, r6, ctx));
    add(pack_withdrawals(Family::Ipv6Labeled, r6, ctx));
    std::vector<Ipv4Nlri> r4;
    for (unsigned i = 0; i < 50; ++i) r4.push_back({Ipv4Prefix::make(Ipv4Address::from_uint(0x0a000000 | i << 8), 24), 0, {}});
    add(pack_announcements(a, Family::Ipv4Unicast, Ipv4Address::from_uint(0xc0000201), r4, ctx));
    add(pack_withdrawals(Family::Ipv4Unicast, r4, ctx));
    Ipv6NextHop v6nh{*Ipv6Address::parse("2001:db8::1"), *Ipv6Address::parse("fe80::1")};
    std::vector<Ipv6Nlri> u6{{*Ipv6Prefix::parse("2001:db8::/32"), 0, {}}};
    add(pack_announcements(a, Family::Ipv6Unicast, v6nh, u6, ctx));
    Context as2;
    as2.four_octet_as = false;
    add(pack_announcements(a, Family::Ipv4Unicast, Ipv4Address::from_uint(0xc0000201), r4, as2));
    Update eor;
    eor.mp_unreach = MpUnreach{Family::Ipv6Labeled, {}, {}};
    one(eor, ctx);
    one(make_shutdown(cease::kAdministrativeShutdown, "maintenance window"), ctx);
    one(RouteRefresh{{2, 4}, route_refresh_subtype::kBeginningOfRibRefresh}, ctx);
    one(Keepalive{}, ctx);
    for (auto& m : all) hexdump(f, m);
    std::fclose(f);

    REQUIRE(run("command -v tshark >/dev/null && command -v text2pcap >/dev/null && echo ok") == "ok\n");
    std::string pcap = path + ".pcap";
    REQUIRE(run("text2pcap -q -T 12345,179 '" + path + "' '" + pcap + "' >/dev/null 2>&1 && echo ok") == "ok\n");
    // One BGP message per packet, each shown as BGP.
    auto count = run("tshark -r '" + pcap + "' -Y bgp 2>/dev/null | wc -l");
    CHECK(std::stoul(count) == all.size());
    auto expert = run("tshark -r '" + pcap + "' -q -z expert 2>/dev/null | grep -cE '^(Errors|Warnings|Notes|Chats)' || true");
    CHECK(expert == "0\n");
    auto malformed = run("tshark -r '" + pcap + "' -V 2>/dev/null | grep -ci malformed || true");
    CHECK(malformed == "0\n");
}
