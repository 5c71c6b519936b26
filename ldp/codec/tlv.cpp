#include "ldp/codec/tlv.hpp"

#include <cstdio>
#include <string>

namespace isthmus::ldp {

Result<std::vector<RawTlv>, DecodeError> split_tlvs(ByteReader r) {
    std::vector<RawTlv> out;
    while (!r.empty()) {
        std::size_t at = r.offset();
        if (r.remaining() < kTlvHeaderSize)
            return err(decode_error(StatusCode::BadTlvLength, at,
                                    std::to_string(r.remaining()) + " bytes left, too few for a TLV header"));
        uint16_t type = *r.u16();
        uint16_t len = *r.u16();
        auto value = r.bytes(len);
        if (!value)
            return err(decode_error(StatusCode::BadTlvLength, at,
                                    "TLV length " + std::to_string(len) + " exceeds the " +
                                        std::to_string(value.error().available) + " bytes left in the message"));
        out.push_back({(type & kTlvUBit) != 0, (type & kTlvFBit) != 0, uint16_t(type & kTlvTypeMask), *value, at});
    }
    return out;
}

UnknownTlv to_unknown(const RawTlv& t) { return {t.u_bit, t.f_bit, t.type, {t.value.begin(), t.value.end()}}; }

Status<DecodeError> keep_unknown(const RawTlv& t, std::vector<UnknownTlv>& out) {
    if (!t.u_bit) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%04x", unsigned(t.type));
        return err(decode_error(StatusCode::UnknownTlv, t.offset, std::string("unknown TLV type ") + buf));
    }
    out.push_back(to_unknown(t));
    return ok_unit;
}

Status<DecodeError> expect_length(const RawTlv& t, std::size_t n, const char* name) {
    if (t.value.size() != n)
        return err(decode_error(StatusCode::BadTlvLength, t.offset,
                                std::string(name) + " TLV length " + std::to_string(t.value.size()) + ", expected " +
                                    std::to_string(n)));
    return ok_unit;
}

ByteWriter::LengthMark begin_tlv(ByteWriter& w, uint16_t type, bool u_bit, bool f_bit) {
    w.u16(uint16_t((type & kTlvTypeMask) | (u_bit ? kTlvUBit : 0) | (f_bit ? kTlvFBit : 0)));
    return w.begin_length(2);
}

bool end_tlv(ByteWriter& w, ByteWriter::LengthMark m) { return w.end_length(m); }

bool encode_unknown(const UnknownTlv& t, ByteWriter& w) {
    auto m = begin_tlv(w, t.type, t.u_bit, t.f_bit);
    w.bytes(t.value);
    return end_tlv(w, m);
}

void encode_u32_tlv(ByteWriter& w, uint16_t type, uint32_t v) {
    w.u16(type);
    w.u16(4);
    w.u32(v);
}

}  // namespace isthmus::ldp
