#include "ldp/codec/status.hpp"

namespace isthmus::ldp {

StatusTlv status_for(const DecodeError& e) {
    return {e.status, e.fatal, false, e.message_id, e.message_type};
}

Result<StatusTlv, DecodeError> decode_status(const RawTlv& t) {
    if (auto s = expect_length(t, 10, "Status"); !s) return err(s.error());
    ByteReader r(t.value);
    uint32_t code = *r.u32();
    StatusTlv out;
    out.code = StatusCode(code & kStatusCodeMask);
    out.fatal = (code & kStatusEBit) != 0;
    out.forward = (code & kStatusFBit) != 0;
    out.message_id = *r.u32();
    out.message_type = *r.u16();
    return out;
}

void encode_status(const StatusTlv& s, ByteWriter& w) {
    // RFC 5036 3.4.6: U=0 in a Notification, the header's F bit follows the status code's.
    w.u16(uint16_t(tlv_type::kStatus | (s.forward ? kTlvFBit : 0)));
    w.u16(10);
    w.u32((uint32_t(s.code) & kStatusCodeMask) | (s.fatal ? kStatusEBit : 0) | (s.forward ? kStatusFBit : 0));
    w.u32(s.message_id);
    w.u16(s.message_type);
}

}  // namespace isthmus::ldp
