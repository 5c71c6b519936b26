#include "ldp/codec/notification.hpp"

#include "ldp/codec/label_tlvs.hpp"

namespace isthmus::ldp {

namespace {

std::vector<uint8_t> copy(const RawTlv& t) { return {t.value.begin(), t.value.end()}; }

bool write_raw(ByteWriter& w, uint16_t type, const std::vector<uint8_t>& v) {
    auto m = begin_tlv(w, type);
    w.bytes(v);
    return end_tlv(w, m);
}

}  // namespace

Notification notification_for(const DecodeError& e) {
    Notification n;
    n.status = status_for(e);
    return n;
}

Notification unsupported_capability(uint32_t message_id, uint16_t message_type, const std::vector<UnknownTlv>& tlvs) {
    Notification n;
    n.status = {StatusCode::UnsupportedCapability, false, false, message_id, message_type};
    ByteWriter w;
    for (const auto& t : tlvs) (void)encode_unknown(t, w);
    n.returned_tlvs = w.take();
    return n;
}

Notification end_of_lib(AddressFamily family) {
    Notification n;
    n.status.code = StatusCode::EndOfLib;
    n.fec = Fec{TypedWildcardFec{family}};
    return n;
}

Result<Notification, DecodeError> decode_notification(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (tlvs.empty() || tlvs[0].type != tlv_type::kStatus)
        return err(decode_error(StatusCode::MissingMessageParameters, tlvs.empty() ? body_offset : tlvs[0].offset,
                                "Notification without a Status TLV first"));
    Notification n;
    auto s = decode_status(tlvs[0]);
    if (!s) return err(s.error());
    n.status = *s;
    for (std::size_t i = 1; i < tlvs.size(); ++i) {
        const RawTlv& t = tlvs[i];
        switch (t.type) {
        case tlv_type::kExtendedStatus: {
            if (n.extended_status) continue;
            auto v = decode_u32_value(t, "Extended Status");
            if (!v) return err(v.error());
            n.extended_status = *v;
            break;
        }
        case tlv_type::kReturnedPdu:
            if (!n.returned_pdu) n.returned_pdu = copy(t);
            break;
        case tlv_type::kReturnedMessage:
            if (!n.returned_message) n.returned_message = copy(t);
            break;
        case tlv_type::kReturnedTlvs:
            if (!n.returned_tlvs) n.returned_tlvs = copy(t);
            break;
        case tlv_type::kFec: {
            if (n.fec) continue;
            auto f = decode_fec(t);
            if (!f) return err(f.error());
            n.fec = std::move(*f);
            break;
        }
        default:
            if (auto k = keep_unknown(t, n.unknown); !k) return err(k.error());
        }
    }
    return n;
}

bool encode_notification(const Notification& n, ByteWriter& w) {
    encode_status(n.status, w);
    bool ok = true;
    if (n.extended_status) encode_u32_tlv(w, tlv_type::kExtendedStatus, *n.extended_status);
    if (n.returned_pdu) ok = write_raw(w, tlv_type::kReturnedPdu, *n.returned_pdu) && ok;
    if (n.returned_message) ok = write_raw(w, tlv_type::kReturnedMessage, *n.returned_message) && ok;
    // RFC 5561 6: Returned TLVs has U=1, F=0.
    if (n.returned_tlvs) {
        auto m = begin_tlv(w, tlv_type::kReturnedTlvs, true);
        w.bytes(*n.returned_tlvs);
        ok = end_tlv(w, m) && ok;
    }
    if (n.fec) ok = encode_fec(*n.fec, w) && ok;
    for (const auto& u : n.unknown) ok = encode_unknown(u, w) && ok;
    return ok;
}

}  // namespace isthmus::ldp
