#pragma once
// NOTIFICATION (RFC 4271 4.5) and the shutdown communication of RFC 9003.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/codec/errors.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

inline constexpr std::size_t kMaxShutdownCommunication = 255;

struct Notification {
    uint8_t code = 0;
    uint8_t subcode = 0;
    std::vector<uint8_t> data;

    // RFC 9003: Cease / Administrative Shutdown or Reset may carry a UTF-8 message.
    // nullopt when there is none or it is malformed (bad length, invalid UTF-8),
    // which RFC 9003 says to ignore rather than treat as an error.
    std::optional<std::string> shutdown_communication() const;
    bool operator==(const Notification&) const = default;
};

// The NOTIFICATION we send for a decode error.
Notification to_notification(const DecodeError& e);
// Cease with a shutdown communication; text is cut to 255 bytes at a UTF-8 boundary.
Notification make_shutdown(uint8_t cease_subcode, std::string_view text);

bool is_valid_utf8(std::string_view s);

// body: the message after the header. Never fails except when shorter than 2 bytes.
Result<Notification, DecodeError> decode_notification(ByteReader body);
Status<EncodeError> encode(const Notification& n, ByteWriter& w, std::size_t max_size);

}  // namespace isthmus::bgp
