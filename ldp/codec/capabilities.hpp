#pragma once
// Capability TLVs (RFC 5561 3): U=1, F=0, then the State bit S (1 = advertise,
// 0 = withdraw) and 7 reserved bits. The three isthmus knows carry no data.
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/tlv.hpp"

namespace isthmus::ldp {

enum class CapabilityType : uint16_t {
    DynamicAnnouncement = tlv_type::kDynamicCapabilityAnnouncement,           // RFC 5561 9
    TypedWildcardFec = tlv_type::kTypedWildcardFecCapability,                 // RFC 5918 4
    UnrecognizedNotification = tlv_type::kUnrecognizedNotificationCapability,  // RFC 5919 3
};

inline constexpr uint8_t kCapabilityStateBit = 0x80;

struct Capability {
    CapabilityType type = CapabilityType::DynamicAnnouncement;
    bool state = true;  // S: advertised (true) or withdrawn
    bool operator==(const Capability&) const = default;
};

// The capability type of a TLV type this codec interprets, nullopt for others.
std::optional<CapabilityType> capability_type(uint16_t tlv_type);

// Exactly one byte of value, else Bad TLV Length.
Result<Capability, DecodeError> decode_capability(const RawTlv& t);
void encode_capability(const Capability& c, ByteWriter& w);

// The Capability message (RFC 5561 5): one or more capability TLVs. Unknown
// TLVs are kept whatever their U bit: RFC 5561 answers an unsupported one with
// U=0 by "Unsupported Capability" and Returned TLVs, which the session layer sends.
struct CapabilityMessage {
    std::vector<Capability> capabilities;
    std::vector<UnknownTlv> unknown;
    bool operator==(const CapabilityMessage&) const = default;
};

Result<CapabilityMessage, DecodeError> decode_capability_message(const std::vector<RawTlv>& tlvs,
                                                                 std::size_t body_offset);
bool encode_capability_message(const CapabilityMessage& m, ByteWriter& w);

}  // namespace isthmus::ldp
