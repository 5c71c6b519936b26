// LDP codec robustness: mutated and truncated PDUs (from the FRR capture and
// hand-built messages) must fail cleanly or decode to values that re-encode to
// a fixed point; never throw, never read out of bounds (ASan in the test build).
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "ldp/codec/pdu.hpp"
#include "ldp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using isthmus::ldp::test::hex;

namespace {

std::vector<std::vector<uint8_t>> seed_pdus() {
    std::vector<std::vector<uint8_t>> out;
    for (const char* name : {"frr-ldpd-8.4.4.txt", "frr-ldpd-8.4.4-dual-stack.txt"}) {
        std::ifstream in(std::string(ISTHMUS_SOURCE_DIR) + "/tests/data/ldp/" + name);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string frame, source, payload;
            fields >> frame >> source >> payload;
            if (payload.empty()) continue;
            auto bytes = hex(payload);
            auto framed = split_pdus(bytes, {});
            if (!framed) continue;
            for (auto p : framed->pdus) out.emplace_back(p.begin(), p.end());
        }
    }
    // Messages the capture lacks: every optional TLV, IPv6, typed wildcards, unknowns.
    const char* extra[] = {
        "0400 0036 0000000e 0100 0007 02 0001 18 0a000c 0200 0004 00000010 0600 0004 00000009 0103 0001 02"
        " 0104 0008 01010101 02020202 c123 0002 abcd",
        "0400 0024 0000000f 0100 0014 02 0002 20 20010db8 02 0001 00 02 0001 19 0a010280 0200 0004 000fffff",
        "0001 0029 00000018 4300 000a 40000006 00000022 0400 0301 0004 00000007 0303 0002 0400 8304 0005 0508000180",
        "0001 001b 00000017 0300 000a 0000002f 00000000 0000 0100 0005 05 02 02 0001",
        "0200 002b 00000006 0500 000e 0001 00b4 00 00 1000 02020202 0000 8503 000c 0001 0000 0001d4c0 0001d4c0"
        " 0508 0001 80",
        "0100 0028 00000003 0400 0004 ffff 0000 0403 0010 20010db8000000000000000000000001 8701 0004 40000000",
        "0300 001a 0000000c 0101 0012 0002 20010db8000000000000000000000001",
        "0404 0018 00000015 0100 0008 02 0001 20 02020202 0600 0004 00000010",
        "0401 0015 00000010 0100 0008 02 0001 20 02020202 0103 0001 01",
        "0202 0009 00000008 850b 0001 00",
        "8f00 0006 00000009 abcd",
    };
    for (const char* m : extra) {
        auto msg = hex(m);
        std::vector<uint8_t> pdu = hex("0001 0000 01010101 0000");
        pdu.insert(pdu.end(), msg.begin(), msg.end());
        pdu[2] = uint8_t((pdu.size() - 4) >> 8);
        pdu[3] = uint8_t(pdu.size() - 4);
        out.push_back(std::move(pdu));
    }
    return out;
}

// Decodes; whatever decodes must re-encode and decode again to the same value.
// Returns whether the PDU decoded.
bool decode_checked(const std::vector<uint8_t>& bytes) {
    auto pdu = decode_pdu(bytes);
    if (!pdu) {
        CHECK(pdu.error().fatal);
        CHECK(pdu.error().offset <= bytes.size());
        return false;
    }
    for (const auto& m : pdu->messages) {
        if (!m) {
            CHECK_FALSE(m.error().fatal);
            continue;
        }
        ByteWriter w;
        auto s = encode_message(*m, w);
        REQUIRE(s);
        ByteReader r(w.data());
        auto again = decode_message(r);
        REQUIRE(again);
        CHECK(r.empty());
        if (!(*again == *m)) FAIL("re-encoded message decodes differently");
    }
    return true;
}

}  // namespace

TEST_CASE("LDP seed PDUs decode to a re-encoding fixed point", "[ldp]") {
    auto seeds = seed_pdus();
    REQUIRE(seeds.size() > 40);
    for (const auto& s : seeds) {
        INFO(test::to_hex(s));
        auto pdu = decode_pdu(s);
        REQUIRE(pdu);
        for (const auto& m : pdu->messages) REQUIRE(m);
        CHECK(decode_checked(s));
    }
}

TEST_CASE("LDP truncated and mutated PDUs fail cleanly", "[ldp]") {
    auto seeds = seed_pdus();
    std::mt19937 rng(5036);
    std::size_t decoded = 0, failed = 0;
    for (const auto& s : seeds) {
        // Every truncation, with the PDU length patched so the header still frames it.
        for (std::size_t n = kPduHeaderSize; n < s.size(); ++n) {
            auto t = std::vector<uint8_t>(s.begin(), s.begin() + std::ptrdiff_t(n));
            t[2] = uint8_t((n - 4) >> 8);
            t[3] = uint8_t(n - 4);
            (decode_checked(t) ? decoded : failed)++;
        }
        // Single-byte flips past the PDU header, then random multi-byte damage.
        for (std::size_t i = kPduHeaderSize; i < s.size(); ++i) {
            for (uint8_t x : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
                auto t = s;
                t[i] ^= x;
                (decode_checked(t) ? decoded : failed)++;
            }
        }
        for (int k = 0; k < 50; ++k) {
            auto t = s;
            for (int j = 0; j < 4; ++j) {
                std::size_t i = kPduHeaderSize + rng() % (t.size() - kPduHeaderSize);
                t[i] = uint8_t(rng());
            }
            (decode_checked(t) ? decoded : failed)++;
        }
    }
    // Both outcomes are exercised.
    CHECK(decoded > 100);
    CHECK(failed > 100);
}

TEST_CASE("LDP values round-trip through encode and decode", "[ldp]") {
    std::mt19937 rng(3036);
    auto prefix4 = [&] { return Ipv4Prefix::make(Ipv4Address::from_uint(uint32_t(rng())), int(rng() % 33)); };
    auto prefix6 = [&] {
        Ipv6Address::Bytes b{};
        for (auto& x : b) x = uint8_t(rng());
        return Ipv6Prefix::make(Ipv6Address(b), int(rng() % 129));
    };
    auto fec = [&] {
        Fec f;
        switch (rng() % 4) {
        case 0: f.push_back(WildcardFec{}); break;
        case 1: f.push_back(TypedWildcardFec{rng() % 2 ? AddressFamily::Ipv4 : AddressFamily::Ipv6}); break;
        default:
            for (uint32_t i = 0, n = 1 + rng() % 4; i < n; ++i)
                rng() % 2 ? f.push_back(prefix4()) : f.push_back(prefix6());
        }
        return f;
    };
    auto label = [&] { return *MplsLabel::from_value(uint32_t(rng()) & MplsLabel::kMaxValue); };
    std::vector<Message> msgs;
    for (uint32_t id = 1; id <= 400; ++id) {
        switch (id % 6) {
        case 0: {
            LabelMapping m;
            m.fec = fec();
            m.label = label();
            if (rng() % 2) m.request_id = uint32_t(rng());
            if (rng() % 2) m.hop_count = uint8_t(rng());
            if (rng() % 2) m.path_vector = std::vector<RouterId>{RouterId(uint32_t(rng())), RouterId(uint32_t(rng()))};
            msgs.push_back({id, m});
            break;
        }
        case 1: {
            LabelWithdraw m;
            m.fec = fec();
            if (rng() % 2) m.label = label();
            msgs.push_back({id, m});
            break;
        }
        case 2: {
            Hello h;
            h.params = {uint16_t(rng()), bool(rng() % 2), bool(rng() % 2), bool(rng() % 2)};
            if (rng() % 2) h.transport_v4 = Ipv4Address::from_uint(uint32_t(rng()));
            if (rng() % 2) h.config_sequence = uint32_t(rng());
            msgs.push_back({id, h});
            break;
        }
        case 3: {
            Initialization init;
            init.params = {1, uint16_t(rng()), bool(rng() % 2), bool(rng() % 2), uint8_t(rng()), uint16_t(rng()),
                           LdpId{RouterId(uint32_t(rng())), uint16_t(rng())}};
            if (rng() % 2) init.capabilities.push_back({CapabilityType::TypedWildcardFec, bool(rng() % 2)});
            if (rng() % 2) init.ft = FtSessionParams{uint16_t(rng()), uint32_t(rng()), uint32_t(rng())};
            msgs.push_back({id, init});
            break;
        }
        case 4: {
            Address a;
            std::vector<Ipv4Address> v;
            for (uint32_t i = 0, n = 1 + rng() % 5; i < n; ++i) v.push_back(Ipv4Address::from_uint(uint32_t(rng())));
            a.list.addresses = v;
            msgs.push_back({id, a});
            break;
        }
        default: {
            Notification n;
            n.status = {StatusCode(rng() & kStatusCodeMask), bool(rng() % 2), bool(rng() % 2), uint32_t(rng()),
                        uint16_t(rng())};
            if (rng() % 2) n.fec = fec();
            msgs.push_back({id, n});
        }
        }
    }
    auto pdus = pack_pdus(LdpId{RouterId(0x01010101), 0}, msgs);
    REQUIRE(pdus);
    std::size_t i = 0;
    for (const auto& p : *pdus) {
        auto pdu = decode_pdu(p);
        REQUIRE(pdu);
        for (const auto& m : pdu->messages) {
            REQUIRE(m);
            CHECK(*m == msgs[i++]);
        }
    }
    CHECK(i == msgs.size());
}
