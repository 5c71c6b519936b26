#include "ldp/codec/label_tlvs.hpp"

#include <string>

namespace isthmus::ldp {

Result<MplsLabel, DecodeError> decode_generic_label(const RawTlv& t) {
    if (auto s = expect_length(t, 4, "Generic Label"); !s) return err(s.error());
    uint32_t v = *ByteReader(t.value).u32();
    auto label = MplsLabel::from_value(v);
    if (!label)
        return err(decode_error(StatusCode::MalformedTlvValue, t.value_offset(),
                                "Generic Label " + std::to_string(v) + " does not fit 20 bits"));
    return *label;
}

void encode_generic_label(MplsLabel label, ByteWriter& w) { encode_u32_tlv(w, tlv_type::kGenericLabel, label.value()); }

Result<uint8_t, DecodeError> decode_hop_count(const RawTlv& t) {
    if (auto s = expect_length(t, 1, "Hop Count"); !s) return err(s.error());
    return t.value[0];
}

void encode_hop_count(uint8_t hops, ByteWriter& w) {
    w.u16(tlv_type::kHopCount);
    w.u16(1);
    w.u8(hops);
}

Result<std::vector<RouterId>, DecodeError> decode_path_vector(const RawTlv& t) {
    if (t.value.empty() || t.value.size() % 4 != 0)
        return err(decode_error(StatusCode::BadTlvLength, t.offset,
                                "Path Vector length " + std::to_string(t.value.size()) +
                                    " is not a positive multiple of 4"));
    ByteReader r(t.value);
    std::vector<RouterId> out;
    while (!r.empty()) out.push_back(RouterId(*r.u32()));
    return out;
}

bool encode_path_vector(const std::vector<RouterId>& path, ByteWriter& w) {
    auto m = begin_tlv(w, tlv_type::kPathVector);
    for (auto id : path) w.u32(id.value());
    return end_tlv(w, m);
}

Result<uint32_t, DecodeError> decode_u32_value(const RawTlv& t, const char* name) {
    if (auto s = expect_length(t, 4, name); !s) return err(s.error());
    return *ByteReader(t.value).u32();
}

}  // namespace isthmus::ldp
