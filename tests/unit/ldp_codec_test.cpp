// LDP codec: byte <-> value vectors built by hand from the RFC 5036, 5561,
// 5918, 5919 and 3479 layouts, checked in both directions.
#include <catch2/catch.hpp>

#include "ldp/codec/describe.hpp"
#include "ldp/codec/pdu.hpp"
#include "ldp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using isthmus::ldp::test::decode_one;
using isthmus::ldp::test::encode_one;
using isthmus::ldp::test::hex;
using isthmus::ldp::test::to_hex;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
Ipv6Address v6(const char* s) { return *Ipv6Address::parse(s); }
Ipv4Prefix p4(const char* s) { return *Ipv4Prefix::parse(s); }
Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }
MplsLabel label(uint32_t v) { return *MplsLabel::from_value(v); }
LdpId ldp_id(const char* a, uint16_t space = 0) { return {RouterId::from_address(v4(a)), space}; }

// Both directions: the bytes decode to the value and the value encodes to the bytes.
void check_vector(const char* text, const Message& expected) {
    auto bytes = hex(text);
    auto decoded = decode_one(bytes);
    INFO(text);
    if (!decoded) FAIL(decoded.error().to_string());
    CHECK(*decoded == expected);
    CHECK(to_hex(encode_one(expected)) == to_hex(bytes));
}

}  // namespace

TEST_CASE("LDP Hello vectors", "[ldp]") {
    SECTION("link hello with transport address and configuration sequence number") {
        Hello h;
        h.params.hold_time = 15;
        h.transport_v4 = v4("1.1.1.1");
        h.config_sequence = 1;
        check_vector("0100 001c 00000001 | 0400 0004 000f 0000 | 0401 0004 01010101 | 0402 0004 00000001",
                     Message{1, h});
    }
    SECTION("targeted hello with T and R bits (GTSM is for link hellos only, RFC 6720)") {
        Hello h;
        h.params = {45, true, true, false};
        h.transport_v4 = v4("10.0.0.1");
        check_vector("0100 0014 00000002 | 0400 0004 002d c000 | 0401 0004 0a000001", Message{2, h});
    }
    SECTION("IPv6 transport address and an ignorable unknown TLV (RFC 7552 dual-stack)") {
        Hello h;
        h.params.hold_time = 0xffff;
        h.transport_v6 = v6("2001:db8::1");
        h.unknown = {{true, false, tlv_type::kDualStackCapability, {0x40, 0x00, 0x00, 0x00}}};
        check_vector("0100 0028 00000003 | 0400 0004 ffff 0000 | 0403 0010 20010db8000000000000000000000001"
                     "| 8701 0004 40000000",
                     Message{3, h});
    }
}

TEST_CASE("LDP Initialization vectors", "[ldp]") {
    Initialization init;
    init.params.protocol_version = 1;
    init.params.keepalive_time = 180;
    init.params.max_pdu_length = 4096;
    init.params.receiver = ldp_id("2.2.2.2");
    SECTION("common session parameters only") {
        check_vector("0200 0016 00000003 | 0500 000e 0001 00b4 00 00 1000 02020202 0000", Message{3, init});
    }
    SECTION("A and D bits, PVLim, label space") {
        init.params.downstream_on_demand = true;
        init.params.loop_detection = true;
        init.params.path_vector_limit = 254;
        init.params.receiver = ldp_id("2.2.2.2", 7);
        check_vector("0200 0016 00000004 | 0500 000e 0001 00b4 c0 fe 1000 02020202 0007", Message{4, init});
    }
    SECTION("capabilities (RFC 5561, 5918, 5919) as FRR sends them") {
        init.capabilities = {{CapabilityType::DynamicAnnouncement, true},
                             {CapabilityType::TypedWildcardFec, true},
                             {CapabilityType::UnrecognizedNotification, true}};
        check_vector("0200 0025 00000005 | 0500 000e 0001 00b4 00 00 1000 02020202 0000"
                     "| 8506 0001 80 | 850b 0001 80 | 8603 0001 80",
                     Message{5, init});
    }
    SECTION("FT Session TLV for graceful restart (RFC 3478) and an unknown capability") {
        init.ft = FtSessionParams{ft_flag::kLearn, 120000, 120000};
        init.unknown = {{false, false, 0x0508, {0x80}}};  // P2MP capability, U=0: kept for the session layer
        check_vector("0200 002b 00000006 | 0500 000e 0001 00b4 00 00 1000 02020202 0000"
                     "| 8503 000c 0001 0000 0001d4c0 0001d4c0 | 0508 0001 80",
                     Message{6, init});
    }
}

TEST_CASE("LDP KeepAlive, Capability and unknown message vectors", "[ldp]") {
    check_vector("0201 0004 00000007", Message{7, KeepAlive{}});
    CapabilityMessage cap;
    cap.capabilities = {{CapabilityType::TypedWildcardFec, false}};
    check_vector("0202 0009 00000008 | 850b 0001 00", Message{8, cap});
    // U=1 unknown message: kept so the session can ignore it (RFC 5036 3.4).
    check_vector("8f00 0006 00000009 abcd", Message{9, UnknownMessage{0x0f00, {0xab, 0xcd}}, true});
}

TEST_CASE("LDP Address and Address Withdraw vectors", "[ldp]") {
    Address a;
    a.list.addresses = std::vector<Ipv4Address>{v4("10.0.12.1"), v4("1.1.1.1")};
    check_vector("0300 0012 0000000a | 0101 000a 0001 0a000c01 01010101", Message{10, a});

    AddressWithdraw w;
    w.list.addresses = std::vector<Ipv4Address>{v4("2.2.2.22")};
    check_vector("0301 000e 0000000b | 0101 0006 0001 02020216", Message{11, w});

    Address a6;
    a6.list.addresses = std::vector<Ipv6Address>{v6("2001:db8::1")};
    check_vector("0300 001a 0000000c | 0101 0012 0002 20010db8000000000000000000000001", Message{12, a6});
    CHECK(a6.list.family() == AddressFamily::Ipv6);
}

TEST_CASE("LDP Label Mapping vectors", "[ldp]") {
    SECTION("host route with implicit null, as ldpd advertises its loopback") {
        LabelMapping m;
        m.fec = {p4("1.1.1.1/32")};
        m.label = MplsLabel::implicit_null();
        check_vector("0400 0018 0000000d | 0100 0008 02 0001 20 01010101 | 0200 0004 00000003", Message{13, m});
    }
    SECTION("/24 with a prefix of 3 bytes, every optional parameter, an unknown U+F TLV") {
        LabelMapping m;
        m.fec = {p4("10.0.12.0/24")};
        m.label = label(16);
        m.request_id = 9;
        m.hop_count = 2;
        m.path_vector = std::vector<RouterId>{RouterId::from_address(v4("1.1.1.1")),
                                              RouterId::from_address(v4("2.2.2.2"))};
        m.unknown = {{true, true, 0x0123, {0xab, 0xcd}}};
        check_vector("0400 0036 0000000e | 0100 0007 02 0001 18 0a000c | 0200 0004 00000010"
                     "| 0600 0004 00000009 | 0103 0001 02 | 0104 0008 01010101 02020202 | c123 0002 abcd",
                     Message{14, m});
    }
    SECTION("IPv6 prefix, default route and several elements") {
        LabelMapping m;
        m.fec = {p6("2001:db8::/32"), p4("0.0.0.0/0"), p4("10.1.2.128/25")};
        m.label = label(0xfffff);
        check_vector("0400 0024 0000000f | 0100 0014 02 0002 20 20010db8 | 02 0001 00 | 02 0001 19 0a010280"
                     "| 0200 0004 000fffff",
                     Message{15, m});
    }
}

TEST_CASE("LDP Label Request, Withdraw, Release and Abort vectors", "[ldp]") {
    LabelRequest req;
    req.fec = {p4("2.2.2.2/32")};
    req.hop_count = 1;
    check_vector("0401 0015 00000010 | 0100 0008 02 0001 20 02020202 | 0103 0001 01", Message{16, req});

    LabelWithdraw wd;
    wd.fec = {WildcardFec{}};
    check_vector("0402 0009 00000011 | 0100 0001 01", Message{17, wd});
    wd.fec = {p4("2.2.2.22/32")};
    wd.label = label(17);
    check_vector("0402 0018 00000012 | 0100 0008 02 0001 20 02020216 | 0200 0004 00000011", Message{18, wd});

    LabelRelease rel;
    rel.fec = {TypedWildcardFec{AddressFamily::Ipv4}};
    check_vector("0403 000d 00000013 | 0100 0005 05 02 02 0001", Message{19, rel});
    rel.fec = {p4("2.2.2.22/32")};
    rel.label = label(17);
    check_vector("0403 0018 00000014 | 0100 0008 02 0001 20 02020216 | 0200 0004 00000011", Message{20, rel});

    LabelAbortRequest ab;
    ab.fec = {p4("2.2.2.2/32")};
    ab.request_id = 16;
    check_vector("0404 0018 00000015 | 0100 0008 02 0001 20 02020202 | 0600 0004 00000010", Message{21, ab});
}

TEST_CASE("LDP Notification vectors", "[ldp]") {
    SECTION("fatal Shutdown") {
        Notification n;
        n.status = {StatusCode::Shutdown, true, false, 0, 0};
        check_vector("0001 0012 00000016 | 0300 000a 8000000a 00000000 0000", Message{22, n});
    }
    SECTION("End-of-LIB with a typed wildcard FEC (RFC 5919)") {
        check_vector("0001 001b 00000017 | 0300 000a 0000002f 00000000 0000 | 0100 0005 05 02 02 0001",
                     Message{23, end_of_lib(AddressFamily::Ipv4)});
    }
    SECTION("Unknown TLV answer with F bit, extended status, returned message") {
        Notification n;
        n.status = {StatusCode::UnknownTlv, false, true, 0x22, 0x0400};
        n.extended_status = 7;
        n.returned_message = std::vector<uint8_t>{0x04, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x22};
        n.returned_tlvs = std::vector<uint8_t>{0x05, 0x08, 0x00, 0x01, 0x80};
        check_vector("0001 002f 00000018 | 4300 000a 40000006 00000022 0400 | 0301 0004 00000007"
                     "| 0303 0008 0400001800000022 | 8304 0005 0508000180",
                     Message{24, n});
    }
    SECTION("Unsupported Capability returns the TLVs (RFC 5561)") {
        auto n = unsupported_capability(6, 0x0200, {UnknownTlv{false, false, 0x0508, {0x80}}});
        CHECK(to_hex(encode_one(Message{26, n})) ==
              to_hex(hex("0001 001b 0000001a | 0300 000a 0000002e 00000006 0200 | 8304 0005 0508 0001 80")));
    }
    SECTION("a decode error becomes the Notification that reports it") {
        DecodeError e = decode_error(StatusCode::BadTlvLength, 0, "x");
        e.message_id = 5;
        e.message_type = 0x0400;
        auto n = notification_for(e);
        CHECK(n.status == StatusTlv{StatusCode::BadTlvLength, true, false, 5, 0x0400});
        CHECK(to_hex(encode_one(Message{25, n})) == to_hex(hex("0001 0012 00000019 0300 000a 80000007 00000005 0400")));
    }
}

TEST_CASE("LDP FEC decoding normalises host bits", "[ldp]") {
    // 10.1.3.0/23 on the wire: the value is 10.1.2.0/23 and re-encodes without the host bit.
    auto m = decode_one(hex("0402 000f 00000001 | 0100 0007 02 0001 17 0a0103"));
    REQUIRE(m);
    CHECK(std::get<LabelWithdraw>(m->body).fec == Fec{p4("10.1.2.0/23")});
    CHECK(to_string(std::get<LabelWithdraw>(m->body).fec[0]) == "10.1.2.0/23");
    CHECK(to_hex(encode_one(*m)) == to_hex(hex("0402 000f 00000001 | 0100 0007 02 0001 17 0a0102")));
}

TEST_CASE("LDP PDU header, several messages per PDU", "[ldp]") {
    auto bytes = hex("0001 0026 01010101 0000"
                     "| 0100 001c 00000001 | 0400 0004 000f 0000 | 0401 0004 01010101 | 0402 0004 00000001");
    auto pdu = decode_pdu(bytes);
    REQUIRE(pdu);
    CHECK(pdu->header == PduHeader{1, 0x26, ldp_id("1.1.1.1")});
    REQUIRE(pdu->messages.size() == 1);
    REQUIRE(pdu->messages[0]);
    CHECK(std::holds_alternative<Hello>(pdu->messages[0]->body));

    // Initialization + KeepAlive in one PDU, as a session start sends them.
    Initialization init;
    init.params.receiver = ldp_id("2.2.2.2");
    init.params.max_pdu_length = 4096;
    std::vector<Message> msgs{Message{1, init}, Message{2, KeepAlive{}}};
    ByteWriter w;
    REQUIRE(encode_pdu(ldp_id("1.1.1.1"), msgs, w));
    auto expected = hex("0001 0028 01010101 0000 | 0200 0016 00000001 0500 000e 0001 00b4 0000 1000 02020202 0000"
                        "| 0201 0004 00000002");
    CHECK(to_hex(w.data()) == to_hex(expected));
    auto back = decode_pdu(w.data(), {4096, ldp_id("1.1.1.1")});
    REQUIRE(back);
    REQUIRE(back->messages.size() == 2);
    CHECK(*back->messages[0] == msgs[0]);
    CHECK(*back->messages[1] == msgs[1]);
}

TEST_CASE("LDP framing: several PDUs per read, partial PDUs", "[ldp]") {
    std::vector<uint8_t> stream;
    for (uint8_t id = 1; id <= 3; ++id) {
        auto p = hex("0001 000e 01010101 0000 0201 0004 00000000");
        p.back() = id;
        stream.insert(stream.end(), p.begin(), p.end());
    }
    DecodeContext ctx;
    SECTION("nothing yet") {
        auto f = frame(std::span<const uint8_t>(stream.data(), 3), ctx);
        REQUIRE(f);
        CHECK(!*f);
    }
    SECTION("the length is known once 4 bytes are in") {
        auto f = frame(std::span<const uint8_t>(stream.data(), 4), ctx);
        REQUIRE(f);
        CHECK(**f == 18);
    }
    SECTION("two and a half PDUs") {
        auto f = split_pdus(std::span<const uint8_t>(stream.data(), 45), ctx);
        REQUIRE(f);
        CHECK(f->consumed == 36);
        REQUIRE(f->pdus.size() == 2);
        for (std::size_t i = 0; i < 2; ++i) {
            auto pdu = decode_pdu(f->pdus[i], ctx);
            REQUIRE(pdu);
            REQUIRE(pdu->messages.size() == 1);
            CHECK(pdu->messages[0]->id == i + 1);
        }
    }
    SECTION("all three") {
        auto f = split_pdus(stream, ctx);
        REQUIRE(f);
        CHECK(f->consumed == stream.size());
        CHECK(f->pdus.size() == 3);
    }
}

TEST_CASE("LDP non-fatal message errors do not stop the PDU", "[ldp]") {
    // Label Mapping with an unknown U=0 TLV, then a KeepAlive.
    auto bytes = hex("0001 002e 01010101 0000"
                     "| 0400 001c 00000005 0100 0008 02 0001 20 01010101 0200 0004 00000003 0123 0000"
                     "| 0201 0004 00000006");
    auto pdu = decode_pdu(bytes);
    REQUIRE(pdu);
    REQUIRE(pdu->messages.size() == 2);
    REQUIRE(!pdu->messages[0]);
    CHECK(pdu->messages[0].error().status == StatusCode::UnknownTlv);
    CHECK(!pdu->messages[0].error().fatal);
    CHECK(pdu->messages[0].error().message_id == 5);
    CHECK(pdu->messages[0].error().message_type == 0x0400);
    CHECK(pdu->messages[0].error().offset == 38);
    REQUIRE(pdu->messages[1]);
    CHECK(pdu->messages[1]->id == 6);
}

TEST_CASE("LDP pack_pdus fills PDUs up to the maximum length", "[ldp]") {
    std::vector<Message> msgs;
    for (uint32_t i = 0; i < 300; ++i) {
        LabelMapping m;
        m.fec = {Ipv4Prefix::host(Ipv4Address::from_uint(0x0a000000 + i))};
        m.label = label(16 + i);
        msgs.push_back(Message{i + 1, m});  // 28 bytes each
    }
    auto pdus = pack_pdus(ldp_id("1.1.1.1"), msgs, 4096);
    REQUIRE(pdus);
    CHECK(pdus->size() == 3);  // (4096 - 10) / 28 = 145 per PDU
    std::size_t seen = 0;
    for (const auto& p : *pdus) {
        CHECK(p.size() <= 4096);
        auto pdu = decode_pdu(p);
        REQUIRE(pdu);
        for (const auto& m : pdu->messages) {
            REQUIRE(m);
            CHECK(*m == msgs[seen++]);
        }
    }
    CHECK(seen == msgs.size());
    CHECK((*pdus)[0].size() == 10 + 145 * 28);

    // A message larger than a PDU cannot be sent.
    auto small = pack_pdus(ldp_id("1.1.1.1"), msgs, 30);
    REQUIRE(!small);
    ByteWriter w;
    CHECK(!encode_pdu(ldp_id("1.1.1.1"), msgs, w, 4096));
    CHECK(w.size() == 0);
    CHECK(!encode_pdu(ldp_id("1.1.1.1"), {}, w));
    CHECK(w.size() == 0);
    CHECK(pack_pdus(ldp_id("1.1.1.1"), {})->empty());
}

TEST_CASE("LDP encoding fails cleanly when a TLV outgrows 16 bits", "[ldp]") {
    Address a;
    a.list.addresses = std::vector<Ipv4Address>(20000, v4("10.0.0.1"));
    ByteWriter w;
    w.u8(0x55);
    auto s = encode_message(Message{1, a}, w);
    REQUIRE(!s);
    CHECK(w.size() == 1);
}

TEST_CASE("LDP messages describe themselves in one line", "[ldp]") {
    LabelMapping m;
    m.fec = {p4("1.1.1.1/32")};
    CHECK(describe(Message{13, m}) == "Label Mapping #13 fec=1.1.1.1/32 label=implicit-null");
    LabelWithdraw w;
    w.fec = {TypedWildcardFec{AddressFamily::Ipv4}};
    w.label = label(17);
    CHECK(describe(Message{2, w}) == "Label Withdraw #2 fec=typed-wildcard(ipv4 prefix) label=17");
    Notification n;
    n.status = {StatusCode::UnknownTlv, false, false, 5, 0x0400};
    n.unknown = {{true, true, 0x0123, {1, 2}}};
    CHECK(describe(Message{3, n}) == "Notification #3 Unknown TLV for Label Mapping #5 tlv=0x0123UF/2");
    Hello h;
    h.params = {15, false, false, true};
    h.transport_v4 = v4("1.1.1.1");
    h.config_sequence = 2;
    CHECK(describe(Message{1, h}) == "Hello #1 hold=15 gtsm transport=1.1.1.1 seq=2");
    Address a;
    a.list.addresses = std::vector<Ipv4Address>{v4("10.0.12.1"), v4("1.1.1.1")};
    CHECK(describe(Message{4, a}) == "Address #4 10.0.12.1 1.1.1.1");
    CHECK(describe(Message{9, UnknownMessage{0x0f00, {1}}, true}) == "unknown #9 type=0x0f00/1");
}

TEST_CASE("LDP session maximum PDU length (RFC 5036 3.5.3)", "[ldp]") {
    CHECK(session_max_pdu_length(0, 0) == 4096);
    CHECK(session_max_pdu_length(255, 8192) == 4096);
    CHECK(session_max_pdu_length(1500, 0) == 1500);
    CHECK(session_max_pdu_length(9000, 8192) == 8192);
}

TEST_CASE("LDP status code table", "[ldp]") {
    CHECK(is_fatal(StatusCode::BadLdpIdentifier));
    CHECK(is_fatal(StatusCode::BadProtocolVersion));
    CHECK(is_fatal(StatusCode::BadPduLength));
    CHECK_FALSE(is_fatal(StatusCode::UnknownMessageType));
    CHECK(is_fatal(StatusCode::BadMessageLength));
    CHECK_FALSE(is_fatal(StatusCode::UnknownTlv));
    CHECK(is_fatal(StatusCode::BadTlvLength));
    CHECK(is_fatal(StatusCode::MalformedTlvValue));
    CHECK(is_fatal(StatusCode::HoldTimerExpired));
    CHECK(is_fatal(StatusCode::Shutdown));
    CHECK_FALSE(is_fatal(StatusCode::LoopDetected));
    CHECK_FALSE(is_fatal(StatusCode::UnknownFec));
    CHECK_FALSE(is_fatal(StatusCode::NoRoute));
    CHECK_FALSE(is_fatal(StatusCode::NoLabelResources));
    CHECK_FALSE(is_fatal(StatusCode::LabelResourcesAvailable));
    CHECK(is_fatal(StatusCode::SessionRejectedNoHello));
    CHECK(is_fatal(StatusCode::SessionRejectedAdvertisementMode));
    CHECK(is_fatal(StatusCode::SessionRejectedMaxPduLength));
    CHECK(is_fatal(StatusCode::SessionRejectedLabelRange));
    CHECK(is_fatal(StatusCode::KeepAliveTimerExpired));
    CHECK_FALSE(is_fatal(StatusCode::LabelRequestAborted));
    CHECK_FALSE(is_fatal(StatusCode::MissingMessageParameters));
    CHECK_FALSE(is_fatal(StatusCode::UnsupportedAddressFamily));
    CHECK(is_fatal(StatusCode::SessionRejectedBadKeepAliveTime));
    CHECK(is_fatal(StatusCode::InternalError));
    CHECK_FALSE(is_fatal(StatusCode::UnsupportedCapability));
    CHECK_FALSE(is_fatal(StatusCode::EndOfLib));
    CHECK(to_string(StatusCode::BadPduLength) == "Bad PDU Length");
    CHECK(to_string(StatusCode(0x1234)) == "status 0x00001234");
}
