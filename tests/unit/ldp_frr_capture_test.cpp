// LDP codec against real PDUs: a session between two FRR 8.4.4 ldpd instances
// captured by tests/data/ldp/capture-frr.sh (see the README there). Every
// PDU must decode without error and re-encode to the same bytes.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "ldp/codec/pdu.hpp"
#include "ldp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using isthmus::ldp::test::hex;
using isthmus::ldp::test::to_hex;

namespace {

struct Segment {
    int frame = 0;
    std::string source;
    std::vector<uint8_t> payload;
};

std::vector<Segment> load_capture(const std::string& name = "frr-ldpd-8.4.4") {
    std::ifstream in(std::string(ISTHMUS_SOURCE_DIR) + "/tests/data/ldp/" + name + ".txt");
    REQUIRE(in);
    std::vector<Segment> out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        Segment s;
        std::string payload;
        fields >> s.frame >> s.source >> payload;
        if (payload.empty()) continue;
        s.payload = hex(payload);
        out.push_back(std::move(s));
    }
    return out;
}

Ipv4Prefix p4(const char* s) { return *Ipv4Prefix::parse(s); }
LdpId id_of(const char* a) { return {RouterId::from_address(*Ipv4Address::parse(a)), 0}; }

// Every PDU of a capture decodes, and re-encodes to the same bytes; returns the
// messages with the LDP identifier of their PDU, and counts them by name.
std::vector<std::pair<LdpId, Message>> decode_capture(const std::string& name, std::map<std::string, int>& seen) {
    auto segments = load_capture(name);
    REQUIRE(segments.size() >= 30);
    std::vector<std::pair<LdpId, Message>> all;
    for (const auto& seg : segments) {
        INFO(name << " frame " << seg.frame << " from " << seg.source);
        auto framed = split_pdus(seg.payload, {});
        REQUIRE(framed);
        CHECK(framed->consumed == seg.payload.size());  // ldpd writes whole PDUs
        for (auto bytes : framed->pdus) {
            auto pdu = decode_pdu(bytes);
            REQUIRE(pdu);
            std::vector<Message> msgs;
            for (const auto& m : pdu->messages) {
                if (!m) FAIL(m.error().to_string());
                seen[message_name(message_type(m->body))]++;
                msgs.push_back(*m);
                all.emplace_back(pdu->header.ldp_id, *m);
            }
            ByteWriter w;
            REQUIRE(encode_pdu(pdu->header.ldp_id, msgs, w));
            CHECK(to_hex(w.data()) == to_hex({bytes.begin(), bytes.end()}));
        }
    }
    return all;
}

}  // namespace

TEST_CASE("LDP FRR ldpd capture decodes and re-encodes byte for byte", "[ldp]") {
    std::map<std::string, int> seen;
    auto all = decode_capture("frr-ldpd-8.4.4", seen);
    // The scenario exercises every message a downstream-unsolicited session sends.
    for (const char* name : {"Hello", "Initialization", "KeepAlive", "Address", "Address Withdraw", "Label Mapping",
                             "Label Withdraw", "Label Release", "Notification"}) {
        INFO(name);
        CHECK(seen[name] > 0);
    }

    auto find = [&](const char* from, auto pred) -> const Message* {
        for (const auto& [id, m] : all)
            if (id == id_of(from) && pred(m)) return &m;
        return nullptr;
    };
    SECTION("ldpd's link Hello: hold time 15, GTSM (RFC 6720), transport address, sequence number") {
        auto* m = find("2.2.2.2", [](const Message& x) { return std::holds_alternative<Hello>(x.body); });
        REQUIRE(m);
        const auto& h = std::get<Hello>(m->body);
        CHECK(h.params == CommonHelloParams{15, false, false, true});
        CHECK(h.transport_v4 == id_of("2.2.2.2").lsr_id.to_address());
        CHECK(h.config_sequence == 2u);
        CHECK(h.unknown.empty());
    }
    SECTION("ldpd's Initialization: keepalive from the 15 s holdtime, three capabilities") {
        auto* m = find("2.2.2.2", [](const Message& x) { return std::holds_alternative<Initialization>(x.body); });
        REQUIRE(m);
        const auto& init = std::get<Initialization>(m->body);
        CHECK(init.params.protocol_version == 1);
        CHECK(init.params.keepalive_time == 15);
        CHECK_FALSE(init.params.downstream_on_demand);
        CHECK(init.params.max_pdu_length == 0);
        CHECK(init.params.receiver == id_of("1.1.1.1"));
        CHECK(init.capabilities == std::vector<Capability>{{CapabilityType::DynamicAnnouncement, true},
                                                            {CapabilityType::TypedWildcardFec, true},
                                                            {CapabilityType::UnrecognizedNotification, true}});
    }
    SECTION("ldpd's bindings: implicit null for its own /32, a label from 16 for the peer's") {
        auto mapping = [](const char* prefix) {
            return [prefix](const Message& m) {
                auto* lm = std::get_if<LabelMapping>(&m.body);
                return lm && lm->fec == Fec{p4(prefix)};
            };
        };
        auto* own = find("2.2.2.2", mapping("2.2.2.2/32"));
        REQUIRE(own);
        CHECK(std::get<LabelMapping>(own->body).label == MplsLabel::implicit_null());
        auto* other = find("2.2.2.2", mapping("1.1.1.1/32"));
        REQUIRE(other);
        CHECK(std::get<LabelMapping>(other->body).label.value() >= 16);
        CHECK(find("2.2.2.2", mapping("10.0.12.0/24")));
    }
    SECTION("the withdrawn loopback: Address Withdraw, Label Withdraw, Label Release back") {
        auto* aw = find("2.2.2.2", [](const Message& m) { return std::holds_alternative<AddressWithdraw>(m.body); });
        REQUIRE(aw);
        CHECK(std::get<AddressWithdraw>(aw->body).list.addresses ==
              decltype(AddressList::addresses){std::vector<Ipv4Address>{*Ipv4Address::parse("2.2.2.22")}});
        auto* rel = find("1.1.1.1", [](const Message& m) {
            auto* r = std::get_if<LabelRelease>(&m.body);
            return r && r->fec == Fec{p4("2.2.2.22/32")};
        });
        REQUIRE(rel);
        CHECK(std::get<LabelRelease>(rel->body).label == MplsLabel::implicit_null());
    }
    SECTION("clear mpls ldp neighbor: a fatal Shutdown") {
        auto* n = find("1.1.1.1", [](const Message& m) { return std::holds_alternative<Notification>(m.body); });
        REQUIRE(n);
        CHECK(std::get<Notification>(n->body).status == StatusTlv{StatusCode::Shutdown, true, false, 0, 0});
    }
}

TEST_CASE("LDP FRR ldpd dual-stack capture (IPv4 and IPv6, RFC 7552)", "[ldp]") {
    std::map<std::string, int> seen;
    auto all = decode_capture("frr-ldpd-8.4.4-dual-stack", seen);
    bool v6_hello = false, v6_addresses = false, v6_own_fec = false, v6_peer_fec = false;
    for (const auto& [id, m] : all) {
        if (auto* h = std::get_if<Hello>(&m.body); h && h->transport_v6) {
            v6_hello = true;
            CHECK(*h->transport_v6 == *Ipv6Address::parse(id == id_of("1.1.1.1") ? "2001:db8::1" : "2001:db8::2"));
            // The RFC 7552 Dual-Stack capability TLV (U=1) is kept for the session layer.
            REQUIRE(h->unknown.size() == 1);
            CHECK(h->unknown[0].type == tlv_type::kDualStackCapability);
            CHECK(h->unknown[0].u_bit);
        }
        if (auto* a = std::get_if<Address>(&m.body); a && a->list.family() == AddressFamily::Ipv6) v6_addresses = true;
        if (auto* lm = std::get_if<LabelMapping>(&m.body); lm && id == id_of("2.2.2.2")) {
            if (lm->fec == Fec{*Ipv6Prefix::parse("2001:db8::2/128")}) {
                v6_own_fec = true;
                CHECK(lm->label == MplsLabel::implicit_null());
            }
            if (lm->fec == Fec{*Ipv6Prefix::parse("2001:db8::1/128")}) {
                v6_peer_fec = true;
                CHECK(lm->label.value() >= 16);
            }
        }
    }
    CHECK(v6_hello);
    CHECK(v6_addresses);
    CHECK(v6_own_fec);
    CHECK(v6_peer_fec);
    CHECK(seen["Label Withdraw"] > 0);
    CHECK(seen["Notification"] > 0);
}
