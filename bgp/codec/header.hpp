#pragma once
// The 19-byte message header (RFC 4271 4.1) and framing: how long the next
// message in a receive buffer is, with the marker/length/type checks of 6.1.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

inline constexpr std::size_t kHeaderSize = 19;
inline constexpr std::size_t kMarkerSize = 16;

enum class MessageType : uint8_t { Open = 1, Update = 2, Notification = 3, Keepalive = 4, RouteRefresh = 5 };

struct Header {
    uint16_t length = 0;  // whole message, header included
    MessageType type = MessageType::Keepalive;
    bool operator==(const Header&) const = default;
};

// Looks at the start of a receive buffer. nullopt: fewer than 19 bytes buffered,
// read more. A Header: the next message is header.length bytes (possibly not all
// buffered yet). An error: RFC 4271 6.1 Message Header Error, session reset.
Result<std::optional<Header>, DecodeError> frame(std::span<const uint8_t> buffered, const Context& ctx);

// Writes marker, a length placeholder and the type; returns where the message starts.
std::size_t begin_message(ByteWriter& w, MessageType type);
// Fills in the length; fails (and rolls the writer back) when the message exceeds max_size.
Status<EncodeError> end_message(ByteWriter& w, std::size_t start, std::size_t max_size);

}  // namespace isthmus::bgp
