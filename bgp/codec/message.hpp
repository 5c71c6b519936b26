#pragma once
// One BGP message as a value, and the two entry points of the codec:
// decode(bytes, context) and encode(message, context, writer) (STYLE 2).
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "bgp/codec/header.hpp"
#include "bgp/codec/notification.hpp"
#include "bgp/codec/open.hpp"
#include "bgp/codec/route_refresh.hpp"
#include "bgp/codec/update.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

struct Keepalive {
    bool operator==(const Keepalive&) const = default;
};

using Message = std::variant<Open, Update, Notification, Keepalive, RouteRefresh>;

MessageType type_of(const Message& m);

// bytes: exactly one message, header included (use frame() to find its end).
// UPDATE errors that RFC 7606 lets the session survive are inside the Update.
Result<Message, DecodeError> decode(std::span<const uint8_t> bytes, const Context& ctx);

Status<EncodeError> encode(const Message& m, const Context& ctx, ByteWriter& w);
Result<std::vector<uint8_t>, EncodeError> encode(const Message& m, const Context& ctx);

}  // namespace isthmus::bgp
