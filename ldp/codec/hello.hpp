#pragma once
// The Hello message (RFC 5036 3.5.2): Common Hello Parameters, then optional
// transport addresses and configuration sequence number.
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/tlv.hpp"
#include "lib/ip_address.hpp"

namespace isthmus::ldp {

inline constexpr uint16_t kHelloTargetedBit = 0x8000;
inline constexpr uint16_t kHelloRequestTargetedBit = 0x4000;
inline constexpr uint16_t kHelloGtsmBit = 0x2000;  // RFC 6720

struct CommonHelloParams {
    // Seconds; 0 = the default (15 link, 45 targeted), 0xffff = infinite (RFC 5036 3.5.2).
    uint16_t hold_time = 0;
    bool targeted = false;          // T
    bool request_targeted = false;  // R
    bool gtsm = false;              // G, RFC 6720
    bool operator==(const CommonHelloParams&) const = default;
};

struct Hello {
    CommonHelloParams params;
    std::optional<Ipv4Address> transport_v4;
    std::optional<Ipv6Address> transport_v6;
    std::optional<uint32_t> config_sequence;
    std::vector<UnknownTlv> unknown;  // U=1 TLVs this codec does not interpret (RFC 7552 dual-stack, say)
    bool operator==(const Hello&) const = default;
};

// tlvs: the message's parameters; body_offset: where they start (for Missing Message Parameters).
Result<Hello, DecodeError> decode_hello(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
bool encode_hello(const Hello& h, ByteWriter& w);

}  // namespace isthmus::ldp
