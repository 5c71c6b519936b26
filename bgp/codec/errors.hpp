#pragma once
// Decode errors as values (STYLE 4): the NOTIFICATION code/subcode/data that
// RFC 4271 section 6 names, plus the RFC 7606 action the receiver must take.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/family.hpp"
#include "lib/byte_reader.hpp"

namespace isthmus::bgp {

// NOTIFICATION error codes (RFC 4271 4.5, RFC 7313).
enum class ErrorCode : uint8_t {
    MessageHeader = 1,
    OpenMessage = 2,
    UpdateMessage = 3,
    HoldTimerExpired = 4,
    FiniteStateMachine = 5,
    Cease = 6,
    RouteRefresh = 7,
};

namespace header_error {
inline constexpr uint8_t kConnectionNotSynchronized = 1;
inline constexpr uint8_t kBadMessageLength = 2;
inline constexpr uint8_t kBadMessageType = 3;
}  // namespace header_error

namespace open_error {
inline constexpr uint8_t kUnsupportedVersion = 1;
inline constexpr uint8_t kBadPeerAs = 2;
inline constexpr uint8_t kBadBgpIdentifier = 3;
inline constexpr uint8_t kUnsupportedOptionalParameter = 4;
inline constexpr uint8_t kUnacceptableHoldTime = 6;
inline constexpr uint8_t kUnsupportedCapability = 7;
}  // namespace open_error

namespace update_error {
inline constexpr uint8_t kMalformedAttributeList = 1;
inline constexpr uint8_t kUnrecognizedWellKnownAttribute = 2;
inline constexpr uint8_t kMissingWellKnownAttribute = 3;
inline constexpr uint8_t kAttributeFlagsError = 4;
inline constexpr uint8_t kAttributeLengthError = 5;
inline constexpr uint8_t kInvalidOrigin = 6;
inline constexpr uint8_t kInvalidNextHop = 8;
inline constexpr uint8_t kOptionalAttributeError = 9;
inline constexpr uint8_t kInvalidNetworkField = 10;
inline constexpr uint8_t kMalformedAsPath = 11;
}  // namespace update_error

namespace route_refresh_error {
inline constexpr uint8_t kInvalidMessageLength = 1;  // RFC 7313
}

namespace cease {
inline constexpr uint8_t kMaxPrefixes = 1;
inline constexpr uint8_t kAdministrativeShutdown = 2;
inline constexpr uint8_t kPeerDeconfigured = 3;
inline constexpr uint8_t kAdministrativeReset = 4;
inline constexpr uint8_t kConnectionRejected = 5;
inline constexpr uint8_t kOtherConfigurationChange = 6;
inline constexpr uint8_t kConnectionCollision = 7;
inline constexpr uint8_t kOutOfResources = 8;
inline constexpr uint8_t kHardReset = 9;  // RFC 8538
}  // namespace cease

// RFC 7606 section 2, least to most severe. The receiver applies the most severe
// action of all errors in a message.
enum class ErrorAction : uint8_t {
    AttributeDiscard = 1,  // drop the attribute, keep the routes
    TreatAsWithdraw = 2,   // every route in the UPDATE is withdrawn
    AfiSafiDisable = 3,    // drop all routes of that AFI/SAFI and ignore it until the session restarts
    SessionReset = 4,      // send a NOTIFICATION and close
};
const char* to_string(ErrorAction a);

struct DecodeError {
    ErrorCode code = ErrorCode::MessageHeader;
    uint8_t subcode = 0;
    std::vector<uint8_t> data;  // NOTIFICATION data, as RFC 4271 6 prescribes per error
    ErrorAction action = ErrorAction::SessionReset;
    std::optional<AfiSafi> afi_safi;  // the family to disable, for AfiSafiDisable
    std::size_t offset = 0;           // byte offset in the message where the problem was seen
    std::string reason;               // short text for logs

    std::string to_string() const;
    bool operator==(const DecodeError&) const = default;
};

// Builders used by the decoders.
DecodeError make_error(ErrorCode code, uint8_t subcode, ErrorAction action, std::size_t offset, std::string reason,
                       std::vector<uint8_t> data = {});
// A truncated read inside a message: the caller says which error that is at this nesting level.
DecodeError truncated(const ReadError& e, ErrorCode code, uint8_t subcode, ErrorAction action, std::string what);

// Encoding fails only when the message does not fit (or a value cannot be coded).
struct EncodeError {
    std::string reason;
    bool operator==(const EncodeError&) const = default;
};

}  // namespace isthmus::bgp
