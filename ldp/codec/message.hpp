#pragma once
// The LDP message (RFC 5036 3.4): U bit, 15-bit type, length, message id, then
// TLVs. One variant holds every message this codec knows.
#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "ldp/codec/capabilities.hpp"
#include "ldp/codec/errors.hpp"
#include "ldp/codec/hello.hpp"
#include "ldp/codec/label_messages.hpp"
#include "ldp/codec/notification.hpp"
#include "ldp/codec/session_params.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"

namespace isthmus::ldp {

inline constexpr std::size_t kMessageHeaderSize = 8;  // type, length, message id
inline constexpr uint16_t kMessageUBit = 0x8000;

enum class MessageType : uint16_t {
    Notification = 0x0001,
    Hello = 0x0100,
    Initialization = 0x0200,
    KeepAlive = 0x0201,
    Capability = 0x0202,  // RFC 5561
    Address = 0x0300,
    AddressWithdraw = 0x0301,
    LabelMapping = 0x0400,
    LabelRequest = 0x0401,
    LabelWithdraw = 0x0402,
    LabelRelease = 0x0403,
    LabelAbortRequest = 0x0404,
};

struct KeepAlive {
    std::vector<UnknownTlv> unknown;
    bool operator==(const KeepAlive&) const = default;
};

// A message type this codec does not know, sent with U=1: the receiver ignores
// it (RFC 5036 3.4). With U=0 decoding fails with Unknown Message Type instead.
struct UnknownMessage {
    uint16_t type = 0;  // 15 bits
    std::vector<uint8_t> body;  // everything after the message id
    bool operator==(const UnknownMessage&) const = default;
};

using MessageBody = std::variant<Notification, Hello, Initialization, KeepAlive, CapabilityMessage, Address,
                                 AddressWithdraw, LabelMapping, LabelRequest, LabelWithdraw, LabelRelease,
                                 LabelAbortRequest, UnknownMessage>;

struct Message {
    uint32_t id = 0;
    MessageBody body;
    bool u_bit = false;  // as received; encoded as given (known messages are sent with U=0)
    bool operator==(const Message&) const = default;
};

// The wire type of a body (15 bits, without U).
uint16_t message_type(const MessageBody& body);
const char* message_name(uint16_t type);

// Reads one message from r and leaves r after it, even when the message's body
// is at fault, so the caller can go on with the next message after a non-fatal
// error. Errors inside a message carry its id and type.
//   Bad Message Length (fatal): header truncated, length < 4 or past the end of r.
//   Unknown Message Type (non-fatal): unknown type with U=0.
//   anything the message's TLV decoders report.
Result<Message, DecodeError> decode_message(ByteReader& r);

// Appends the message; fails (and rolls w back) when a length does not fit 16 bits.
Status<EncodeError> encode_message(const Message& m, ByteWriter& w);

}  // namespace isthmus::ldp
