#include "ldp/codec/session_params.hpp"

#include <algorithm>

namespace isthmus::ldp {

namespace {

Result<CommonSessionParams, DecodeError> decode_common_session(const RawTlv& t) {
    if (auto s = expect_length(t, 14, "Common Session Parameters"); !s) return err(s.error());
    ByteReader r(t.value);
    CommonSessionParams p;
    p.protocol_version = *r.u16();
    p.keepalive_time = *r.u16();
    uint8_t flags = *r.u8();
    p.downstream_on_demand = flags & kSessionAdvertisementBit;
    p.loop_detection = flags & kSessionLoopDetectionBit;
    p.path_vector_limit = *r.u8();
    p.max_pdu_length = *r.u16();
    p.receiver.lsr_id = RouterId(*r.u32());
    p.receiver.label_space = *r.u16();
    return p;
}

Result<FtSessionParams, DecodeError> decode_ft_session(const RawTlv& t) {
    if (auto s = expect_length(t, 12, "FT Session"); !s) return err(s.error());
    ByteReader r(t.value);
    FtSessionParams ft;
    ft.flags = *r.u16();
    (void)r.skip(2);  // reserved
    ft.reconnect_timeout_ms = *r.u32();
    ft.recovery_time_ms = *r.u32();
    return ft;
}

}  // namespace

uint16_t session_max_pdu_length(uint16_t ours, uint16_t theirs) {
    auto effective = [](uint16_t v) { return v <= 255 ? uint16_t(4096) : v; };
    return std::min(effective(ours), effective(theirs));
}

Result<Initialization, DecodeError> decode_initialization(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (tlvs.empty() || tlvs[0].type != tlv_type::kCommonSessionParams)
        return err(decode_error(StatusCode::MissingMessageParameters, tlvs.empty() ? body_offset : tlvs[0].offset,
                                "Initialization without Common Session Parameters first"));
    Initialization m;
    auto p = decode_common_session(tlvs[0]);
    if (!p) return err(p.error());
    m.params = *p;
    for (std::size_t i = 1; i < tlvs.size(); ++i) {
        const RawTlv& t = tlvs[i];
        if (auto type = capability_type(t.type)) {
            auto c = decode_capability(t);
            if (!c) return err(c.error());
            bool seen = false;
            for (const auto& have : m.capabilities) seen = seen || have.type == *type;
            if (!seen) m.capabilities.push_back(*c);
        } else if (t.type == tlv_type::kFtSession) {
            if (m.ft) continue;
            auto ft = decode_ft_session(t);
            if (!ft) return err(ft.error());
            m.ft = *ft;
        } else {
            m.unknown.push_back(to_unknown(t));
        }
    }
    return m;
}

bool encode_initialization(const Initialization& m, ByteWriter& w) {
    const auto& p = m.params;
    w.u16(tlv_type::kCommonSessionParams);
    w.u16(14);
    w.u16(p.protocol_version);
    w.u16(p.keepalive_time);
    w.u8(uint8_t((p.downstream_on_demand ? kSessionAdvertisementBit : 0) |
                 (p.loop_detection ? kSessionLoopDetectionBit : 0)));
    w.u8(p.path_vector_limit);
    w.u16(p.max_pdu_length);
    w.u32(p.receiver.lsr_id.value());
    w.u16(p.receiver.label_space);
    if (m.ft) {
        // RFC 3479 2.2: U=1 so a peer without FT support ignores it.
        w.u16(uint16_t(tlv_type::kFtSession | kTlvUBit));
        w.u16(12);
        w.u16(m.ft->flags);
        w.u16(0);
        w.u32(m.ft->reconnect_timeout_ms);
        w.u32(m.ft->recovery_time_ms);
    }
    for (const auto& c : m.capabilities) encode_capability(c, w);
    bool ok = true;
    for (const auto& u : m.unknown) ok = encode_unknown(u, w) && ok;
    return ok;
}

}  // namespace isthmus::ldp
