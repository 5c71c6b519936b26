#include "ldp/codec/label_messages.hpp"

#include <string>

#include "ldp/codec/label_tlvs.hpp"

namespace isthmus::ldp {

namespace {

Status<DecodeError> require(const std::vector<RawTlv>& tlvs, std::size_t i, uint16_t type, std::size_t body_offset,
                            const char* what) {
    if (i < tlvs.size() && tlvs[i].type == type) return ok_unit;
    return err(decode_error(StatusCode::MissingMessageParameters, i < tlvs.size() ? tlvs[i].offset : body_offset,
                            std::string("missing mandatory ") + what));
}

// Optional parameters of the label messages; which ones a message accepts is a
// bit set, and the others are unknown TLVs in that message.
enum Allow : unsigned { kLabel = 1, kRequestId = 2, kHopCount = 4, kPathVector = 8 };

struct Optionals {
    std::optional<MplsLabel> label;
    std::optional<uint32_t> request_id;
    std::optional<uint8_t> hop_count;
    std::optional<std::vector<RouterId>> path_vector;
    std::vector<UnknownTlv> unknown;
};

// A repeated optional TLV is ignored, as the first one counts.
Result<Optionals, DecodeError> decode_optionals(const std::vector<RawTlv>& tlvs, std::size_t first, unsigned allow) {
    Optionals o;
    for (std::size_t i = first; i < tlvs.size(); ++i) {
        const RawTlv& t = tlvs[i];
        if (t.type == tlv_type::kGenericLabel && (allow & kLabel)) {
            if (o.label) continue;
            auto v = decode_generic_label(t);
            if (!v) return err(v.error());
            o.label = *v;
        } else if (t.type == tlv_type::kLabelRequestMessageId && (allow & kRequestId)) {
            if (o.request_id) continue;
            auto v = decode_u32_value(t, "Label Request Message ID");
            if (!v) return err(v.error());
            o.request_id = *v;
        } else if (t.type == tlv_type::kHopCount && (allow & kHopCount)) {
            if (o.hop_count) continue;
            auto v = decode_hop_count(t);
            if (!v) return err(v.error());
            o.hop_count = *v;
        } else if (t.type == tlv_type::kPathVector && (allow & kPathVector)) {
            if (o.path_vector) continue;
            auto v = decode_path_vector(t);
            if (!v) return err(v.error());
            o.path_vector = std::move(*v);
        } else if (auto s = keep_unknown(t, o.unknown); !s) {
            return err(s.error());
        }
    }
    return o;
}

template <class M>
Result<M, DecodeError> decode_address_like(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (auto s = require(tlvs, 0, tlv_type::kAddressList, body_offset, "Address List TLV"); !s) return err(s.error());
    auto list = decode_address_list(tlvs[0]);
    if (!list) return err(list.error());
    auto o = decode_optionals(tlvs, 1, 0);
    if (!o) return err(o.error());
    return M{std::move(*list), std::move(o->unknown)};
}

// FEC first, then the optional parameters; Withdraw and Release share the shape.
template <class M>
Result<M, DecodeError> decode_withdraw_like(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (auto s = require(tlvs, 0, tlv_type::kFec, body_offset, "FEC TLV"); !s) return err(s.error());
    auto fec = decode_fec(tlvs[0]);
    if (!fec) return err(fec.error());
    auto o = decode_optionals(tlvs, 1, kLabel);
    if (!o) return err(o.error());
    return M{std::move(*fec), o->label, std::move(o->unknown)};
}

bool encode_unknowns(const std::vector<UnknownTlv>& unknown, ByteWriter& w) {
    bool ok = true;
    for (const auto& u : unknown) ok = encode_unknown(u, w) && ok;
    return ok;
}

bool encode_hops(const std::optional<uint8_t>& hops, const std::optional<std::vector<RouterId>>& pv, ByteWriter& w) {
    if (hops) encode_hop_count(*hops, w);
    return pv ? encode_path_vector(*pv, w) : true;
}

}  // namespace

Result<Address, DecodeError> decode_address(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    return decode_address_like<Address>(tlvs, body_offset);
}

Result<AddressWithdraw, DecodeError> decode_address_withdraw(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    return decode_address_like<AddressWithdraw>(tlvs, body_offset);
}

// RFC 5036 3.5.7: FEC TLV, Label TLV, then Label Request Message ID, Hop Count, Path Vector.
Result<LabelMapping, DecodeError> decode_label_mapping(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (auto s = require(tlvs, 0, tlv_type::kFec, body_offset, "FEC TLV"); !s) return err(s.error());
    if (auto s = require(tlvs, 1, tlv_type::kGenericLabel, body_offset, "Generic Label TLV"); !s)
        return err(s.error());
    LabelMapping m;
    auto fec = decode_fec(tlvs[0]);
    if (!fec) return err(fec.error());
    m.fec = std::move(*fec);
    auto label = decode_generic_label(tlvs[1]);
    if (!label) return err(label.error());
    m.label = *label;
    auto o = decode_optionals(tlvs, 2, kRequestId | kHopCount | kPathVector);
    if (!o) return err(o.error());
    m.request_id = o->request_id;
    m.hop_count = o->hop_count;
    m.path_vector = std::move(o->path_vector);
    m.unknown = std::move(o->unknown);
    return m;
}

// RFC 5036 3.5.8: FEC TLV, then Hop Count, Path Vector.
Result<LabelRequest, DecodeError> decode_label_request(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (auto s = require(tlvs, 0, tlv_type::kFec, body_offset, "FEC TLV"); !s) return err(s.error());
    auto fec = decode_fec(tlvs[0]);
    if (!fec) return err(fec.error());
    auto o = decode_optionals(tlvs, 1, kHopCount | kPathVector);
    if (!o) return err(o.error());
    return LabelRequest{std::move(*fec), o->hop_count, std::move(o->path_vector), std::move(o->unknown)};
}

Result<LabelWithdraw, DecodeError> decode_label_withdraw(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    return decode_withdraw_like<LabelWithdraw>(tlvs, body_offset);
}

Result<LabelRelease, DecodeError> decode_label_release(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    return decode_withdraw_like<LabelRelease>(tlvs, body_offset);
}

// RFC 5036 3.5.11: FEC TLV, Label Request Message ID TLV.
Result<LabelAbortRequest, DecodeError> decode_label_abort_request(const std::vector<RawTlv>& tlvs,
                                                                  std::size_t body_offset) {
    if (auto s = require(tlvs, 0, tlv_type::kFec, body_offset, "FEC TLV"); !s) return err(s.error());
    if (auto s = require(tlvs, 1, tlv_type::kLabelRequestMessageId, body_offset, "Label Request Message ID TLV"); !s)
        return err(s.error());
    auto fec = decode_fec(tlvs[0]);
    if (!fec) return err(fec.error());
    auto id = decode_u32_value(tlvs[1], "Label Request Message ID");
    if (!id) return err(id.error());
    auto o = decode_optionals(tlvs, 2, 0);
    if (!o) return err(o.error());
    return LabelAbortRequest{std::move(*fec), *id, std::move(o->unknown)};
}

bool encode_body(const Address& m, ByteWriter& w) {
    bool ok = encode_address_list(m.list, w);
    return encode_unknowns(m.unknown, w) && ok;
}

bool encode_body(const AddressWithdraw& m, ByteWriter& w) {
    bool ok = encode_address_list(m.list, w);
    return encode_unknowns(m.unknown, w) && ok;
}

bool encode_body(const LabelMapping& m, ByteWriter& w) {
    bool ok = encode_fec(m.fec, w);
    encode_generic_label(m.label, w);
    if (m.request_id) encode_u32_tlv(w, tlv_type::kLabelRequestMessageId, *m.request_id);
    ok = encode_hops(m.hop_count, m.path_vector, w) && ok;
    return encode_unknowns(m.unknown, w) && ok;
}

bool encode_body(const LabelRequest& m, ByteWriter& w) {
    bool ok = encode_fec(m.fec, w);
    ok = encode_hops(m.hop_count, m.path_vector, w) && ok;
    return encode_unknowns(m.unknown, w) && ok;
}

bool encode_body(const LabelWithdraw& m, ByteWriter& w) {
    bool ok = encode_fec(m.fec, w);
    if (m.label) encode_generic_label(*m.label, w);
    return encode_unknowns(m.unknown, w) && ok;
}

bool encode_body(const LabelRelease& m, ByteWriter& w) {
    bool ok = encode_fec(m.fec, w);
    if (m.label) encode_generic_label(*m.label, w);
    return encode_unknowns(m.unknown, w) && ok;
}

bool encode_body(const LabelAbortRequest& m, ByteWriter& w) {
    bool ok = encode_fec(m.fec, w);
    encode_u32_tlv(w, tlv_type::kLabelRequestMessageId, m.request_id);
    return encode_unknowns(m.unknown, w) && ok;
}

}  // namespace isthmus::ldp
