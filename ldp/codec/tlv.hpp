#pragma once
// The generic TLV (RFC 5036 3.3): U bit, F bit, 14-bit type, 16-bit length.
// Messages are split into RawTlvs first; each known type has its own decoder,
// and unknown types are kept with their U/F bits for the session layer.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::ldp {

inline constexpr std::size_t kTlvHeaderSize = 4;
inline constexpr uint16_t kTlvUBit = 0x8000;
inline constexpr uint16_t kTlvFBit = 0x4000;
inline constexpr uint16_t kTlvTypeMask = 0x3FFF;

// TLV types without the U/F bits (IANA LDP TLV registry).
namespace tlv_type {
inline constexpr uint16_t kFec = 0x0100;
inline constexpr uint16_t kAddressList = 0x0101;
inline constexpr uint16_t kHopCount = 0x0103;
inline constexpr uint16_t kPathVector = 0x0104;
inline constexpr uint16_t kGenericLabel = 0x0200;
inline constexpr uint16_t kAtmLabel = 0x0201;
inline constexpr uint16_t kFrameRelayLabel = 0x0202;
inline constexpr uint16_t kStatus = 0x0300;
inline constexpr uint16_t kExtendedStatus = 0x0301;
inline constexpr uint16_t kReturnedPdu = 0x0302;
inline constexpr uint16_t kReturnedMessage = 0x0303;
inline constexpr uint16_t kReturnedTlvs = 0x0304;  // RFC 5561
inline constexpr uint16_t kCommonHelloParams = 0x0400;
inline constexpr uint16_t kIpv4TransportAddress = 0x0401;
inline constexpr uint16_t kConfigSequenceNumber = 0x0402;
inline constexpr uint16_t kIpv6TransportAddress = 0x0403;
inline constexpr uint16_t kCommonSessionParams = 0x0500;
inline constexpr uint16_t kAtmSessionParams = 0x0501;
inline constexpr uint16_t kFrameRelaySessionParams = 0x0502;
inline constexpr uint16_t kFtSession = 0x0503;                      // RFC 3479, RFC 3478
inline constexpr uint16_t kDynamicCapabilityAnnouncement = 0x0506;  // RFC 5561
inline constexpr uint16_t kTypedWildcardFecCapability = 0x050B;     // RFC 5918
inline constexpr uint16_t kLabelRequestMessageId = 0x0600;
inline constexpr uint16_t kUnrecognizedNotificationCapability = 0x0603;  // RFC 5919
inline constexpr uint16_t kDualStackCapability = 0x0701;                 // RFC 7552 (kept as unknown)
}  // namespace tlv_type

// One TLV as found in a message; value points into the decoded buffer.
struct RawTlv {
    bool u_bit = false;
    bool f_bit = false;
    uint16_t type = 0;  // 14 bits
    std::span<const uint8_t> value;
    std::size_t offset = 0;  // of the TLV header, from the start of the decoded buffer

    std::size_t value_offset() const { return offset + kTlvHeaderSize; }
};

// A TLV this codec does not interpret, kept so the session layer can act on it
// (RFC 5036 3.3: U=0 -> Unknown TLV; U=1 -> ignore, and forward if F=1).
struct UnknownTlv {
    bool u_bit = true;
    bool f_bit = false;
    uint16_t type = 0;
    std::vector<uint8_t> value;
    bool operator==(const UnknownTlv&) const = default;
};

// Splits everything left in r into TLVs. Bad TLV Length when a header or a
// value runs past the end.
Result<std::vector<RawTlv>, DecodeError> split_tlvs(ByteReader r);

UnknownTlv to_unknown(const RawTlv& t);

// RFC 5036 3.3 for a TLV the message does not know: Unknown TLV error when U=0,
// otherwise appended to out.
Status<DecodeError> keep_unknown(const RawTlv& t, std::vector<UnknownTlv>& out);

// A value of exactly n bytes, else Bad TLV Length naming the TLV.
Status<DecodeError> expect_length(const RawTlv& t, std::size_t n, const char* name);

// Writes the TLV header with a length placeholder.
ByteWriter::LengthMark begin_tlv(ByteWriter& w, uint16_t type, bool u_bit = false, bool f_bit = false);
// Fills in the length; false when the value exceeds 65535 bytes.
bool end_tlv(ByteWriter& w, ByteWriter::LengthMark m);
bool encode_unknown(const UnknownTlv& t, ByteWriter& w);

// Shorthand for the encoders: a TLV holding a fixed-size integer.
void encode_u32_tlv(ByteWriter& w, uint16_t type, uint32_t v);

}  // namespace isthmus::ldp
