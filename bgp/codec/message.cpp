#include "message.hpp"

namespace isthmus::bgp {

MessageType type_of(const Message& m) {
    switch (m.index()) {
        case 0: return MessageType::Open;
        case 1: return MessageType::Update;
        case 2: return MessageType::Notification;
        case 3: return MessageType::Keepalive;
        default: return MessageType::RouteRefresh;
    }
}

// GCC 12 at -O2 reports the Message moved into the Result as maybe uninitialized
// (a false positive with nested variants); nothing here reads uninitialized memory.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
Result<Message, DecodeError> decode(std::span<const uint8_t> bytes, const Context& ctx) {
    auto h = frame(bytes, ctx);
    if (!h) return err(h.error());
    if (!*h || h->value().length != bytes.size()) {
        uint16_t len = bytes.size() >= kHeaderSize ? uint16_t(bytes[16] << 8 | bytes[17]) : 0;
        return err(make_error(ErrorCode::MessageHeader, header_error::kBadMessageLength, ErrorAction::SessionReset,
                              kMarkerSize, "length field does not match the " + std::to_string(bytes.size()) +
                                               " bytes given",
                              {uint8_t(len >> 8), uint8_t(len)}));
    }
    ByteReader body(bytes.subspan(kHeaderSize), kHeaderSize);
    switch (h->value().type) {
        case MessageType::Open: {
            auto o = decode_open(body);
            if (!o) return err(o.error());
            return Message(std::in_place_type<Open>, std::move(o.value()));
        }
        case MessageType::Update: {
            auto u = decode_update(body, ctx);
            if (!u) return err(u.error());
            return Message(std::in_place_type<Update>, std::move(u.value()));
        }
        case MessageType::Notification: {
            auto n = decode_notification(body);
            if (!n) return err(n.error());
            return Message(std::in_place_type<Notification>, std::move(n.value()));
        }
        case MessageType::Keepalive: return Message(Keepalive{});
        case MessageType::RouteRefresh: {
            auto rr = decode_route_refresh(body);
            if (rr) return Message(*rr);
            auto e = rr.error();
            e.data.assign(bytes.begin(), bytes.end());  // RFC 7313 5: the complete message
            return err(std::move(e));
        }
    }
    return err(make_error(ErrorCode::MessageHeader, header_error::kBadMessageType, ErrorAction::SessionReset, 18,
                          "unknown message type"));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

Status<EncodeError> encode(const Message& m, const Context& ctx, ByteWriter& w) {
    if (auto* o = std::get_if<Open>(&m)) return encode(*o, w);
    if (auto* u = std::get_if<Update>(&m)) return encode(*u, ctx, w);
    if (auto* n = std::get_if<Notification>(&m)) return encode(*n, w, ctx.max_message_size());
    if (auto* rr = std::get_if<RouteRefresh>(&m)) return encode(*rr, w);
    std::size_t start = begin_message(w, MessageType::Keepalive);
    return end_message(w, start, kMaxMessageSize);
}

Result<std::vector<uint8_t>, EncodeError> encode(const Message& m, const Context& ctx) {
    ByteWriter w;
    if (auto s = encode(m, ctx, w); !s) return err(s.error());
    return w.take();
}

}  // namespace isthmus::bgp
