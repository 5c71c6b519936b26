#pragma once
// The Notification message (RFC 5036 3.5.1): a Status TLV, then optional
// Extended Status, Returned PDU, Returned Message, Returned TLVs (RFC 5561)
// and a FEC TLV (End-of-LIB, RFC 5919, with a typed wildcard, RFC 5918).
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/fec.hpp"
#include "ldp/codec/status.hpp"
#include "ldp/codec/tlv.hpp"

namespace isthmus::ldp {

struct Notification {
    StatusTlv status;
    std::optional<uint32_t> extended_status;
    std::optional<std::vector<uint8_t>> returned_pdu;
    std::optional<std::vector<uint8_t>> returned_message;
    std::optional<std::vector<uint8_t>> returned_tlvs;
    std::optional<Fec> fec;
    std::vector<UnknownTlv> unknown;
    bool operator==(const Notification&) const = default;
};

// The Notification that reports a decode error to the peer.
Notification notification_for(const DecodeError& e);
// RFC 5561 5/6: Unsupported Capability for the given TLVs of a message (an
// Initialization's or Capability message's unknown U=0 TLVs), returned in a
// Returned TLVs TLV.
Notification unsupported_capability(uint32_t message_id, uint16_t message_type, const std::vector<UnknownTlv>& tlvs);
// RFC 5919 End-of-LIB for one family's Prefix FECs.
Notification end_of_lib(AddressFamily family);

Result<Notification, DecodeError> decode_notification(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
bool encode_notification(const Notification& n, ByteWriter& w);

}  // namespace isthmus::ldp
