#pragma once
// Decode errors as values (STYLE 4): the RFC 5036 status code the receiver
// sends back in a Notification, and whether that error is fatal to the
// session (the E bit, RFC 5036 3.5.1.1 and the table in 3.9).
#include <cstddef>
#include <cstdint>
#include <string>

namespace isthmus::ldp {

// Status codes (RFC 5036 3.9, RFC 5561, RFC 5919, RFC 7552): the 30-bit code
// without the E and F bits. Values outside the list are still representable.
enum class StatusCode : uint32_t {
    Success = 0x00,
    BadLdpIdentifier = 0x01,
    BadProtocolVersion = 0x02,
    BadPduLength = 0x03,
    UnknownMessageType = 0x04,
    BadMessageLength = 0x05,
    UnknownTlv = 0x06,
    BadTlvLength = 0x07,
    MalformedTlvValue = 0x08,
    HoldTimerExpired = 0x09,
    Shutdown = 0x0A,
    LoopDetected = 0x0B,
    UnknownFec = 0x0C,
    NoRoute = 0x0D,
    NoLabelResources = 0x0E,
    LabelResourcesAvailable = 0x0F,
    SessionRejectedNoHello = 0x10,
    SessionRejectedAdvertisementMode = 0x11,
    SessionRejectedMaxPduLength = 0x12,
    SessionRejectedLabelRange = 0x13,
    KeepAliveTimerExpired = 0x14,
    LabelRequestAborted = 0x15,
    MissingMessageParameters = 0x16,
    UnsupportedAddressFamily = 0x17,
    SessionRejectedBadKeepAliveTime = 0x18,
    InternalError = 0x19,
    UnsupportedCapability = 0x2E,         // RFC 5561
    EndOfLib = 0x2F,                      // RFC 5919
    TransportConnectionMismatch = 0x32,   // RFC 7552
    DualStackNoncompliance = 0x33,        // RFC 7552
};

// True for the codes RFC 5036 marks with E=1 (the session is closed after sending).
bool is_fatal(StatusCode code);
// "Bad PDU Length"; "status 0x..." for codes not in the list.
std::string to_string(StatusCode code);

struct DecodeError {
    StatusCode status = StatusCode::InternalError;
    bool fatal = true;        // send with the E bit and close the session
    std::size_t offset = 0;   // of the offending field, from the start of the decoded buffer
    std::string detail;
    // The message at fault, for the Status TLV's message id/type (0 when the PDU header failed).
    uint32_t message_id = 0;
    uint16_t message_type = 0;

    std::string to_string() const;
    bool operator==(const DecodeError&) const = default;
};

// An error with the fatality RFC 5036 gives the status code.
DecodeError decode_error(StatusCode status, std::size_t offset, std::string detail);

struct EncodeError {
    std::string detail;
    bool operator==(const EncodeError&) const = default;
};

}  // namespace isthmus::ldp
