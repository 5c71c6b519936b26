#include "open.hpp"

#include "bgp/codec/header.hpp"

namespace isthmus::bgp {

namespace {

DecodeError open_error_at(uint8_t subcode, std::size_t offset, std::string why, std::vector<uint8_t> data = {}) {
    return make_error(ErrorCode::OpenMessage, subcode, ErrorAction::SessionReset, offset, std::move(why),
                      std::move(data));
}

// One optional parameter's value: capabilities are decoded, anything else is unsupported.
Status<DecodeError> decode_parameter(uint8_t type, ByteReader value, std::size_t at, Open& open) {
    if (type != kOptionalParameterCapabilities)
        return err(open_error_at(open_error::kUnsupportedOptionalParameter, at,
                                 "unsupported optional parameter " + std::to_string(type)));
    while (!value.empty()) {
        auto cap = decode_capability(value);
        if (!cap) return err(cap.error());
        open.capabilities.push_back(std::move(*cap));
    }
    return ok_unit;
}

}  // namespace

Asn Open::asn() const {
    if (auto* f = find<FourOctetAsCapability>()) return f->asn;
    return Asn(my_as);
}

Result<Open, DecodeError> decode_open(ByteReader body) {
    Open open;
    // Version, My AS, Hold Time, BGP Identifier, Opt Parm Len: 10 bytes (RFC 4271 4.2).
    if (body.remaining() < 10)
        return err(make_error(ErrorCode::MessageHeader, header_error::kBadMessageLength, ErrorAction::SessionReset,
                              body.offset(), "OPEN shorter than its fixed part"));
    open.version = *body.u8();
    // RFC 4271 6.2: the data is the largest version we support.
    if (open.version != kBgpVersion)
        return err(open_error_at(open_error::kUnsupportedVersion, body.offset() - 1,
                                 "unsupported BGP version " + std::to_string(open.version), {0, kBgpVersion}));
    auto my_as = body.u16();
    std::size_t hold_at = body.offset();
    auto hold = body.u16();
    std::size_t id_at = body.offset();
    auto id = body.u32();
    auto opt_len = body.u8();
    open.my_as = *my_as;
    open.hold_time = *hold;
    open.bgp_id = RouterId(*id);
    if (open.hold_time == 1 || open.hold_time == 2)
        return err(open_error_at(open_error::kUnacceptableHoldTime, hold_at, "hold time 1 or 2 seconds"));
    if (open.bgp_id.value() == 0)
        return err(open_error_at(open_error::kBadBgpIdentifier, id_at, "BGP identifier 0.0.0.0 (RFC 6286)"));

    // RFC 9072: a length of 255 followed by type 255 announces 2-octet parameter lengths.
    bool extended = false;
    std::size_t params_len = *opt_len;
    if (*opt_len == 255 && body.peek_u8().value_or(0) == 255) {
        (void)body.u8();
        auto ext_len = body.u16();
        if (!ext_len) return err(open_error_at(0, body.offset(), "extended optional parameters length truncated"));
        extended = true;
        params_len = *ext_len;
    }
    std::size_t params_at = body.offset();
    auto params = body.sub(params_len);
    if (!params || !body.empty())
        return err(open_error_at(0, params_at, "optional parameters length does not match the message length"));
    while (!params->empty()) {
        std::size_t at = params->offset();
        uint8_t type = *params->u8();
        std::optional<uint16_t> len;
        if (extended) {
            if (auto l = params->u16()) len = *l;
        } else if (auto l = params->u8()) {
            len = *l;
        }
        auto value = len ? params->sub(*len) : Result<ByteReader, ReadError>(err(ReadError{at, 0, 0}));
        if (!value) return err(open_error_at(0, at, "optional parameter runs past the parameters length"));
        if (auto s = decode_parameter(type, *value, at, open); !s) return err(s.error());
    }
    return open;
}

Status<EncodeError> encode(const Open& open, ByteWriter& w) {
    std::size_t start = begin_message(w, MessageType::Open);
    w.u8(open.version);
    w.u16(open.my_as);
    w.u16(open.hold_time);
    w.u32(open.bgp_id.value());
    // Capabilities go in one parameter; past 255 bytes, use the RFC 9072 form.
    ByteWriter caps;
    for (auto& c : open.capabilities)
        if (auto s = encode_capability(c, caps); !s) {
            w.truncate(start);
            return s;
        }
    if (caps.size() == 0) {
        w.u8(0);
    } else if (caps.size() + 2 <= 255) {
        w.u8(uint8_t(caps.size() + 2));
        w.u8(kOptionalParameterCapabilities);
        w.u8(uint8_t(caps.size()));
        w.bytes(caps.data());
    } else {
        w.u8(255);
        w.u8(255);
        w.u16(uint16_t(caps.size() + 3));
        w.u8(kOptionalParameterCapabilities);
        w.u16(uint16_t(caps.size()));
        w.bytes(caps.data());
    }
    return end_message(w, start, kMaxMessageSize);
}

}  // namespace isthmus::bgp
