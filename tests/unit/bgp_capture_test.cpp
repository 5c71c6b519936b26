// BGP codec against real peers: sessions in which BIRD 2.0.12, FRR 8.4.4, GoBGP
// 3.10.0 and ExaBGP 4.2.21 send 6PE (AFI 2/SAFI 4 over IPv4 iBGP) and IPv6
// unicast (over IPv6 eBGP) routes to a BIRD receiver, captured with tshark by
// tests/data/bgp/capture/capture-peers.sh (see the README there). Every
// message decodes under the context negotiated from the two captured OPENs,
// without errors, with the values the senders were configured with; and
// re-encodes to a message that decodes to the same value (byte-exact where noted).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "bgp/codec/message.hpp"
#include "bgp/codec/negotiate.hpp"
#include "bgp/codec/nlri.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using test::hex;
using test::to_hex;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
Ipv6Address v6(const char* s) { return *Ipv6Address::parse(s); }
Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }

struct Line {
    char from = 'S';  // 'S': the sender (the implementation under test), 'R': the BIRD receiver
    int line = 0;
    std::vector<uint8_t> bytes;
};

std::vector<Line> load_capture(const std::string& name) {
    std::ifstream in(test::data_path("capture/" + name + ".txt"));
    REQUIRE(in);
    std::vector<Line> out;
    std::string text;
    int n = 0;
    while (std::getline(in, text)) {
        ++n;
        if (text.empty() || text[0] == '#') continue;
        REQUIRE(text.size() > 2);
        REQUIRE((text[0] == 'S' || text[0] == 'R'));
        out.push_back({text[0], n, hex(text.substr(2))});
    }
    return out;
}

// A route as the receiver learns it from the sender's UPDATEs.
struct Route {
    NextHop next_hop;
    LabelStack labels;
    PathAttributes attrs;
};

struct Session {
    Open sender_open, receiver_open;
    Negotiated negotiated;  // from the receiver's point of view: receive = what the sender sends
    std::map<Ipv6Prefix, Route> routes;
    std::vector<Ipv6Prefix> withdrawn;
    std::vector<uint32_t> withdraw_label_fields;  // the raw 3-byte field of each labeled withdrawal
    std::map<std::string, int> sent;              // message types the sender sent
    int end_of_rib = 0;                            // from the sender
    int messages = 0;
    int byte_exact = 0;
    std::vector<std::string> not_byte_exact;  // the message_kind() of each, in order (line numbers vary per run)
    std::optional<Notification> notification;  // the sender's
};

const char* type_name(const Message& m) {
    static const char* names[] = {"OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"};
    return names[m.index()];
}

// "reach", "unreach" or "eor" for an UPDATE, else the message type.
std::string message_kind(const Message& m) {
    auto* u = std::get_if<Update>(&m);
    if (!u) return type_name(m);
    if (u->end_of_rib()) return "eor";
    return u->mp_reach ? "reach" : u->mp_unreach ? "unreach" : "UPDATE";
}

// The 3-byte label field of every withdrawn NLRI in a labeled MP_UNREACH, read from the raw
// bytes (the codec skips it, RFC 8277 2.4). No add-path in these captures.
void raw_withdraw_labels(const std::vector<uint8_t>& m, std::vector<uint32_t>& out) {
    std::size_t p = 19;
    std::size_t wlen = std::size_t(m[p]) << 8 | m[p + 1];
    p += 2 + wlen;
    std::size_t alen = std::size_t(m[p]) << 8 | m[p + 1];
    p += 2;
    std::size_t end = p + alen;
    while (p < end) {
        uint8_t flags = m[p], type = m[p + 1];
        std::size_t len = (flags & attr_flag::kExtendedLength) ? (std::size_t(m[p + 2]) << 8 | m[p + 3]) : m[p + 2];
        std::size_t v = p + ((flags & attr_flag::kExtendedLength) ? 4 : 3);
        if (type == attr_type::kMpUnreachNlri && m[v + 2] == kSafiLabeledUnicast) {
            std::size_t q = v + 3;
            while (q < v + len) {
                uint8_t bits = m[q];
                out.push_back(uint32_t(m[q + 1]) << 16 | uint32_t(m[q + 2]) << 8 | m[q + 3]);
                q += 1 + (bits + 7) / 8;
            }
        }
        p = v + len;
    }
}

// An UPDATE's bytes with what may legitimately differ after re-encoding taken out: the
// attributes sorted by type (senders order them differently: GoBGP puts MP_REACH last, BIRD
// first, we encode in type order), the extended-length flag dropped (BIRD sets it on short
// MP_REACH/MP_UNREACH) and every labeled withdrawal's label field set to 0x800000 (the codec
// skips it, RFC 8277 2.4, and sends 0x800000), the TC bits of announced labels cleared, a
// 32-byte IPv4-mapped + link-local next hop cut to 16 bytes; the marker and length fields left out
// (they follow). Other messages but OPEN: their bytes.
// OPENs: the capabilities concatenated, whichever optional parameters held them (FRR and
// ExaBGP send one capability per parameter, we send them all in one).
std::vector<uint8_t> canonical(const std::vector<uint8_t>& m) {
    if (m.size() >= 29 && m[18] == 1) {
        std::vector<uint8_t> out(m.begin() + 18, m.begin() + 28);  // type .. BGP identifier
        for (std::size_t p = 29; p + 1 < m.size(); p += 2 + m[p + 1])
            if (m[p] == kOptionalParameterCapabilities)
                out.insert(out.end(), m.begin() + long(p + 2), m.begin() + long(p + 2 + m[p + 1]));
        return out;
    }
    if (m.size() < 23 || m[18] != 2) return m;
    std::vector<uint8_t> out{m[18]};  // no marker or lengths: they follow from the rest
    std::size_t p = 19;
    std::size_t wlen = std::size_t(m[p]) << 8 | m[p + 1];
    out.insert(out.end(), m.begin() + long(p), m.begin() + long(p + 2 + wlen));
    p += 2 + wlen;
    std::size_t alen = std::size_t(m[p]) << 8 | m[p + 1];
    p += 2;
    std::size_t end = p + alen;
    std::map<uint8_t, std::vector<uint8_t>> attrs;
    while (p < end) {
        uint8_t flags = m[p], type = m[p + 1];
        bool ext = flags & attr_flag::kExtendedLength;
        std::size_t len = ext ? (std::size_t(m[p + 2]) << 8 | m[p + 3]) : m[p + 2];
        std::size_t v = p + (ext ? 4 : 3);
        std::vector<uint8_t> value(m.begin() + long(v), m.begin() + long(v + len));
        if (type == attr_type::kMpUnreachNlri && value.size() >= 3 && value[2] == kSafiLabeledUnicast)
            for (std::size_t q = 3; q + 3 < value.size();) {  // one label field (see below for GoBGP's two)
                std::size_t bits = value[q], labels = 1;
                while (labels < 8 && !(value[q + 3 * labels] & 1) && value[q + 1] != 0x80 &&
                       (value[q + 1] | value[q + 2] | value[q + 3]) != 0)
                    ++labels;  // GoBGP repeats the whole announced stack
                if (!(value[q + 3 * labels] & 1) && labels > 1) labels = 1;
                std::vector<uint8_t> field{uint8_t(bits - 24 * (labels - 1)), 0x80, 0, 0};
                value.erase(value.begin() + long(q), value.begin() + long(q + 1 + 3 * labels));
                value.insert(value.begin() + long(q), field.begin(), field.end());
                q += 4 + (bits - 24 * labels + 7) / 8;
            }
        if (type == attr_type::kMpReachNlri && value.size() >= 5) {
            // A 32-byte ::ffff:a.b.c.d + link-local next hop: we keep and send the 16-byte part.
            static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
            if (value[3] == 32 && std::equal(mapped, mapped + 12, value.begin() + 4)) {
                value[3] = 16;
                value.erase(value.begin() + 20, value.begin() + 36);
            }
            // The TC bits of each label field: ignored on receipt, sent as 0 (FRR sends label 3 as 0x000033).
            if (value[2] == kSafiLabeledUnicast)
                for (std::size_t q = 5u + value[3]; q < value.size();) {
                    std::size_t bits = value[q++], labels = 0;
                    for (bool bottom = false; !bottom; ++labels, q += 3) {
                        value[q + 2] &= 0xf1;
                        bottom = value[q + 2] & 1;
                    }
                    q += (bits - 24 * labels + 7) / 8;
                }
        }
        std::vector<uint8_t> a{uint8_t(flags & ~attr_flag::kExtendedLength), type, uint8_t(value.size() >> 8),
                               uint8_t(value.size())};
        a.insert(a.end(), value.begin(), value.end());
        attrs[type] = a;
        p = v + len;
    }
    for (auto& [t, a] : attrs) out.insert(out.end(), a.begin(), a.end());
    out.insert(out.end(), m.begin() + long(end), m.end());
    return out;
}

Session replay(const std::string& name, PeerKind kind) {
    INFO(name);
    auto lines = load_capture(name);
    REQUIRE(lines.size() >= 5);
    Session s;
    // The OPENs first: they fix the contexts for everything else.
    bool have_s = false, have_r = false;
    for (const auto& l : lines) {
        auto m = decode(l.bytes, Context{});
        if (!m || !std::holds_alternative<Open>(*m)) continue;
        if (l.from == 'S' && !have_s) s.sender_open = std::get<Open>(*m), have_s = true;
        if (l.from == 'R' && !have_r) s.receiver_open = std::get<Open>(*m), have_r = true;
    }
    REQUIRE(have_s);
    REQUIRE(have_r);
    s.negotiated = negotiate(s.receiver_open, s.sender_open);
    Context from_sender = s.negotiated.receive, from_receiver = s.negotiated.send;
    from_sender.peer = from_receiver.peer = kind;

    for (const auto& l : lines) {
        INFO(name << " line " << l.line << ": " << to_hex(l.bytes, 0));
        const Context& ctx = l.from == 'S' ? from_sender : from_receiver;
        auto m = decode(l.bytes, ctx);
        INFO((m ? std::string() : m.error().to_string()));
        REQUIRE(m);
        ++s.messages;
        if (auto* u = std::get_if<Update>(&*m)) {
            CHECK(u->errors.empty());
            CHECK_FALSE(u->action());
        }
        // Re-encode: value-equal always, byte-exact counted.
        auto again = encode(*m, ctx);
        INFO((again ? std::string() : again.error().reason));
        REQUIRE(again);
        auto back = decode(*again, ctx);
        REQUIRE(back);
        CHECK(*back == *m);
        if (*again == l.bytes) {
            ++s.byte_exact;
        } else {
            s.not_byte_exact.push_back(message_kind(*m));
            INFO("re-encoded: " << to_hex(*again, 0));
            CHECK(to_hex(canonical(*again), 0) == to_hex(canonical(l.bytes), 0));
        }

        if (l.from != 'S') continue;
        s.sent[type_name(*m)]++;
        if (auto* n = std::get_if<Notification>(&*m)) s.notification = *n;
        auto* u = std::get_if<Update>(&*m);
        if (!u) continue;
        if (u->end_of_rib()) ++s.end_of_rib;
        if (u->mp_unreach) {
            for (const auto& n : u->mp_unreach->v6) s.withdrawn.push_back(n.prefix);
            raw_withdraw_labels(l.bytes, s.withdraw_label_fields);
        }
        if (u->mp_reach)
            for (const auto& n : u->mp_reach->v6) s.routes[n.prefix] = Route{u->mp_reach->next_hop, n.labels, u->attrs};
    }
    CHECK(s.sent["OPEN"] == 1);  // one connection per capture
    CHECK(s.sent["UPDATE"] >= 1);
    CHECK(s.sent["KEEPALIVE"] >= 2);
    CHECK(s.byte_exact + int(s.not_byte_exact.size()) == s.messages);
    return s;
}

bool has_mp(const Open& o, Family f) {
    for (const auto& c : o.capabilities)
        if (auto* mp = std::get_if<MultiprotocolCapability>(&c))
            if (mp->afi_safi == afi_safi_of(f)) return true;
    return false;
}

// What every OPEN of these captures has: MP for the family, route refresh, 4-octet AS.
void check_open(const Open& o, Asn asn, const char* router_id, Family f, bool route_refresh = true) {
    CHECK(o.version == 4);
    CHECK(has_mp(o, f));
    CHECK(bool(o.find<RouteRefreshCapability>()) == route_refresh);
    REQUIRE(o.find<FourOctetAsCapability>());
    CHECK(o.find<FourOctetAsCapability>()->asn == asn);
    CHECK(o.asn() == asn);
    CHECK(o.bgp_id == RouterId::from_address(v4(router_id)));
    CHECK(o.hold_time == 9);
}

// One route the sender was configured with, as the receiver must see it.
struct Want {
    const char* prefix;
    std::vector<uint32_t> labels;  // empty for IPv6 unicast
    Origin origin = Origin::Igp;
    std::vector<uint32_t> as_path;  // one AS_SEQUENCE, or none when empty
    std::optional<uint32_t> med;
    std::optional<uint32_t> local_pref;
};

AsPath path(const std::vector<uint32_t>& asns) {
    AsPath p;
    if (asns.empty()) return p;
    AsPathSegment seg;
    for (auto a : asns) seg.asns.push_back(Asn(a));
    p.segments.push_back(seg);
    return p;
}

void check_routes(const Session& s, const std::vector<Want>& want, const NextHop& next_hop) {
    REQUIRE(s.routes.size() == want.size());
    for (const auto& w : want) {
        INFO(w.prefix);
        auto it = s.routes.find(p6(w.prefix));
        REQUIRE(it != s.routes.end());
        const Route& r = it->second;
        CHECK(r.next_hop == next_hop);
        // The stack ends at the first label with the bottom-of-stack bit, so its size is the
        // count the sender meant with BoS on the last (a missing BoS is an AFI/SAFI-disable error).
        REQUIRE(r.labels.size() == w.labels.size());
        for (std::size_t i = 0; i < w.labels.size(); ++i) CHECK(r.labels[i].value() == w.labels[i]);
        CHECK(r.attrs.origin == w.origin);
        CHECK(r.attrs.as_path == path(w.as_path));
        CHECK(r.attrs.med == w.med);
        CHECK(r.attrs.local_pref == w.local_pref);
        CHECK_FALSE(r.attrs.next_hop);  // no IPv4 NLRI: NEXT_HOP absent
        CHECK(r.attrs.communities.empty());
        CHECK(r.attrs.unknown.empty());
    }
}

// ExaBGP 4.2 does not announce route refresh unless configured to.
void check_6pe_session(const Session& s, bool route_refresh = true) {
    check_open(s.sender_open, Asn(65000), "10.0.0.1", Family::Ipv6Labeled, route_refresh);
    check_open(s.receiver_open, Asn(65000), "10.0.0.2", Family::Ipv6Labeled);
    CHECK(s.negotiated.families == std::vector<Family>{Family::Ipv6Labeled});
    CHECK(s.negotiated.receive.four_octet_as);
    CHECK(s.negotiated.route_refresh == route_refresh);
}

void check_ipv6_session(const Session& s, bool route_refresh = true) {
    check_open(s.sender_open, Asn(65001), "10.0.0.1", Family::Ipv6Unicast, route_refresh);
    check_open(s.receiver_open, Asn(65000), "10.0.0.2", Family::Ipv6Unicast);
    CHECK(s.negotiated.families == std::vector<Family>{Family::Ipv6Unicast});
    CHECK(s.negotiated.receive.four_octet_as);
    CHECK(s.negotiated.route_refresh == route_refresh);
}

const NextHop kMapped = MappedNextHop{*Ipv4Address::parse("10.0.0.1")};
const NextHop kGlobalOnly = Ipv6NextHop{*Ipv6Address::parse("2001:db8:1::1"), std::nullopt};

// The global part must be the sender's address, the link-local part (the sender's
// interface address, different every run) a link-local address.
NextHop with_link_local(const Session& s, const char* global = "2001:db8:1::1") {
    REQUIRE_FALSE(s.routes.empty());
    auto* nh = std::get_if<Ipv6NextHop>(&s.routes.begin()->second.next_hop);
    REQUIRE(nh);
    CHECK(nh->global == v6(global));
    REQUIRE(nh->link_local);
    CHECK(nh->link_local->is_link_local());
    return *nh;
}

}  // namespace

TEST_CASE("captured: BIRD 2.0.12 sends 6PE over IPv4 iBGP", "[bgp]") {
    auto s = replay("bird-6pe", PeerKind::Internal);
    check_6pe_session(s);
    // next hop self: BIRD sends its IPv4 address mapped and implicit null (PEERS.md)
    check_routes(s,
                 {{"2001:db8:100::/48", {3}, Origin::Igp, {}, {}, 100},
                  {"2001:db8:101::/64", {3}, Origin::Igp, {}, {}, 100},
                  {"2001:db8:102::/56", {3}, Origin::Igp, {}, {}, 100}},
                 kMapped);
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:102::/56")});
    CHECK(s.withdraw_label_fields == std::vector<uint32_t>{0x000001});  // label 0 with BoS
    CHECK(s.end_of_rib == 1);
    REQUIRE(s.notification);
    CHECK(s.notification->code == 6);
    CHECK(s.notification->subcode == 2);
    // Not byte-exact: BIRD sets the extended-length flag on short MP_REACH/MP_UNREACH,
    // and its withdrawal's label field is 0x000001
    CHECK(s.not_byte_exact == std::vector<std::string>{"reach", "unreach"});
}

TEST_CASE("captured: BIRD 2.0.12 sends IPv6 unicast over IPv6 eBGP", "[bgp]") {
    auto s = replay("bird-ipv6", PeerKind::External);
    check_ipv6_session(s);
    check_routes(s,
                 {{"2001:db8:100::/48", {}, Origin::Igp, {65001}, {}, {}},
                  {"2001:db8:101::/64", {}, Origin::Igp, {65001}, {}, {}},
                  {"2001:db8:102::/56", {}, Origin::Igp, {65001}, {}, {}}},
                 with_link_local(s));
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:102::/56")});
    CHECK(s.end_of_rib == 1);
    REQUIRE(s.notification);
    CHECK(s.notification->code == 6);
    // Not byte-exact: the extended-length flag on short MP_REACH/MP_UNREACH
    CHECK(s.not_byte_exact == std::vector<std::string>{"reach", "unreach"});
}

TEST_CASE("captured: FRR 8.4.4 sends 6PE over IPv4 iBGP", "[bgp]") {
    auto s = replay("frr-6pe", PeerKind::Internal);
    check_6pe_session(s);
    check_routes(s,
                 {{"2001:db8:200::/48", {3}, Origin::Igp, {}, 0, 100},
                  {"2001:db8:201::/64", {3}, Origin::Igp, {}, 0, 100},
                  {"2001:db8:202::/56", {3}, Origin::Igp, {}, 0, 100}},
                 kMapped);
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:202::/56")});
    CHECK(s.withdraw_label_fields == std::vector<uint32_t>{0x800000});
    CHECK(s.end_of_rib == 1);
    // Not byte-exact: the OPEN (one capability per optional parameter), the UPDATE (32-byte
    // next hop ::ffff:10.0.0.1 + link-local, we send 16; label 3 sent as 0x000033, TC bits set;
    // extended-length flag), the withdrawal (extended-length flag)
    CHECK(s.not_byte_exact == std::vector<std::string>{"OPEN", "reach", "unreach"});
}

TEST_CASE("captured: FRR 8.4.4 sends 6PE with an IPv6 next hop when its interface has one", "[bgp]") {
    // The same session with IPv6 global addresses on the link: FRR sends the interface's
    // global + link-local address (32 bytes), not ::ffff:10.0.0.1.
    auto s = replay("frr-6pe-ifv6", PeerKind::Internal);
    check_6pe_session(s);
    check_routes(s,
                 {{"2001:db8:200::/48", {3}, Origin::Igp, {}, 0, 100},
                  {"2001:db8:201::/64", {3}, Origin::Igp, {}, 0, 100},
                  {"2001:db8:202::/56", {3}, Origin::Igp, {}, 0, 100}},
                 with_link_local(s));
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:202::/56")});
    CHECK(s.withdraw_label_fields == std::vector<uint32_t>{0x800000});
    // Not byte-exact: the OPEN, TC bits and extended-length flag as in frr-6pe
    CHECK(s.not_byte_exact == std::vector<std::string>{"OPEN", "reach", "unreach"});
}

TEST_CASE("captured: FRR 8.4.4 sends 6PE with a link-local-only next hop without route-map", "[bgp]") {
    // No IPv6 global address on the link and no route-map setting ::ffff:10.0.0.1: FRR sends
    // its link-local address twice (32 bytes); BIRD does not take the routes. The codec decodes
    // it as it is (whether such a next hop is usable is the speaker's check).
    auto s = replay("frr-6pe-noglobal", PeerKind::Internal);
    check_6pe_session(s);
    REQUIRE_FALSE(s.routes.empty());
    auto* nh = std::get_if<Ipv6NextHop>(&s.routes.begin()->second.next_hop);
    REQUIRE(nh);
    CHECK(nh->global.is_link_local());
    REQUIRE(nh->link_local);
    CHECK(*nh->link_local == nh->global);
    check_routes(s,
                 {{"2001:db8:200::/48", {3}, Origin::Igp, {}, 0, 100},
                  {"2001:db8:201::/64", {3}, Origin::Igp, {}, 0, 100},
                  {"2001:db8:202::/56", {3}, Origin::Igp, {}, 0, 100}},
                 *nh);
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:202::/56")});
    CHECK(s.withdraw_label_fields == std::vector<uint32_t>{0x800000});
    // Not byte-exact: the OPEN, TC bits and extended-length flags as in frr-6pe
    CHECK(s.not_byte_exact == std::vector<std::string>{"OPEN", "reach", "unreach"});
}

TEST_CASE("captured: FRR 8.4.4 sends IPv6 unicast over IPv6 eBGP", "[bgp]") {
    auto s = replay("frr-ipv6", PeerKind::External);
    check_ipv6_session(s);
    check_routes(s,
                 {{"2001:db8:200::/48", {}, Origin::Igp, {65001}, 0, {}},
                  {"2001:db8:201::/64", {}, Origin::Igp, {65001}, 0, {}},
                  {"2001:db8:202::/56", {}, Origin::Igp, {65001}, 0, {}}},
                 with_link_local(s));
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:202::/56")});
    CHECK(s.end_of_rib == 1);
    // Not byte-exact: the OPEN (one capability per parameter), the extended-length flag
    CHECK(s.not_byte_exact == std::vector<std::string>{"OPEN", "reach", "unreach"});
}

TEST_CASE("captured: GoBGP 3.10.0 sends 6PE over IPv4 iBGP", "[bgp]") {
    auto s = replay("gobgp-6pe", PeerKind::Internal);
    check_6pe_session(s);
    check_routes(s,
                 {{"2001:db8:300::/48", {300}, Origin::Igp, {}, 50, 200},
                  {"2001:db8:301::/64", {301}, Origin::Incomplete, {}, {}, 100},
                  {"2001:db8:302::/56", {302, 303}, Origin::Incomplete, {}, {}, 100}},
                 kMapped);
    // GoBGP withdraws with the announced stack: 0x0012e0 (302, no BoS) then 0x0012f1 (303, BoS);
    // the codec skips both (nlri.cpp), else the prefix would be misread as a /80
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:302::/56")});
    CHECK(s.withdraw_label_fields == std::vector<uint32_t>{0x0012e0});
    // Not byte-exact: GoBGP puts MP_REACH last (we put it first, RFC 7606 5.1), and its
    // withdrawal repeats the announced label stack (302 without BoS, 303 with)
    CHECK(s.not_byte_exact == std::vector<std::string>{"reach", "reach", "reach", "unreach"});
}

TEST_CASE("captured: GoBGP 3.10.0 sends IPv6 unicast over IPv6 eBGP", "[bgp]") {
    auto s = replay("gobgp-ipv6", PeerKind::External);
    check_ipv6_session(s);
    // the CLI default origin is incomplete; GoBGP sends the 16-byte global next hop only
    check_routes(s,
                 {{"2001:db8:300::/48", {}, Origin::Igp, {65001}, 50, {}},
                  {"2001:db8:301::/64", {}, Origin::Incomplete, {65001}, {}, {}},
                  {"2001:db8:302::/56", {}, Origin::Incomplete, {65001}, {}, {}}},
                 kGlobalOnly);
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:302::/56")});
    REQUIRE(s.notification);
    CHECK(s.notification->code == 6);
    // Not byte-exact: MP_REACH last
    CHECK(s.not_byte_exact == std::vector<std::string>{"reach", "reach", "reach"});
}

TEST_CASE("captured: ExaBGP 4.2.21 sends 6PE over IPv4 iBGP", "[bgp]") {
    auto s = replay("exabgp-6pe", PeerKind::Internal);
    check_6pe_session(s, false);
    check_routes(s,
                 {{"2001:db8:400::/48", {400}, Origin::Igp, {}, 50, 200},
                  {"2001:db8:401::/64", {401}, Origin::Igp, {}, {}, 100},
                  {"2001:db8:402::/56", {402, 403}, Origin::Igp, {}, {}, 100}},
                 kMapped);
    CHECK(s.withdrawn.empty());
    CHECK(s.end_of_rib == 1);
    // Not byte-exact: the OPEN (one capability per parameter), MP_REACH last, the End-of-RIB
    // with the extended-length flag
    CHECK(s.not_byte_exact == std::vector<std::string>{"OPEN", "reach", "reach", "reach", "eor"});
}

TEST_CASE("captured: ExaBGP 4.2.21 sends IPv6 unicast over IPv6 eBGP", "[bgp]") {
    auto s = replay("exabgp-ipv6", PeerKind::External);
    check_ipv6_session(s, false);
    check_routes(s,
                 {{"2001:db8:400::/48", {}, Origin::Igp, {65001}, 50, {}},
                  {"2001:db8:401::/64", {}, Origin::Igp, {65001}, {}, {}},
                  {"2001:db8:402::/56", {}, Origin::Igp, {65001, 65010}, {}, {}}},
                 kGlobalOnly);
    CHECK(s.withdrawn.empty());
    CHECK(s.end_of_rib == 1);
    // Not byte-exact: as exabgp-6pe
    CHECK(s.not_byte_exact == std::vector<std::string>{"OPEN", "reach", "reach", "reach", "eor"});
}

TEST_CASE("labeled withdrawals: a repeated label stack (GoBGP) is skipped whole", "[bgp]") {
    // Regression for gobgp-6pe: 2001:db8:302::/56 withdrawn with its announced stack 302/303.
    NlriCoding withdraw{false, true, true};
    auto decode_one = [&](const char* text) {
        std::vector<Ipv6Nlri> out;
        auto bytes = hex(text);
        auto st = decode_nlri<Ipv6Prefix>(ByteReader(bytes), withdraw, out);
        REQUIRE(st);
        REQUIRE(out.size() == 1);
        CHECK(out[0].labels.empty());
        return out[0].prefix;
    };
    CHECK(decode_one("68 0012e0 0012f1 20010db8030200") == p6("2001:db8:302::/56"));   // GoBGP 3.10
    CHECK(decode_one("50 800000 20010db8020200") == p6("2001:db8:202::/56"));          // FRR, RFC 8277
    CHECK(decode_one("50 000001 20010db8010200") == p6("2001:db8:102::/56"));          // BIRD
    CHECK(decode_one("50 000000 20010db8010200") == p6("2001:db8:102::/56"));          // RFC 3107 compat
    // a first field without BoS but no later field with it: one field, as before
    CHECK(decode_one("68 0012e0 3ffe0000000000000000") == p6("3ffe::/80"));
    // 0x800000 then a BoS-looking prefix byte: one field (0x800000 is never a stack)
    CHECK(decode_one("68 800000 0012f1 20010db8030200") == p6("12:f120:10d:b803:200::/80"));
}

TEST_CASE("captured OPENs: the capabilities each implementation announces", "[bgp]") {
    auto codes = [](const Open& o) {
        std::vector<int> out;
        for (const auto& c : o.capabilities) out.push_back(capability_code_of(c));
        return out;
    };
    SECTION("BIRD 2.0.12: MP, route refresh, graceful restart, 4-octet AS, enhanced RR, LLGR") {
        auto s = replay("bird-6pe", PeerKind::Internal);
        CHECK(codes(s.sender_open) == std::vector<int>{1, 2, 64, 65, 70, 71});
        REQUIRE(s.sender_open.find<GracefulRestartCapability>());
        CHECK(s.sender_open.find<GracefulRestartCapability>()->restart_time == 120);
        CHECK(s.sender_open.find<EnhancedRouteRefreshCapability>());
        CHECK(s.negotiated.enhanced_route_refresh);
        CHECK(s.receiver_open.capabilities == s.sender_open.capabilities);  // both BIRD
    }
    SECTION("FRR 8.4.4: also extended message, add-path receive, hostname, the old Cisco route refresh") {
        auto s = replay("frr-6pe", PeerKind::Internal);
        CHECK(codes(s.sender_open) == std::vector<int>{1, 128, 2, 70, 65, 6, 69, 73, 64, 71});
        CHECK(s.sender_open.find<ExtendedMessageCapability>());
        CHECK_FALSE(s.negotiated.receive.extended_message);  // BIRD did not announce it
        REQUIRE(s.sender_open.find<AddPathCapability>());
        CHECK(s.sender_open.find<AddPathCapability>()->entries ==
              std::vector<AddPathCapability::Entry>{{AfiSafi{2, 4}, AddPathCapability::Receive}});
        CHECK_FALSE(s.negotiated.receive.has_add_path(Family::Ipv6Labeled));
        REQUIRE(s.sender_open.find<FqdnCapability>());
        CHECK(s.sender_open.find<FqdnCapability>()->hostname == "frr-sender");
        REQUIRE(s.sender_open.find<GracefulRestartCapability>());
        CHECK(s.sender_open.find<GracefulRestartCapability>()->restart_time == 120);
        CHECK(s.sender_open.find<GracefulRestartCapability>()->entries.empty());
    }
    SECTION("GoBGP 3.10.0: route refresh, hostname, MP, 4-octet AS") {
        auto s = replay("gobgp-ipv6", PeerKind::External);
        CHECK(codes(s.sender_open) == std::vector<int>{2, 73, 1, 65});
        REQUIRE(s.sender_open.find<FqdnCapability>());
        CHECK_FALSE(s.sender_open.find<FqdnCapability>()->hostname.empty());
    }
    SECTION("ExaBGP 4.2.21: MP, 4-octet AS, extended message") {
        auto s = replay("exabgp-6pe", PeerKind::Internal);
        CHECK(codes(s.sender_open) == std::vector<int>{1, 65, 6});
    }
}
