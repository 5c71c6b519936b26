// LDP codec: malformed inputs must fail cleanly with the exact RFC 5036 status
// code and fatality (3.5.1.1), and the message id/type when a message is at fault.
#include <catch2/catch.hpp>

#include <string>

#include "ldp/codec/pdu.hpp"
#include "ldp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using isthmus::ldp::test::decode_one;
using isthmus::ldp::test::hex;

namespace {

struct Case {
    const char* name;
    const char* message;  // one message, header included
    StatusCode status;
    bool fatal;
};

// Messages whose body is at fault. Each case differs from a valid message in one way.
const Case kMessageCases[] = {
    // message header (RFC 5036 3.5.1.2)
    {"message length below 4", "0201 0003 000000", StatusCode::BadMessageLength, true},
    {"message length past the end", "0201 0008 00000001", StatusCode::BadMessageLength, true},
    {"message header truncated", "0201 00", StatusCode::BadMessageLength, true},
    {"unknown message type with U=0", "0f00 0004 00000001", StatusCode::UnknownMessageType, false},
    // generic TLV (3.3)
    {"TLV header truncated", "0201 0006 00000001 0123", StatusCode::BadTlvLength, true},
    {"TLV length past the message", "0201 000a 00000001 8123 0004 abcd", StatusCode::BadTlvLength, true},
    {"unknown TLV with U=0 in KeepAlive", "0201 0008 00000001 0123 0000", StatusCode::UnknownTlv, false},
    {"unknown TLV with U=0 in Label Withdraw", "0402 000d 00000001 0100 0001 01 3e00 0000", StatusCode::UnknownTlv,
     false},
    {"Hop Count TLV with U=0 where it does not belong", "0402 000e 00000001 0100 0001 01 0103 0001 01",
     StatusCode::UnknownTlv, false},
    // Hello (3.5.2)
    {"Hello without Common Hello Parameters", "0100 000c 00000001 0401 0004 01010101",
     StatusCode::MissingMessageParameters, false},
    {"Hello with no TLVs", "0100 0004 00000001", StatusCode::MissingMessageParameters, false},
    {"Common Hello Parameters of 3 bytes", "0100 000b 00000001 0400 0003 000f00", StatusCode::BadTlvLength, true},
    {"IPv4 Transport Address of 5 bytes", "0100 0015 00000001 0400 0004 000f 0000 0401 0005 0101010101",
     StatusCode::BadTlvLength, true},
    {"IPv6 Transport Address of 4 bytes", "0100 0014 00000001 0400 0004 000f 0000 0403 0004 01010101",
     StatusCode::BadTlvLength, true},
    {"Configuration Sequence Number of 2 bytes", "0100 0012 00000001 0400 0004 000f 0000 0402 0002 0001",
     StatusCode::BadTlvLength, true},
    // Initialization (3.5.3) and capabilities (RFC 5561)
    {"Initialization without Common Session Parameters", "0200 0009 00000001 8506 0001 80",
     StatusCode::MissingMessageParameters, false},
    {"Common Session Parameters of 13 bytes", "0200 0015 00000001 0500 000d 0001 00b4 0000 1000 02020202 00",
     StatusCode::BadTlvLength, true},
    {"capability TLV without its state byte",
     "0200 001a 00000001 0500 000e 0001 00b4 0000 1000 02020202 0000 850b 0000", StatusCode::BadTlvLength, true},
    {"Initialization starting with a capability", "0200 000a 00000001 850b 0002 8000",
     StatusCode::MissingMessageParameters, false},
    {"capability TLV of 2 bytes", "0202 000a 00000001 850b 0002 8000", StatusCode::BadTlvLength, true},
    {"FT Session TLV of 8 bytes",
     "0200 0022 00000001 0500 000e 0001 00b4 0000 1000 02020202 0000 8503 0008 0001 0000 00002710",
     StatusCode::BadTlvLength, true},
    {"Capability message without TLVs", "0202 0004 00000001", StatusCode::MissingMessageParameters, false},
    {"Capability message with a 0-byte capability", "0202 0008 00000001 8603 0000", StatusCode::BadTlvLength, true},
    // Address (3.5.5, 3.4.3)
    {"Address without Address List", "0300 0004 00000001", StatusCode::MissingMessageParameters, false},
    {"Address List of 1 byte", "0300 0009 00000001 0101 0001 00", StatusCode::BadTlvLength, true},
    {"Address List with 5 IPv4 address bytes", "0300 000f 00000001 0101 0007 0001 0a000c0101",
     StatusCode::BadTlvLength, true},
    {"Address List with 4 IPv6 address bytes", "0301 000e 00000001 0101 0006 0002 0a000c01",
     StatusCode::BadTlvLength, true},
    {"Address List of family 3", "0300 000e 00000001 0101 0006 0003 0a000c01", StatusCode::UnsupportedAddressFamily,
     false},
    // Label Mapping (3.5.7) and its TLVs
    {"Label Mapping without a Label TLV", "0400 0010 00000001 0100 0008 02 0001 20 01010101",
     StatusCode::MissingMessageParameters, false},
    {"Label Mapping with the Label TLV first", "0400 0018 00000001 0200 0004 00000003 0100 0008 02 0001 20 01010101",
     StatusCode::MissingMessageParameters, false},
    {"Label Mapping with an ATM label", "0400 0018 00000001 0100 0008 02 0001 20 01010101 0201 0004 00010020",
     StatusCode::MissingMessageParameters, false},
    {"Generic Label above 20 bits", "0400 0018 00000001 0100 0008 02 0001 20 01010101 0200 0004 00100000",
     StatusCode::MalformedTlvValue, true},
    {"Generic Label of 3 bytes", "0400 0017 00000001 0100 0008 02 0001 20 01010101 0200 0003 000010",
     StatusCode::BadTlvLength, true},
    {"Hop Count of 2 bytes", "0400 001e 00000001 0100 0008 02 0001 20 01010101 0200 0004 00000010 0103 0002 0101",
     StatusCode::BadTlvLength, true},
    {"Path Vector of 6 bytes",
     "0400 0022 00000001 0100 0008 02 0001 20 01010101 0200 0004 00000010 0104 0006 010101010202",
     StatusCode::BadTlvLength, true},
    {"empty Path Vector", "0400 001c 00000001 0100 0008 02 0001 20 01010101 0200 0004 00000010 0104 0000",
     StatusCode::BadTlvLength, true},
    {"Label Request Message ID of 2 bytes",
     "0400 001e 00000001 0100 0008 02 0001 20 01010101 0200 0004 00000010 0600 0002 0001", StatusCode::BadTlvLength,
     true},
    // FEC TLV (3.4.1, RFC 5918)
    {"empty FEC TLV", "0401 0008 00000001 0100 0000", StatusCode::BadTlvLength, true},
    {"IPv4 prefix length 33", "0401 0010 00000001 0100 0008 02 0001 21 01010101", StatusCode::MalformedTlvValue, true},
    {"IPv6 prefix length 129", "0401 000d 00000001 0100 0005 02 0002 81 20", StatusCode::MalformedTlvValue, true},
    {"prefix bytes past the FEC TLV", "0401 000e 00000001 0100 0006 02 0001 20 0101", StatusCode::BadTlvLength, true},
    {"prefix element without its length byte", "0401 000b 00000001 0100 0003 02 0001", StatusCode::BadTlvLength, true},
    {"prefix element of family 3", "0401 0010 00000001 0100 0008 02 0003 20 01010101",
     StatusCode::UnsupportedAddressFamily, false},
    {"unknown FEC element type (PWid)", "0402 000d 00000001 0100 0005 80 000000 00", StatusCode::UnknownFec, false},
    {"wildcard with a prefix element", "0402 0011 00000001 0100 0009 01 02 0001 20 01010101",
     StatusCode::MalformedTlvValue, true},
    {"typed wildcard after a prefix element", "0402 0015 00000001 0100 000d 02 0001 20 01010101 05 02 02 0001",
     StatusCode::MalformedTlvValue, true},
    {"typed wildcard for an unsupported FEC type", "0403 000d 00000001 0100 0005 05 80 02 0005",
     StatusCode::UnknownFec, false},
    {"typed wildcard without its length byte", "0403 000a 00000001 0100 0002 05 02", StatusCode::BadTlvLength, true},
    {"typed wildcard with 1 byte of data", "0403 000c 00000001 0100 0004 05 02 01 00", StatusCode::BadTlvLength, true},
    {"typed wildcard data past the TLV", "0403 000c 00000001 0100 0004 05 02 02 00", StatusCode::BadTlvLength, true},
    {"typed wildcard of family 9", "0403 000d 00000001 0100 0005 05 02 02 0009",
     StatusCode::UnsupportedAddressFamily, false},
    // Withdraw, Release, Abort (3.5.10, 3.5.9, 3.5.11)
    {"Label Withdraw without FEC", "0402 000c 00000001 0200 0004 00000010", StatusCode::MissingMessageParameters,
     false},
    {"Label Release with a label of 32 bits", "0403 0011 00000001 0100 0001 01 0200 0004 ffffffff",
     StatusCode::MalformedTlvValue, true},
    {"Label Abort Request without Request Message ID", "0404 0010 00000001 0100 0008 02 0001 20 01010101",
     StatusCode::MissingMessageParameters, false},
    // Notification (3.5.1)
    {"Notification without Status", "0001 000c 00000001 0301 0004 00000007", StatusCode::MissingMessageParameters,
     false},
    {"Status TLV of 8 bytes", "0001 0010 00000001 0300 0008 8000000a 00000000", StatusCode::BadTlvLength, true},
    {"Extended Status of 3 bytes", "0001 0019 00000001 0300 000a 8000000a 00000000 0000 0301 0003 000007",
     StatusCode::BadTlvLength, true},
    {"Notification FEC with a bad prefix length",
     "0001 001f 00000001 0300 000a 0000002f 00000000 0000 0100 0009 02 0001 40 0101010101", StatusCode::MalformedTlvValue,
     true},
};

}  // namespace

TEST_CASE("LDP malformed messages fail with the RFC 5036 status code", "[ldp]") {
    for (const auto& c : kMessageCases) {
        INFO(c.name);
        auto bytes = hex(c.message);
        ByteReader r(bytes);
        auto m = decode_message(r);
        REQUIRE_FALSE(m);
        INFO(m.error().to_string());
        CHECK(m.error().status == c.status);
        CHECK(m.error().fatal == c.fatal);
        CHECK(m.error().fatal == is_fatal(c.status));
        CHECK(m.error().offset <= bytes.size());
        // Errors past the message header name the message for the Status TLV.
        if (bytes.size() >= 8 && c.status != StatusCode::BadMessageLength) {
            CHECK(m.error().message_id == 1);
            CHECK(m.error().message_type == (uint16_t(bytes[0] << 8 | bytes[1]) & 0x7fff));
        }
        // Non-fatal errors leave the reader after the message, for the next one in the PDU.
        if (!c.fatal) CHECK(r.empty());
    }
    CHECK(std::size(kMessageCases) >= 30);
}

TEST_CASE("LDP malformed PDUs fail with the RFC 5036 status code", "[ldp]") {
    const auto keepalive = "0201 0004 00000001";
    DecodeContext ctx;
    auto check = [&](const std::string& text, StatusCode status, const DecodeContext& c, uint32_t id = 0) {
        INFO(text);
        auto bytes = hex(text);
        auto pdu = decode_pdu(bytes, c);
        REQUIRE_FALSE(pdu);
        INFO(pdu.error().to_string());
        CHECK(pdu.error().status == status);
        CHECK(pdu.error().fatal);
        CHECK(pdu.error().message_id == id);
    };
    SECTION("version 2") { check(std::string("0002 000e 01010101 0000 ") + keepalive, StatusCode::BadProtocolVersion, ctx); }
    SECTION("version 0") { check(std::string("0000 000e 01010101 0000 ") + keepalive, StatusCode::BadProtocolVersion, ctx); }
    SECTION("PDU length below 14") { check("0001 000d 01010101 0000 0201 0004 000000", StatusCode::BadPduLength, ctx); }
    SECTION("PDU length above the negotiated maximum") {
        std::string text = "0001 0401 01010101 0000 0201 03fb 00000001";
        for (int i = 0; i < 1019; ++i) text += " 00";
        DecodeContext small{1024, std::nullopt};
        check(text, StatusCode::BadPduLength, small);
    }
    SECTION("PDU length not matching the bytes") {
        check(std::string("0001 000f 01010101 0000 ") + keepalive, StatusCode::BadPduLength, ctx);
    }
    SECTION("another LSR's LDP identifier") {
        DecodeContext peer{4096, LdpId{RouterId(0x02020202), 0}};
        check(std::string("0001 000e 01010101 0000 ") + keepalive, StatusCode::BadLdpIdentifier, peer);
    }
    SECTION("another label space") {
        DecodeContext peer{4096, LdpId{RouterId(0x01010101), 0}};
        check(std::string("0001 000e 01010101 0001 ") + keepalive, StatusCode::BadLdpIdentifier, peer);
    }
    SECTION("message length past the PDU") {
        check("0001 000e 01010101 0000 0201 0008 00000001", StatusCode::BadMessageLength, ctx);
    }
    SECTION("bytes after the last message too few for a header") {
        check(std::string("0001 0011 01010101 0000 ") + keepalive + " 020100", StatusCode::BadMessageLength, ctx);
    }
    SECTION("a fatal error in the second message fails the PDU") {
        check(std::string("0001 001a 01010101 0000 ") + keepalive + " 0401 0008 00000002 0100 0000",
              StatusCode::BadTlvLength, ctx, 2);
    }
    SECTION("framing rejects a bad header before the PDU is complete") {
        auto f = frame(hex("0001 0005"), ctx);
        REQUIRE_FALSE(f);
        CHECK(f.error().status == StatusCode::BadPduLength);
        auto g = split_pdus(hex("0001 000e 01010101 0000 0201 0004 00000001 0003 000e"), ctx);
        REQUIRE_FALSE(g);
        CHECK(g.error().status == StatusCode::BadProtocolVersion);
        CHECK(g.error().offset == 18);
    }
}

TEST_CASE("LDP U=1 unknowns are kept, not errors", "[ldp]") {
    // RFC 5036 3.3/3.4: U=1 unknown TLVs and messages are ignored by the receiver;
    // the codec keeps them (with F) so the session layer can forward or drop them.
    auto m = decode_one(hex("0201 000e 00000001 8123 0000 c124 0002 abcd"));
    REQUIRE(m);
    auto& ka = std::get<KeepAlive>(m->body);
    REQUIRE(ka.unknown.size() == 2);
    CHECK(ka.unknown[0] == UnknownTlv{true, false, 0x0123, {}});
    CHECK(ka.unknown[1] == UnknownTlv{true, true, 0x0124, {0xab, 0xcd}});
    // Repeated optional TLVs: the first one counts.
    auto h = decode_one(hex("0100 001c 00000001 0400 0004 000f 0000 0401 0004 01010101 0401 0004 02020202"));
    REQUIRE(h);
    CHECK(std::get<Hello>(h->body).transport_v4 == Ipv4Address::from_uint(0x01010101));
}
