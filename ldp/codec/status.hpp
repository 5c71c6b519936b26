#pragma once
// The Status TLV (RFC 5036 3.4.6) and its companions in Notifications:
// Extended Status, Returned PDU, Returned Message (3.5.1), Returned TLVs (RFC 5561).
#include <cstdint>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/tlv.hpp"

namespace isthmus::ldp {

inline constexpr uint32_t kStatusEBit = 0x80000000;
inline constexpr uint32_t kStatusFBit = 0x40000000;
inline constexpr uint32_t kStatusCodeMask = 0x3FFFFFFF;

struct StatusTlv {
    StatusCode code = StatusCode::Success;
    bool fatal = false;    // E bit
    bool forward = false;  // F bit
    uint32_t message_id = 0;    // of the message being answered, 0 if none
    uint16_t message_type = 0;  // of that message, 0 if none
    bool operator==(const StatusTlv&) const = default;
};

// The Status TLV that reports a decode error (E bit = the error's fatality).
StatusTlv status_for(const DecodeError& e);

// Exactly 10 bytes, else Bad TLV Length.
Result<StatusTlv, DecodeError> decode_status(const RawTlv& t);
void encode_status(const StatusTlv& s, ByteWriter& w);

}  // namespace isthmus::ldp
