#include "header.hpp"

#include <algorithm>

#include "lib/byte_reader.hpp"

namespace isthmus::bgp {

namespace {

// RFC 4271 6.1 minimum lengths per type; RFC 8654: OPEN and KEEPALIVE never exceed 4096.
struct Limits {
    std::size_t min;
    std::size_t max;
};

std::optional<Limits> limits_for(uint8_t type, const Context& ctx) {
    std::size_t big = ctx.max_message_size();
    switch (type) {
        case uint8_t(MessageType::Open): return Limits{29, kMaxMessageSize};
        case uint8_t(MessageType::Update): return Limits{23, big};
        case uint8_t(MessageType::Notification): return Limits{21, big};
        case uint8_t(MessageType::Keepalive): return Limits{19, 19};
        // RFC 7313: a wrong ROUTE-REFRESH length is its own error (7/1), raised by its decoder.
        case uint8_t(MessageType::RouteRefresh): return Limits{kHeaderSize, big};
        default: return std::nullopt;
    }
}

}  // namespace

Result<std::optional<Header>, DecodeError> frame(std::span<const uint8_t> buffered, const Context& ctx) {
    if (buffered.size() < kHeaderSize) return std::optional<Header>{};
    ByteReader r(buffered.first(kHeaderSize));
    auto marker = *r.bytes(kMarkerSize);
    if (!std::all_of(marker.begin(), marker.end(), [](uint8_t b) { return b == 0xff; }))
        return err(make_error(ErrorCode::MessageHeader, header_error::kConnectionNotSynchronized,
                              ErrorAction::SessionReset, 0, "marker is not all ones"));
    uint16_t length = *r.u16();
    uint8_t type = *r.u8();
    auto lim = limits_for(type, ctx);
    if (!lim)
        return err(make_error(ErrorCode::MessageHeader, header_error::kBadMessageType, ErrorAction::SessionReset, 18,
                              "unknown message type " + std::to_string(type), {type}));
    if (length < lim->min || length > lim->max)
        return err(make_error(ErrorCode::MessageHeader, header_error::kBadMessageLength, ErrorAction::SessionReset, 16,
                              "bad length " + std::to_string(length) + " for message type " + std::to_string(type),
                              {uint8_t(length >> 8), uint8_t(length)}));
    return std::optional<Header>{Header{length, MessageType(type)}};
}

std::size_t begin_message(ByteWriter& w, MessageType type) {
    std::size_t start = w.size();
    for (std::size_t i = 0; i < kMarkerSize; ++i) w.u8(0xff);
    w.u16(0);
    w.u8(uint8_t(type));
    return start;
}

Status<EncodeError> end_message(ByteWriter& w, std::size_t start, std::size_t max_size) {
    std::size_t len = w.size() - start;
    if (len > max_size) {
        w.truncate(start);
        return err(EncodeError{"message of " + std::to_string(len) + " bytes exceeds " + std::to_string(max_size)});
    }
    w.patch_u16(start + kMarkerSize, uint16_t(len));
    return ok_unit;
}

}  // namespace isthmus::bgp
