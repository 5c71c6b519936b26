// The UPDATE packer: many prefixes sharing one attribute set in as few messages as fit.
#include <catch2/catch.hpp>

#include "bgp/codec/message.hpp"
#include "bgp/codec/packing.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }

PathAttributes ibgp_attrs() {
    PathAttributes a;
    a.origin = Origin::Igp;
    a.as_path = AsPath{};
    a.local_pref = 100;
    a.communities = {Community::make(65001, 6)};
    return a;
}

std::vector<Ipv6Nlri> six_pe_routes(std::size_t n, int len, bool label_per_prefix) {
    std::vector<Ipv6Nlri> out;
    for (std::size_t i = 0; i < n; ++i) {
        Ipv6Address::Bytes b{0x20, 0x01, 0x0d, 0xb8, uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)};
        auto l = label_per_prefix ? MplsLabel::checked(uint32_t(16 + i)) : MplsLabel::implicit_null();
        out.push_back({Ipv6Prefix::make(Ipv6Address(b), len), 0, {l}});
    }
    return out;
}

std::vector<Update> decode_all(const Messages& msgs, const Context& ctx) {
    std::vector<Update> out;
    for (auto& m : msgs) {
        REQUIRE(m.size() <= ctx.max_message_size());
        auto d = decode(m, ctx);
        INFO((d ? std::string() : d.error().to_string()));
        REQUIRE(d);
        auto& u = std::get<Update>(*d);
        REQUIRE(u.errors.empty());
        out.push_back(u);
    }
    return out;
}

// Greedy packing is minimal for equal-size prefixes: no message could take the next one.
template <class Nlri>
void check_full(const Messages& msgs, const std::vector<Nlri>& routes, NlriCoding coding, const Context& ctx) {
    std::size_t used = 0;
    for (std::size_t i = 0; i + 1 < msgs.size(); ++i) {
        auto d = decode(msgs[i], ctx);
        auto& u = std::get<Update>(*d);
        std::size_t n = u.mp_reach ? (u.mp_reach->v6.size() + u.mp_reach->v4.size())
                        : u.mp_unreach ? (u.mp_unreach->v6.size() + u.mp_unreach->v4.size())
                                       : u.nlri.size() + u.withdrawn.size();
        used += n;
        CHECK(msgs[i].size() + encoded_size(routes[used], coding) > ctx.max_message_size());
    }
}

}  // namespace

TEST_CASE("packing 6PE: one label for all, 4096-byte UPDATEs", "[bgp]") {
    Context ctx;
    auto routes = six_pe_routes(10000, 48, false);
    auto msgs = pack_announcements(ibgp_attrs(), Family::Ipv6Labeled, MappedNextHop{v4("192.0.2.1")}, routes, ctx);
    REQUIRE(msgs);
    // 62 bytes of header and attributes, 10 per prefix: 403 prefixes per message.
    CHECK(msgs->size() == 25);
    std::vector<Ipv6Nlri> seen;
    for (auto& u : decode_all(*msgs, ctx)) {
        CHECK(u.attrs == ibgp_attrs());
        REQUIRE(u.mp_reach);
        CHECK(u.mp_reach->family == Family::Ipv6Labeled);
        CHECK(std::get<MappedNextHop>(u.mp_reach->next_hop).v4 == v4("192.0.2.1"));
        seen.insert(seen.end(), u.mp_reach->v6.begin(), u.mp_reach->v6.end());
    }
    CHECK(seen == routes);
    check_full(*msgs, routes, nlri_coding(Family::Ipv6Labeled, ctx, false), ctx);
}

TEST_CASE("packing 6PE with extended message and add-path", "[bgp]") {
    Context ctx;
    ctx.extended_message = true;
    ctx.add_path[std::size_t(Family::Ipv6Labeled)] = true;
    auto routes = six_pe_routes(20000, 64, true);
    for (std::size_t i = 0; i < routes.size(); ++i) routes[i].path_id = uint32_t(i % 3 + 1);
    auto msgs = pack_announcements(ibgp_attrs(), Family::Ipv6Labeled, MappedNextHop{v4("192.0.2.1")}, routes, ctx);
    REQUIRE(msgs);
    // 16 bytes per prefix: (65535 - 62) / 16 = 4092 per message.
    CHECK(msgs->size() == 5);
    std::vector<Ipv6Nlri> seen;
    for (auto& u : decode_all(*msgs, ctx)) seen.insert(seen.end(), u.mp_reach->v6.begin(), u.mp_reach->v6.end());
    CHECK(seen == routes);
    check_full(*msgs, routes, nlri_coding(Family::Ipv6Labeled, ctx, false), ctx);
}

TEST_CASE("packing: small batches, the MP_REACH length octet growing past 255", "[bgp]") {
    Context ctx;
    for (std::size_t n : {0u, 1u, 23u, 24u, 25u, 26u, 404u}) {
        auto routes = six_pe_routes(n, 48, false);
        auto msgs = pack_announcements(ibgp_attrs(), Family::Ipv6Labeled, MappedNextHop{v4("192.0.2.1")}, routes, ctx);
        REQUIRE(msgs);
        std::vector<Ipv6Nlri> seen;
        for (auto& u : decode_all(*msgs, ctx)) seen.insert(seen.end(), u.mp_reach->v6.begin(), u.mp_reach->v6.end());
        CHECK(seen == routes);
        CHECK(msgs->size() == (n + 402) / 403);
    }
}

TEST_CASE("packing IPv4 unicast uses the NLRI field and NEXT_HOP", "[bgp]") {
    Context ctx;
    std::vector<Ipv4Nlri> routes;
    for (uint32_t i = 0; i < 3000; ++i) routes.push_back({Ipv4Prefix::make(Ipv4Address::from_uint(0x0a000000 | i << 8), 24), 0, {}});
    auto msgs = pack_announcements(ibgp_attrs(), Family::Ipv4Unicast, v4("192.0.2.7"), routes, ctx);
    REQUIRE(msgs);
    std::vector<Ipv4Nlri> seen;
    for (auto& u : decode_all(*msgs, ctx)) {
        CHECK_FALSE(u.mp_reach);
        CHECK(u.attrs.next_hop == v4("192.0.2.7"));
        seen.insert(seen.end(), u.nlri.begin(), u.nlri.end());
    }
    CHECK(seen == routes);
    check_full(*msgs, routes, NlriCoding{}, ctx);

    auto w = pack_withdrawals(Family::Ipv4Unicast, routes, ctx);
    REQUIRE(w);
    seen.clear();
    for (auto& u : decode_all(*w, ctx)) seen.insert(seen.end(), u.withdrawn.begin(), u.withdrawn.end());
    CHECK(seen == routes);
    check_full(*w, routes, NlriCoding{}, ctx);
}

TEST_CASE("packing 6PE withdrawals: MP_UNREACH with the 0x800000 label field", "[bgp]") {
    Context ctx;
    auto routes = six_pe_routes(5000, 48, true);
    auto msgs = pack_withdrawals(Family::Ipv6Labeled, routes, ctx);
    REQUIRE(msgs);
    std::vector<Ipv6Nlri> seen;
    for (auto& u : decode_all(*msgs, ctx)) {
        REQUIRE(u.mp_unreach);
        CHECK(u.attrs == PathAttributes{});
        seen.insert(seen.end(), u.mp_unreach->v6.begin(), u.mp_unreach->v6.end());
    }
    REQUIRE(seen.size() == routes.size());
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i].prefix == routes[i].prefix);
    CHECK(seen[0].labels.empty());  // the label field is not a label
    // 19 + 4 + 4 + 3 bytes, then 10 per prefix: 406 per message.
    CHECK(msgs->size() == 13);
    auto& first = msgs->front();
    CHECK(first[30] == 48 + 24);  // first prefix: length, then its label field
    CHECK(first[31] == 0x80);
}

TEST_CASE("packing refuses what cannot be sent", "[bgp]") {
    Context ctx;
    auto routes = six_pe_routes(3, 48, false);
    // Attributes too large for any message.
    auto huge = ibgp_attrs();
    for (uint32_t i = 0; i < 1100; ++i) huge.communities.push_back({i});
    auto r = pack_announcements(huge, Family::Ipv6Labeled, MappedNextHop{v4("192.0.2.1")}, routes, ctx);
    REQUIRE_FALSE(r);
    // A next hop that does not suit the family.
    CHECK_FALSE(pack_announcements(ibgp_attrs(), Family::Ipv6Labeled, v4("192.0.2.1"), routes, ctx));
    // Prefixes of the other family.
    CHECK_FALSE(pack_announcements(ibgp_attrs(), Family::Ipv4Unicast, v4("192.0.2.1"), routes, ctx));
    CHECK(pack_announcements(ibgp_attrs(), Family::Ipv6Labeled, MappedNextHop{}, std::vector<Ipv6Nlri>{}, ctx)->empty());
}
