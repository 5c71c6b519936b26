#include "ldp/codec/capabilities.hpp"

namespace isthmus::ldp {

std::optional<CapabilityType> capability_type(uint16_t type) {
    switch (type) {
    case tlv_type::kDynamicCapabilityAnnouncement: return CapabilityType::DynamicAnnouncement;
    case tlv_type::kTypedWildcardFecCapability: return CapabilityType::TypedWildcardFec;
    case tlv_type::kUnrecognizedNotificationCapability: return CapabilityType::UnrecognizedNotification;
    default: return std::nullopt;
    }
}

Result<Capability, DecodeError> decode_capability(const RawTlv& t) {
    auto type = capability_type(t.type);
    if (!type) return err(decode_error(StatusCode::InternalError, t.offset, "not a known capability TLV"));
    if (auto s = expect_length(t, 1, "capability"); !s) return err(s.error());
    return Capability{*type, (t.value[0] & kCapabilityStateBit) != 0};
}

void encode_capability(const Capability& c, ByteWriter& w) {
    w.u16(uint16_t(uint16_t(c.type) | kTlvUBit));
    w.u16(1);
    w.u8(c.state ? kCapabilityStateBit : 0);
}

Result<CapabilityMessage, DecodeError> decode_capability_message(const std::vector<RawTlv>& tlvs,
                                                                 std::size_t body_offset) {
    if (tlvs.empty())
        return err(decode_error(StatusCode::MissingMessageParameters, body_offset, "Capability message without TLVs"));
    CapabilityMessage m;
    for (const auto& t : tlvs) {
        if (capability_type(t.type)) {
            auto c = decode_capability(t);
            if (!c) return err(c.error());
            m.capabilities.push_back(*c);
        } else {
            m.unknown.push_back(to_unknown(t));
        }
    }
    return m;
}

bool encode_capability_message(const CapabilityMessage& m, ByteWriter& w) {
    for (const auto& c : m.capabilities) encode_capability(c, w);
    bool ok = true;
    for (const auto& u : m.unknown) ok = encode_unknown(u, w) && ok;
    return ok;
}

}  // namespace isthmus::ldp
