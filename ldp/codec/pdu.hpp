#pragma once
// The LDP PDU (RFC 5036 3.1): version, PDU length, LDP identifier, then one or
// more messages; and framing, which finds PDU boundaries in a TCP stream.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/message.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::ldp {

inline constexpr uint16_t kLdpVersion = 1;
inline constexpr std::size_t kPduHeaderSize = 10;     // version, length, LDP identifier
inline constexpr std::size_t kPduPrefixSize = 4;      // version and length: not counted by the length
inline constexpr uint16_t kMinPduLength = 14;         // LDP identifier + one message header (RFC 5036 3.5.1.2)
inline constexpr uint16_t kDefaultMaxPduLength = 4096;

struct DecodeContext {
    // The negotiated maximum (RFC 5036 3.5.3; 255 or less in the Initialization means 4096).
    uint16_t max_pdu_length = kDefaultMaxPduLength;
    // The peer's LDP identifier once a session exists; a PDU from another is Bad LDP Identifier.
    std::optional<LdpId> expected_peer;
};

struct PduHeader {
    uint16_t version = kLdpVersion;
    uint16_t length = 0;  // PDU Length field: bytes after it
    LdpId ldp_id;
    bool operator==(const PduHeader&) const = default;
};

// Looks at the start of a receive buffer. nullopt: fewer than 4 bytes, read
// more. A size: the next PDU is that many bytes in all (possibly not all
// buffered yet). An error: Bad Protocol Version or Bad PDU Length (both fatal).
Result<std::optional<std::size_t>, DecodeError> frame(std::span<const uint8_t> buffered, const DecodeContext& ctx);

// The complete PDUs at the start of a receive buffer (several may arrive in
// one read) and how many bytes they take; the rest waits for more data.
struct Framed {
    std::vector<std::span<const uint8_t>> pdus;
    std::size_t consumed = 0;
};
Result<Framed, DecodeError> split_pdus(std::span<const uint8_t> buffered, const DecodeContext& ctx);

// A decoded PDU. A non-fatal error in one message (Unknown TLV, Unknown Message
// Type, Missing Message Parameters, Unknown FEC, Unsupported Address Family)
// does not stop the others, so each message has its own outcome.
struct Pdu {
    PduHeader header;
    std::vector<Result<Message, DecodeError>> messages;
};

// bytes: exactly one PDU. Fails as a whole only with a fatal error (header,
// framing or any fatal message error), since the session ends there anyway.
Result<Pdu, DecodeError> decode_pdu(std::span<const uint8_t> bytes, const DecodeContext& ctx = {});
Result<PduHeader, DecodeError> decode_pdu_header(std::span<const uint8_t> bytes, const DecodeContext& ctx = {});

// One PDU holding all the messages (at least one); fails (and rolls w back)
// when it exceeds max_pdu_length bytes in all.
Status<EncodeError> encode_pdu(const LdpId& id, std::span<const Message> messages, ByteWriter& w,
                               std::size_t max_pdu_length = kDefaultMaxPduLength);
// As few PDUs as fit max_pdu_length, messages in order; fails when one message
// alone does not fit.
Result<std::vector<std::vector<uint8_t>>, EncodeError> pack_pdus(const LdpId& id, std::span<const Message> messages,
                                                                 std::size_t max_pdu_length = kDefaultMaxPduLength);

}  // namespace isthmus::ldp
