#include "ldp/codec/message.hpp"

#include <cstdio>
#include <string>
#include <type_traits>

namespace isthmus::ldp {

namespace {

template <class T>
struct TypeOf;
template <> struct TypeOf<Notification> { static constexpr MessageType v = MessageType::Notification; };
template <> struct TypeOf<Hello> { static constexpr MessageType v = MessageType::Hello; };
template <> struct TypeOf<Initialization> { static constexpr MessageType v = MessageType::Initialization; };
template <> struct TypeOf<KeepAlive> { static constexpr MessageType v = MessageType::KeepAlive; };
template <> struct TypeOf<CapabilityMessage> { static constexpr MessageType v = MessageType::Capability; };
template <> struct TypeOf<Address> { static constexpr MessageType v = MessageType::Address; };
template <> struct TypeOf<AddressWithdraw> { static constexpr MessageType v = MessageType::AddressWithdraw; };
template <> struct TypeOf<LabelMapping> { static constexpr MessageType v = MessageType::LabelMapping; };
template <> struct TypeOf<LabelRequest> { static constexpr MessageType v = MessageType::LabelRequest; };
template <> struct TypeOf<LabelWithdraw> { static constexpr MessageType v = MessageType::LabelWithdraw; };
template <> struct TypeOf<LabelRelease> { static constexpr MessageType v = MessageType::LabelRelease; };
template <> struct TypeOf<LabelAbortRequest> { static constexpr MessageType v = MessageType::LabelAbortRequest; };

Result<KeepAlive, DecodeError> decode_keepalive(const std::vector<RawTlv>& tlvs, std::size_t) {
    KeepAlive k;
    for (const auto& t : tlvs)
        if (auto s = keep_unknown(t, k.unknown); !s) return err(s.error());
    return k;
}

template <class T>
Result<MessageBody, DecodeError> wrap(Result<T, DecodeError> r) {
    if (!r) return err(r.error());
    return MessageBody(std::move(*r));
}

Result<MessageBody, DecodeError> decode_body(uint16_t type, const std::vector<RawTlv>& tlvs, std::size_t at) {
    switch (MessageType(type)) {
    case MessageType::Notification: return wrap(decode_notification(tlvs, at));
    case MessageType::Hello: return wrap(decode_hello(tlvs, at));
    case MessageType::Initialization: return wrap(decode_initialization(tlvs, at));
    case MessageType::KeepAlive: return wrap(decode_keepalive(tlvs, at));
    case MessageType::Capability: return wrap(decode_capability_message(tlvs, at));
    case MessageType::Address: return wrap(decode_address(tlvs, at));
    case MessageType::AddressWithdraw: return wrap(decode_address_withdraw(tlvs, at));
    case MessageType::LabelMapping: return wrap(decode_label_mapping(tlvs, at));
    case MessageType::LabelRequest: return wrap(decode_label_request(tlvs, at));
    case MessageType::LabelWithdraw: return wrap(decode_label_withdraw(tlvs, at));
    case MessageType::LabelRelease: return wrap(decode_label_release(tlvs, at));
    case MessageType::LabelAbortRequest: return wrap(decode_label_abort_request(tlvs, at));
    }
    return err(decode_error(StatusCode::InternalError, at, "unreachable message type"));
}

bool known_type(uint16_t type) { return std::string(message_name(type)) != "unknown"; }

bool encode_body(const Notification& m, ByteWriter& w) { return encode_notification(m, w); }
bool encode_body(const Hello& m, ByteWriter& w) { return encode_hello(m, w); }
bool encode_body(const Initialization& m, ByteWriter& w) { return encode_initialization(m, w); }
bool encode_body(const CapabilityMessage& m, ByteWriter& w) { return encode_capability_message(m, w); }
bool encode_body(const KeepAlive& m, ByteWriter& w) {
    bool ok = true;
    for (const auto& u : m.unknown) ok = encode_unknown(u, w) && ok;
    return ok;
}
bool encode_body(const UnknownMessage& m, ByteWriter& w) {
    w.bytes(m.body);
    return true;
}

}  // namespace

uint16_t message_type(const MessageBody& body) {
    return std::visit(
        [](const auto& m) -> uint16_t {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, UnknownMessage>)
                return uint16_t(m.type & ~kMessageUBit);
            else
                return uint16_t(TypeOf<T>::v);
        },
        body);
}

const char* message_name(uint16_t type) {
    switch (MessageType(type)) {
    case MessageType::Notification: return "Notification";
    case MessageType::Hello: return "Hello";
    case MessageType::Initialization: return "Initialization";
    case MessageType::KeepAlive: return "KeepAlive";
    case MessageType::Capability: return "Capability";
    case MessageType::Address: return "Address";
    case MessageType::AddressWithdraw: return "Address Withdraw";
    case MessageType::LabelMapping: return "Label Mapping";
    case MessageType::LabelRequest: return "Label Request";
    case MessageType::LabelWithdraw: return "Label Withdraw";
    case MessageType::LabelRelease: return "Label Release";
    case MessageType::LabelAbortRequest: return "Label Abort Request";
    }
    return "unknown";
}

Result<Message, DecodeError> decode_message(ByteReader& r) {
    std::size_t at = r.offset();
    if (r.remaining() < kMessageHeaderSize)
        return err(decode_error(StatusCode::BadMessageLength, at,
                                std::to_string(r.remaining()) + " bytes left, too few for a message header"));
    uint16_t raw_type = *r.u16();
    uint16_t len = *r.u16();
    uint16_t type = raw_type & ~kMessageUBit;
    bool u_bit = (raw_type & kMessageUBit) != 0;
    if (len < 4 || len > r.remaining())
        return err(decode_error(StatusCode::BadMessageLength, at,
                                "message length " + std::to_string(len) + " with " + std::to_string(r.remaining()) +
                                    " bytes left (at least 4 needed for the message id)"));
    auto body = *r.sub(len);
    uint32_t id = *body.u32();

    auto fail = [&](DecodeError e) {
        e.message_id = id;
        e.message_type = type;
        return e;
    };
    if (!known_type(type)) {
        if (!u_bit) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "0x%04x", unsigned(type));
            return err(fail(decode_error(StatusCode::UnknownMessageType, at,
                                         std::string("unknown message type ") + buf)));
        }
        auto rest = body.rest();
        return Message{id, UnknownMessage{type, {rest.begin(), rest.end()}}, true};
    }
    std::size_t tlvs_at = body.offset();
    auto tlvs = split_tlvs(body);
    if (!tlvs) return err(fail(tlvs.error()));
    auto decoded = decode_body(type, *tlvs, tlvs_at);
    if (!decoded) return err(fail(decoded.error()));
    return Message{id, std::move(*decoded), u_bit};
}

Status<EncodeError> encode_message(const Message& m, ByteWriter& w) {
    std::size_t start = w.size();
    uint16_t type = message_type(m.body);
    w.u16(uint16_t(type | (m.u_bit ? kMessageUBit : 0)));
    auto len = w.begin_length(2);
    w.u32(m.id);
    bool ok = std::visit([&](const auto& b) { return encode_body(b, w); }, m.body);
    if (!ok || !w.end_length(len)) {
        w.truncate(start);
        return err(EncodeError{std::string(message_name(type)) + " message " + std::to_string(m.id) +
                               ": a length does not fit 16 bits"});
    }
    return ok_unit;
}

}  // namespace isthmus::ldp
