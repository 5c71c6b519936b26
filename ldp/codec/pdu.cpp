#include "ldp/codec/pdu.hpp"

#include <string>

namespace isthmus::ldp {

// RFC 5036 3.5.1.2: Bad Protocol Version and Bad PDU Length, both fatal.
Result<std::optional<std::size_t>, DecodeError> frame(std::span<const uint8_t> buffered, const DecodeContext& ctx) {
    if (buffered.size() < kPduPrefixSize) return std::optional<std::size_t>();
    ByteReader r(buffered);
    uint16_t version = *r.u16();
    uint16_t length = *r.u16();
    if (version != kLdpVersion)
        return err(decode_error(StatusCode::BadProtocolVersion, 0, "protocol version " + std::to_string(version)));
    if (length < kMinPduLength || length > ctx.max_pdu_length)
        return err(decode_error(StatusCode::BadPduLength, 2,
                                "PDU length " + std::to_string(length) + " outside " + std::to_string(kMinPduLength) +
                                    ".." + std::to_string(ctx.max_pdu_length)));
    return std::optional<std::size_t>(kPduPrefixSize + length);
}

Result<Framed, DecodeError> split_pdus(std::span<const uint8_t> buffered, const DecodeContext& ctx) {
    Framed out;
    for (;;) {
        auto rest = buffered.subspan(out.consumed);
        auto f = frame(rest, ctx);
        if (!f) {
            auto e = f.error();
            e.offset += out.consumed;
            return err(e);
        }
        if (!*f || **f > rest.size()) return out;
        out.pdus.push_back(rest.first(**f));
        out.consumed += **f;
    }
}

Result<PduHeader, DecodeError> decode_pdu_header(std::span<const uint8_t> bytes, const DecodeContext& ctx) {
    auto f = frame(bytes, ctx);
    if (!f) return err(f.error());
    if (!*f || **f != bytes.size())
        return err(decode_error(StatusCode::BadPduLength, 2,
                                "PDU length field does not match the " + std::to_string(bytes.size()) +
                                    " bytes of the PDU"));
    ByteReader r(bytes);
    PduHeader h;
    h.version = *r.u16();
    h.length = *r.u16();
    h.ldp_id.lsr_id = RouterId(*r.u32());
    h.ldp_id.label_space = *r.u16();
    if (ctx.expected_peer && *ctx.expected_peer != h.ldp_id)
        return err(decode_error(StatusCode::BadLdpIdentifier, 4,
                                "LDP identifier " + h.ldp_id.to_string() + ", session peer is " +
                                    ctx.expected_peer->to_string()));
    return h;
}

Result<Pdu, DecodeError> decode_pdu(std::span<const uint8_t> bytes, const DecodeContext& ctx) {
    auto h = decode_pdu_header(bytes, ctx);
    if (!h) return err(h.error());
    Pdu pdu{*h, {}};
    ByteReader r(bytes.subspan(kPduHeaderSize), kPduHeaderSize);
    while (!r.empty()) {
        auto m = decode_message(r);
        if (!m && m.error().fatal) return err(m.error());
        pdu.messages.push_back(std::move(m));
    }
    return pdu;
}

Status<EncodeError> encode_pdu(const LdpId& id, std::span<const Message> messages, ByteWriter& w,
                               std::size_t max_pdu_length) {
    if (messages.empty()) return err(EncodeError{"a PDU needs at least one message"});
    std::size_t start = w.size();
    w.u16(kLdpVersion);
    auto len = w.begin_length(2);
    w.u32(id.lsr_id.value());
    w.u16(id.label_space);
    for (const auto& m : messages) {
        if (auto s = encode_message(m, w); !s) {
            w.truncate(start);
            return s;
        }
    }
    std::size_t total = w.size() - start;
    if (total > max_pdu_length || !w.end_length(len)) {
        w.truncate(start);
        return err(EncodeError{"PDU of " + std::to_string(total) + " bytes exceeds the maximum of " +
                               std::to_string(max_pdu_length)});
    }
    return ok_unit;
}

Result<std::vector<std::vector<uint8_t>>, EncodeError> pack_pdus(const LdpId& id, std::span<const Message> messages,
                                                                 std::size_t max_pdu_length) {
    std::vector<std::vector<uint8_t>> out;
    ByteWriter w;
    std::size_t in_pdu = 0;
    auto close = [&] {
        if (in_pdu == 0) return;
        auto len = w.size() - kPduPrefixSize;
        w.patch_u16(2, uint16_t(len));
        out.push_back(w.take());
        w = ByteWriter();
        in_pdu = 0;
    };
    for (const auto& m : messages) {
        for (int attempt = 0;; ++attempt) {
            if (in_pdu == 0) {
                w.u16(kLdpVersion);
                w.u16(0);  // patched when the PDU is closed
                w.u32(id.lsr_id.value());
                w.u16(id.label_space);
            }
            std::size_t before = w.size();
            if (auto s = encode_message(m, w); !s) return err(s.error());
            if (w.size() <= max_pdu_length) {
                ++in_pdu;
                break;
            }
            w.truncate(before);
            if (in_pdu == 0 || attempt > 0)
                return err(EncodeError{std::string(message_name(message_type(m.body))) + " message " +
                                       std::to_string(m.id) + " does not fit a PDU of " +
                                       std::to_string(max_pdu_length) + " bytes"});
            close();
        }
    }
    close();
    return out;
}

}  // namespace isthmus::ldp
