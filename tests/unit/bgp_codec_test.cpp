// Unit tests of the BGP codec's parts: framing, NLRI, next hops, AS paths,
// attributes as values, NOTIFICATION text, and seeded round trips.
#include <catch2/catch.hpp>
#include <set>
#include <unordered_set>

#include "bgp/codec/message.hpp"
#include "bgp/codec/negotiate.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using test::hex;
using test::message;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
Ipv6Address v6(const char* s) { return *Ipv6Address::parse(s); }
Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }
Ipv4Prefix p4(const char* s) { return *Ipv4Prefix::parse(s); }
MplsLabel label(uint32_t v) { return MplsLabel::checked(v); }

AsPath seq(std::initializer_list<uint32_t> asns) {
    AsPathSegment s{AsPathSegment::Type::Sequence, {}};
    for (auto a : asns) s.asns.emplace_back(a);
    return AsPath{{s}};
}

Update round_trip(const Update& u, const Context& ctx = {}) {
    ByteWriter w;
    auto s = encode(u, ctx, w);
    INFO((s ? std::string() : s.error().reason));
    REQUIRE(s);
    auto m = decode(w.data(), ctx);
    INFO((m ? std::string() : m.error().to_string()));
    REQUIRE(m);
    return std::get<Update>(*m);
}

}  // namespace

TEST_CASE("framing: wait for a header, then report the message length", "[bgp]") {
    auto ka = message(4, {});
    Context ctx;
    for (std::size_t n = 0; n < kHeaderSize; ++n) {
        auto h = frame(std::span(ka).first(n), ctx);
        REQUIRE(h);
        CHECK_FALSE(*h);
    }
    auto upd = message(2, hex("0000 0000"));
    auto h = frame(std::span(upd).first(kHeaderSize), ctx);  // body not buffered yet
    REQUIRE(h);
    REQUIRE(*h);
    CHECK(h->value() == Header{23, MessageType::Update});
    // Two messages back to back: frame() looks only at the first.
    auto both = ka;
    both.insert(both.end(), upd.begin(), upd.end());
    CHECK(frame(both, ctx)->value() == Header{19, MessageType::Keepalive});
    // 65535 is a valid UPDATE length only with extended message (RFC 8654).
    auto big = hex("ffffffffffffffffffffffffffffffff ffff 02");
    CHECK_FALSE(frame(big, ctx));
    ctx.extended_message = true;
    CHECK(frame(big, ctx)->value() == Header{65535, MessageType::Update});
}

TEST_CASE("labeled NLRI: stacks, lengths 0..128, and the 255-bit limit", "[bgp]") {
    NlriCoding lu{false, true, false};
    std::vector<Ipv6Nlri> in;
    for (int len : {0, 1, 7, 8, 9, 63, 64, 65, 127, 128})
        in.push_back({Ipv6Prefix::make(v6("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), len), 0, {label(16 + len)}});
    in.push_back({p6("2001:db8::/32"), 0, {label(300), label(2)}});  // two labels, BoS on the second
    ByteWriter w;
    for (auto& n : in) REQUIRE(encode_nlri(n, lu, w));
    std::vector<Ipv6Nlri> out;
    REQUIRE(decode_nlri(ByteReader(w.data()), lu, out));
    CHECK(out == in);
    // The two-label entry: length 32 + 48 bits, BoS clear then set.
    ByteWriter two;
    REQUIRE(encode_nlri(in.back(), lu, two));
    CHECK(two.data() == hex("50 0012c0 000021 20010db8"));
    // /128 with five labels is 248 bits; six would need 272 and cannot be coded.
    Ipv6Nlri five{p6("2001:db8::1/128"), 0, {label(16), label(17), label(18), label(19), label(20)}};
    CHECK(encode_nlri(five, lu, w));
    Ipv6Nlri six = five;
    six.labels.push_back(label(21));
    std::size_t before = w.size();
    CHECK_FALSE(encode_nlri(six, lu, w));
    CHECK(w.size() == before);
    // An announcement with no label is sent as implicit null.
    ByteWriter implicit;
    REQUIRE(encode_nlri(Ipv6Nlri{p6("2001:db8::/32"), 0, {}}, lu, implicit));
    CHECK(implicit.data() == hex("38 000031 20010db8"));
}

TEST_CASE("NLRI decoding clears host bits beyond the prefix length", "[bgp]") {
    std::vector<Ipv4Nlri> out;
    REQUIRE(decode_nlri(ByteReader(hex("0f 0aff")), NlriCoding{}, out));
    CHECK(out.at(0).prefix == p4("10.254.0.0/15"));
}

TEST_CASE("next hops are typed: 6PE decodes to IPv4 once", "[bgp]") {
    Context ctx;
    auto mapped16 = hex("00000000 00000000 0000ffff c0000201");
    CHECK(std::get<MappedNextHop>(*decode_next_hop(Family::Ipv6Labeled, mapped16, ctx)).v4 == v4("192.0.2.1"));
    // 32 bytes whose global part is v4-mapped: still 6PE, the link-local part is dropped.
    auto mapped32 = mapped16;
    auto ll = hex("fe800000 00000000 00000000 00000001");
    mapped32.insert(mapped32.end(), ll.begin(), ll.end());
    CHECK(std::get<MappedNextHop>(*decode_next_hop(Family::Ipv6Labeled, mapped32, ctx)).v4 == v4("192.0.2.1"));
    auto global = decode_next_hop(Family::Ipv6Unicast, hex("20010db8 00000000 00000000 00000001"), ctx);
    CHECK(std::get<Ipv6NextHop>(*global) == Ipv6NextHop{v6("2001:db8::1"), std::nullopt});
    CHECK(to_string(*global) == "2001:db8::1");
    CHECK(to_string(NextHop{MappedNextHop{v4("192.0.2.1")}}) == "::ffff:192.0.2.1");
    CHECK_FALSE(decode_next_hop(Family::Ipv6Labeled, hex("c0000201"), ctx));
    CHECK_FALSE(decode_next_hop(Family::Ipv6Labeled, {}, ctx));
    // IPv4 NLRI with an IPv6 next hop only with RFC 8950 negotiated.
    auto v6nh = hex("20010db8 00000000 00000000 00000001");
    CHECK_FALSE(decode_next_hop(Family::Ipv4Unicast, v6nh, ctx));
    ctx.extended_next_hop[std::size_t(Family::Ipv4Unicast)] = true;
    CHECK(std::get<Ipv6NextHop>(*decode_next_hop(Family::Ipv4Unicast, v6nh, ctx)).global == v6("2001:db8::1"));
    CHECK(std::get<Ipv4Address>(*decode_next_hop(Family::Ipv4Labeled, hex("c0000201"), ctx)) == v4("192.0.2.1"));
    ByteWriter w;
    CHECK_FALSE(encode_next_hop(Family::Ipv6Labeled, NextHop{v4("192.0.2.1")}, ctx, w));
    CHECK(w.size() == 0);
}

TEST_CASE("RFC 8950: IPv4 unicast over an IPv6 next hop round trips", "[bgp]") {
    Context ctx;
    ctx.extended_next_hop[std::size_t(Family::Ipv4Unicast)] = true;
    Update u;
    u.attrs.origin = Origin::Igp;
    u.attrs.as_path = seq({65001});
    u.mp_reach = MpReach{Family::Ipv4Unicast, Ipv6NextHop{v6("2001:db8::1"), v6("fe80::1")},
                         {{p4("198.51.100.0/24"), 0, {}}}, {}};
    CHECK(round_trip(u, ctx) == u);
    ByteWriter w;
    CHECK_FALSE(encode(u, Context{}, w));  // not negotiated: refuse to send it
    CHECK(w.size() == 0);
}

TEST_CASE("AS4_PATH merge (RFC 6793 4.2.3)", "[bgp]") {
    // A sender that put only the 4-octet tail in AS4_PATH.
    AsPath as_path{{{AsPathSegment::Type::ConfedSequence, {Asn(65100)}},
                    {AsPathSegment::Type::Sequence, {Asn(65001), Asn(23456), Asn(23456)}},
                    {AsPathSegment::Type::Set, {Asn(65010), Asn(65011)}}}};
    AsPath as4{{{AsPathSegment::Type::Sequence, {Asn(4200000001), Asn(4200000002)}},
                {AsPathSegment::Type::Set, {Asn(65010), Asn(65011)}}}};
    auto merged = merge_as4_path(as_path, as4);
    CHECK(merged.to_string() == "(65100) 65001 4200000001 4200000002 {65010 65011}");
    CHECK(merged.length() == 4);
    // AS4_PATH longer than AS_PATH: ignored.
    CHECK(merge_as4_path(seq({65001}), seq({1, 2})) == seq({65001}));
    // AS4_PATH for a 2-octet peer never carries confederation segments.
    CHECK(as4_path_of(merged).to_string() == "65001 4200000001 4200000002 {65010 65011}");

    // Through the decoder: a 2-octet AGGREGATOR that is not AS_TRANS voids both AS4 attributes.
    Context as2;
    as2.four_octet_as = false;
    auto body = hex("0000 0035 400101 00 400206 0202 fde9 5ba0 400304 c0000201 c00706 fde9 c0000201"
                    "c0110a 0202 fa56ea01 fa56ea02 c01208 fa56ea01 c0000201 18c63364");
    auto u = std::get<Update>(*decode(message(2, body), as2));
    CHECK(u.errors.empty());
    CHECK(u.attrs.as_path->to_string() == "65001 23456");
    CHECK(u.attrs.aggregator->asn == Asn(65001));
    // AS4_PATH from a 4-octet session is ignored.
    auto four = std::get<Update>(*decode(message(2, hex("0000 0021 400101 00 400206 0201 0000fde9 400304 c0000201"
                                                        "c0110a 0202 fa56ea01 fa56ea02 18c63364")),
                                         Context{}));
    CHECK(four.errors.empty());
    CHECK(four.attrs.as_path->to_string() == "65001");
}

TEST_CASE("AS paths: length, text, long segments split on the wire", "[bgp]") {
    AsPath p = seq({});
    for (uint32_t i = 0; i < 300; ++i) p.segments[0].asns.emplace_back(64512 + i);
    CHECK(p.length() == 300);
    ByteWriter w;
    encode_as_path(p, 4, w);
    CHECK(w.size() == 2 + 255 * 4 + 2 + 45 * 4);
    auto back = decode_as_path(ByteReader(w.data()), 4);
    REQUIRE(back);
    CHECK(back->segments.size() == 2);
    CHECK(back->length() == 300);
    ByteWriter two;
    encode_as_path(seq({65001, 4200000001}), 2, two);
    CHECK(two.data() == hex("0202 fde9 5ba0"));
}

TEST_CASE("unknown attributes: optional transitive kept with the partial bit, others dropped", "[bgp]") {
    // 99 optional transitive, 100 optional non-transitive.
    auto body = hex("0000 0016 400101 00 400200 400304 c0000201 c06301 aa 806401 bb 080a");
    auto u = std::get<Update>(*decode(message(2, body), {}));
    CHECK(u.errors.empty());
    REQUIRE(u.attrs.unknown.size() == 1);
    CHECK(u.attrs.unknown[0] == UnknownAttribute{0xc0, 99, {0xaa}});
    auto again = round_trip(u);
    CHECK(again.attrs.unknown[0].flags == 0xe0);  // partial set when passed on
    // Built by hand: an optional non-transitive one is sent without the partial bit.
    Update mine;
    mine.attrs.unknown = {{0x80, 100, {0x01}}, {0xc0, 255, {0x02}}};
    ByteWriter w;
    REQUIRE(encode(mine, {}, w));
    CHECK(std::vector<uint8_t>(w.data().begin() + 23, w.data().end()) == hex("806401 01 e0ff01 02"));
}

TEST_CASE("NEXT_HOP is ignored in an UPDATE without IPv4 NLRI (RFC 4760 3)", "[bgp]") {
    auto body = hex("0000 0030 800e1f 000204 10 00000000000000000000ffffc0000201 00 48000031 20010db80001"
                    "400101 00 400200 400304 c0000201");
    auto u = std::get<Update>(*decode(message(2, body), {}));
    CHECK(u.errors.empty());
    CHECK_FALSE(u.attrs.next_hop);
    REQUIRE(u.mp_reach);
}

TEST_CASE("several RFC 7606 errors: the most severe decides, the first kept on repeats", "[bgp]") {
    // ATOMIC_AGGREGATE with a length (discard), then a bad MED (withdraw), then ORIGIN again (discard).
    auto body = hex("0000 001c 400101 00 400200 400304 c0000201 400601 00 800403 000032 400101 02 080a");
    auto u = std::get<Update>(*decode(message(2, body), {}));
    REQUIRE(u.errors.size() == 3);
    CHECK(u.action() == ErrorAction::TreatAsWithdraw);
    CHECK(u.worst_error()->subcode == update_error::kAttributeLengthError);
    CHECK(u.attrs.origin == Origin::Igp);
    CHECK_FALSE(u.attrs.atomic_aggregate);
    CHECK_FALSE(u.attrs.med);
    CHECK(u.nlri.size() == 1);  // still there: the receiver withdraws them
    CHECK_FALSE(u.end_of_rib());
    // The NOTIFICATION data of an attribute error is the attribute itself.
    CHECK(u.errors[1].data == hex("800403 000032"));
    CHECK(to_notification(u.errors[1]) == Notification{3, 5, hex("800403 000032")});
}

TEST_CASE("the kind of peer: what an external peer may not send is discarded", "[bgp]") {
    // LOCAL_PREF 100 and AS_PATH (65100) 65001 with a confederation sequence.
    auto body = hex("0000 0021 400101 00 40020c 0301 0000fe4c 0201 0000fde9 400304 c0000201 400504 00000064 080a");
    Context ctx;
    for (auto kind : {PeerKind::Internal, PeerKind::ConfederationMember}) {
        ctx.peer = kind;
        auto u = std::get<Update>(*decode(message(2, body), ctx));
        CHECK(u.errors.empty());
        CHECK(u.attrs.local_pref == 100u);
        CHECK(u.attrs.as_path->to_string() == "(65100) 65001");
    }
    ctx.peer = PeerKind::External;
    auto u = std::get<Update>(*decode(message(2, body), ctx));
    REQUIRE(u.errors.size() == 2);  // the confed segment (withdraw), LOCAL_PREF (discard)
    CHECK(u.errors[0].subcode == update_error::kMalformedAsPath);
    CHECK(u.action() == ErrorAction::TreatAsWithdraw);
    CHECK(u.errors[1].action == ErrorAction::AttributeDiscard);
    CHECK_FALSE(u.attrs.local_pref);
    CHECK_FALSE(u.attrs.as_path);
}

TEST_CASE("add-path identifiers for IPv4 unicast and 6PE round trip", "[bgp]") {
    Context ctx;
    ctx.add_path[std::size_t(Family::Ipv4Unicast)] = true;
    ctx.add_path[std::size_t(Family::Ipv6Labeled)] = true;
    Update u;
    u.withdrawn = {{p4("10.1.0.0/16"), 7, {}}};
    u.attrs.origin = Origin::Incomplete;
    u.attrs.as_path = AsPath{};
    u.attrs.next_hop = v4("192.0.2.9");
    u.nlri = {{p4("10.2.0.0/16"), 1, {}}, {p4("10.2.0.0/16"), 2, {}}};
    u.mp_reach = MpReach{Family::Ipv6Labeled, MappedNextHop{v4("192.0.2.9")},
                         {}, {{p6("2001:db8::/32"), 1, {label(16)}}, {p6("2001:db8::/32"), 2, {label(17)}}}};
    u.mp_unreach = MpUnreach{Family::Ipv6Labeled, {}, {{p6("2001:db8:1::/48"), 3, {}}}};
    CHECK(round_trip(u, ctx) == u);
    // Without add-path negotiated the same bytes do not parse as intended.
    ByteWriter w;
    REQUIRE(encode(u, ctx, w));
    auto m = decode(w.data(), Context{});
    CHECK((!m || !std::get<Update>(*m).errors.empty() || !(std::get<Update>(*m) == u)));
}

TEST_CASE("path attributes are ordered and hashable values", "[bgp]") {
    PathAttributes a;
    a.origin = Origin::Igp;
    a.as_path = seq({65001, 65002});
    a.local_pref = 100;
    a.communities = {Community::make(65001, 1)};
    PathAttributes b = a;
    CHECK(a == b);
    CHECK(hash_value(a) == hash_value(b));
    b.communities.push_back(Community::no_export());
    CHECK(a != b);
    CHECK(hash_value(a) != hash_value(b));
    PathAttributes c = a;
    c.local_pref = 200;
    std::set<PathAttributes> ordered{a, b, c, a};
    CHECK(ordered.size() == 3);
    std::unordered_set<PathAttributes> hashed{a, b, c, b};
    CHECK(hashed.size() == 3);
}

TEST_CASE("OPEN: RFC 9072 extended parameters, several capability parameters, errors as NOTIFICATIONs", "[bgp]") {
    Open o;
    o.my_as = uint16_t(Asn::kTrans);
    o.hold_time = 9;
    o.bgp_id = RouterId(0x0a000001);
    o.capabilities.push_back(FourOctetAsCapability{Asn(4200000001)});
    for (uint8_t safi = 0; safi < 50; ++safi)  // 300 bytes: needs the extended length form
        o.capabilities.push_back(MultiprotocolCapability{{2, safi}});
    auto bytes = encode(Message(o), {});
    REQUIRE(bytes);
    CHECK((*bytes)[28] == 255);
    CHECK((*bytes)[29] == 255);
    auto back = decode(*bytes, {});
    REQUIRE(back);
    CHECK(std::get<Open>(*back) == o);
    CHECK(std::get<Open>(*back).asn() == Asn(4200000001));

    // Capabilities split over two parameters (RFC 5492 allows it) decode as one list.
    auto two = message(1, hex("04 fde9 00b4 c0000201 10 02 06 41040000fde9 02 06 0104000200 04"));
    auto o2 = std::get<Open>(*decode(two, {}));
    CHECK(o2.capabilities.size() == 2);
    CHECK(o2.find<MultiprotocolCapability>()->afi_safi == AfiSafi{2, 4});

    auto bad = decode(message(1, hex("03 fde9 005a c0000201 00")), {});
    REQUIRE_FALSE(bad);
    CHECK(to_notification(bad.error()) == Notification{2, 1, {0, 4}});
}

TEST_CASE("multiple labels capability (RFC 8277 2.1), both ways", "[bgp]") {
    auto body = hex("04 fde9 005a c0000201 0c 02 0a 08 08 0002 04 02 0001 04 03");
    auto bytes = message(1, body);
    auto o = std::get<Open>(*decode(bytes, {}));
    REQUIRE(o.find<MultipleLabelsCapability>());
    CHECK(o.find<MultipleLabelsCapability>()->entries ==
          std::vector<MultipleLabelsCapability::Entry>{{{2, 4}, 2}, {{1, 4}, 3}});
    CHECK(*encode(Message(o), {}) == bytes);
    auto bad = decode(message(1, hex("04 fde9 005a c0000201 05 02 03 08 01 00")), {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::OpenMessage);
    CHECK(bad.error().subcode == 0);
}

TEST_CASE("NOTIFICATION shutdown communication (RFC 9003) edge cases", "[bgp]") {
    Notification n{6, cease::kAdministrativeReset, hex("03 616263")};
    CHECK(n.shutdown_communication() == "abc");
    n.data = hex("05 616263");  // length past the data: ignored
    CHECK_FALSE(n.shutdown_communication());
    n.data = hex("02 c328");  // invalid UTF-8
    CHECK_FALSE(n.shutdown_communication());
    n.data = hex("00");
    CHECK(n.shutdown_communication() == "");
    CHECK_FALSE((Notification{6, cease::kPeerDeconfigured, hex("03 616263")}.shutdown_communication()));
    // Cut at 255 bytes without splitting a character: "é" is 2 bytes.
    std::string text(254, 'a');
    text += "\xc3\xa9";
    auto s = make_shutdown(cease::kAdministrativeShutdown, text);
    CHECK(s.data[0] == 254);
    CHECK(s.shutdown_communication() == std::string(254, 'a'));
    CHECK(is_valid_utf8("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
    CHECK_FALSE(is_valid_utf8("\xe2\x82"));      // truncated
    // A NOTIFICATION with only code and subcode.
    auto bare = std::get<Notification>(*decode(message(3, hex("0402")), {}));
    CHECK(bare == Notification{4, 2, {}});
}

TEST_CASE("decoders called on a body directly check their fixed parts (fuzz finds)", "[bgp]") {
    // Found by bgp_fuzz_open: 8 bytes, the identifier cut short.
    auto o = decode_open(ByteReader(hex("04 91fd 0001 ffff 00"), kHeaderSize));
    REQUIRE_FALSE(o);
    CHECK(o.error().code == ErrorCode::MessageHeader);
    CHECK(o.error().subcode == header_error::kBadMessageLength);
    CHECK_FALSE(decode_open(ByteReader({}, kHeaderSize)));
    CHECK_FALSE(decode_update(ByteReader(hex("00"), kHeaderSize), {}));
    CHECK_FALSE(decode_notification(ByteReader(hex("06"), kHeaderSize)));
    CHECK_FALSE(decode_route_refresh(ByteReader(hex("000201"), kHeaderSize)));
}

TEST_CASE("ROUTE-REFRESH keeps unknown subtypes for the speaker to ignore", "[bgp]") {
    auto rr = std::get<RouteRefresh>(*decode(message(5, hex("0002 07 04")), {}));
    CHECK(rr.subtype == 7);
    CHECK(rr.afi_safi == AfiSafi{2, 4});
    auto bad = decode(message(5, hex("0002 00")), {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().data == message(5, hex("0002 00")));  // RFC 7313 5: the whole message
}

TEST_CASE("seeded round trips of generated UPDATEs", "[bgp]") {
    uint64_t state = 0x9e3779b97f4a7c15ull;
    auto next = [&](uint32_t bound) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return uint32_t((state >> 33) % bound);
    };
    for (int iter = 0; iter < 300; ++iter) {
        Context ctx;
        ctx.four_octet_as = next(2);
        for (auto& ap : ctx.add_path) ap = next(2);
        Update u;
        auto& a = u.attrs;
        a.origin = Origin(next(3));
        a.as_path = AsPath{};
        for (uint32_t s = next(4); s > 0; --s) {
            AsPathSegment seg{AsPathSegment::Type(1 + next(4)), {}};
            for (uint32_t n = 1 + next(5); n > 0; --n) seg.asns.emplace_back(next(2) ? 1 + next(65000) : 70000 + next(1000000));
            a.as_path->segments.push_back(seg);
        }
        if (!ctx.four_octet_as && a.as_path->needs_four_octets()) {
            // A 2-octet peer's AS4_PATH carries no confederation segments, so keep them out.
            std::erase_if(a.as_path->segments, [](auto& s) {
                return s.type == AsPathSegment::Type::ConfedSequence || s.type == AsPathSegment::Type::ConfedSet;
            });
        }
        if (next(2)) a.med = next(1000);
        if (next(2)) a.local_pref = next(1000);
        a.atomic_aggregate = next(2);
        if (next(2)) a.aggregator = Aggregator{Asn(1 + next(5000000)), Ipv4Address::from_uint(next(~0u))};
        // RFC 6793 4.2.3: from a 2-octet peer, an AGGREGATOR with a real 2-octet ASN voids AS4_PATH.
        if (!ctx.four_octet_as && a.aggregator && a.as_path->needs_four_octets())
            a.aggregator->asn = Asn(a.aggregator->asn.value() | 0x10000);
        for (uint32_t n = next(4); n > 0; --n) a.communities.push_back({next(~0u)});
        if (next(2)) a.originator_id = RouterId(1 + next(1000));
        for (uint32_t n = next(3); n > 0; --n) a.cluster_list.emplace_back(1 + next(1000));
        for (uint32_t n = next(3); n > 0; --n) a.extended_communities.push_back({{uint8_t(next(256)), 2, 0, 0, 0, 0, 0, uint8_t(next(256))}});
        for (uint32_t n = next(3); n > 0; --n) a.large_communities.push_back({next(~0u), next(~0u), next(~0u)});
        if (next(2)) a.unknown.push_back({0xe0, uint8_t(40 + next(10)), {uint8_t(next(256))}});
        auto f = std::vector<Family>{Family::Ipv4Unicast, Family::Ipv6Unicast, Family::Ipv4Labeled,
                                     Family::Ipv6Labeled}[next(4)];
        auto path_id = [&](Family fam) { return ctx.has_add_path(fam) ? next(~0u) : 0u; };
        auto labels = [&](Family fam) {
            LabelStack s;
            if (is_labeled(fam))
                for (uint32_t n = 1 + next(2); n > 0; --n) s.push_back(label(next(1u << 20)));
            return s;
        };
        if (is_ipv6(f)) {
            NextHop nh = next(2) ? NextHop{MappedNextHop{Ipv4Address::from_uint(next(~0u))}}
                                 : NextHop{Ipv6NextHop{v6("2001:db8::1"), next(2) ? std::optional(v6("fe80::1")) : std::nullopt}};
            u.mp_reach = MpReach{f, nh, {}, {}};
            for (uint32_t n = next(20); n > 0; --n) {
                Ipv6Address::Bytes b{};
                for (auto& x : b) x = uint8_t(next(256));
                u.mp_reach->v6.push_back({Ipv6Prefix::make(Ipv6Address(b), int(next(129))), path_id(f), labels(f)});
            }
        } else if (f == Family::Ipv4Unicast) {
            a.next_hop = Ipv4Address::from_uint(next(~0u));
            for (uint32_t n = next(20); n > 0; --n)
                u.nlri.push_back({Ipv4Prefix::make(Ipv4Address::from_uint(next(~0u)), int(next(33))), path_id(f), {}});
            if (u.nlri.empty()) a.next_hop.reset();
        } else {
            u.mp_reach = MpReach{f, Ipv4Address::from_uint(next(~0u)), {}, {}};
            for (uint32_t n = next(20); n > 0; --n)
                u.mp_reach->v4.push_back({Ipv4Prefix::make(Ipv4Address::from_uint(next(~0u)), int(next(33))), path_id(f), labels(f)});
        }
        for (uint32_t n = next(5); n > 0; --n)
            u.withdrawn.push_back({Ipv4Prefix::make(Ipv4Address::from_uint(next(~0u)), int(next(33))),
                                   path_id(Family::Ipv4Unicast), {}});
        INFO("iteration " << iter);
        CHECK(round_trip(u, ctx) == u);
    }
}

TEST_CASE("negotiating the coding contexts from two OPENs", "[bgp]") {
    Open local, remote;
    local.capabilities = {MultiprotocolCapability{{2, 4}}, MultiprotocolCapability{{1, 1}}, FourOctetAsCapability{Asn(65001)},
                          ExtendedMessageCapability{}, AddPathCapability{{{{2, 4}, AddPathCapability::Receive}}},
                          ExtendedNextHopCapability{{{1, 1, 2}}}, RouteRefreshCapability{}, EnhancedRouteRefreshCapability{}};
    remote.capabilities = {MultiprotocolCapability{{2, 4}}, FourOctetAsCapability{Asn(65002)},
                           AddPathCapability{{{{2, 4}, AddPathCapability::Both}}}, RouteRefreshCapability{}};
    auto n = negotiate(local, remote);
    CHECK(n.families == std::vector<Family>{Family::Ipv6Labeled});
    CHECK(n.receive.four_octet_as);
    CHECK(n.send.four_octet_as);
    CHECK_FALSE(n.receive.extended_message);  // only one side announced it
    CHECK(n.receive.has_add_path(Family::Ipv6Labeled));
    CHECK_FALSE(n.send.has_add_path(Family::Ipv6Labeled));  // we only announced receive
    CHECK(n.receive.has_extended_next_hop(Family::Ipv4Unicast));
    CHECK_FALSE(n.send.has_extended_next_hop(Family::Ipv4Unicast));
    CHECK(n.route_refresh);
    CHECK_FALSE(n.enhanced_route_refresh);
    // No multiprotocol capability anywhere: IPv4 unicast only, 2-octet AS.
    auto plain = negotiate(Open{}, Open{});
    CHECK(plain.families == std::vector<Family>{Family::Ipv4Unicast});
    CHECK_FALSE(plain.receive.four_octet_as);
    CHECK_FALSE(plain.route_refresh);
}

TEST_CASE("fuzz regression: AS4_AGGREGATOR with AS 0 is discarded and re-encoding is a fixed point", "[bgp]") {
    // Found by bgp_fuzz_update: a 2-octet session, AGGREGATOR AS_TRANS, AS4_PATH with 4-octet ASNs
    // and an AS4_AGGREGATOR naming AS 0. Merging it made our re-encoded AGGREGATOR void the AS4_PATH.
    auto body = hex("0000 003b 400101 00 400208 0203 fde9 5ba0 5ba0 400304 c0000201 c00706 5ba0 c0000201"
                    "c0110e 0203 0000fde9 fa56ea01 fa56ea02 c01208 00000000 00000044 18c63364");
    Context ctx;
    ctx.four_octet_as = false;
    auto u = decode_update(ByteReader(body, kHeaderSize), ctx);
    REQUIRE(u);
    REQUIRE(u->errors.size() == 1);
    CHECK(u->errors[0].action == ErrorAction::AttributeDiscard);
    CHECK(u->attrs.as_path->to_string() == "65001 4200000001 4200000002");
    CHECK(u->attrs.aggregator->asn == Asn(Asn::kTrans));
    ByteWriter w1;
    REQUIRE(encode(*u, ctx, w1));
    auto u2 = decode_update(ByteReader(std::span<const uint8_t>(w1.data()).subspan(kHeaderSize), kHeaderSize), ctx);
    REQUIRE(u2);
    CHECK(u2->attrs == u->attrs);
    ByteWriter w2;
    REQUIRE(encode(*u2, ctx, w2));
    CHECK(w2.data() == w1.data());
}
