#include "ldp/codec/errors.hpp"

#include <cstdio>

namespace isthmus::ldp {

bool is_fatal(StatusCode code) {
    switch (code) {
    case StatusCode::BadLdpIdentifier:
    case StatusCode::BadProtocolVersion:
    case StatusCode::BadPduLength:
    case StatusCode::BadMessageLength:
    case StatusCode::BadTlvLength:
    case StatusCode::MalformedTlvValue:
    case StatusCode::HoldTimerExpired:
    case StatusCode::Shutdown:
    case StatusCode::SessionRejectedNoHello:
    case StatusCode::SessionRejectedAdvertisementMode:
    case StatusCode::SessionRejectedMaxPduLength:
    case StatusCode::SessionRejectedLabelRange:
    case StatusCode::KeepAliveTimerExpired:
    case StatusCode::SessionRejectedBadKeepAliveTime:
    case StatusCode::InternalError:
    case StatusCode::TransportConnectionMismatch:
    case StatusCode::DualStackNoncompliance:
        return true;
    default:
        return false;
    }
}

std::string to_string(StatusCode code) {
    switch (code) {
    case StatusCode::Success: return "Success";
    case StatusCode::BadLdpIdentifier: return "Bad LDP Identifier";
    case StatusCode::BadProtocolVersion: return "Bad Protocol Version";
    case StatusCode::BadPduLength: return "Bad PDU Length";
    case StatusCode::UnknownMessageType: return "Unknown Message Type";
    case StatusCode::BadMessageLength: return "Bad Message Length";
    case StatusCode::UnknownTlv: return "Unknown TLV";
    case StatusCode::BadTlvLength: return "Bad TLV Length";
    case StatusCode::MalformedTlvValue: return "Malformed TLV Value";
    case StatusCode::HoldTimerExpired: return "Hold Timer Expired";
    case StatusCode::Shutdown: return "Shutdown";
    case StatusCode::LoopDetected: return "Loop Detected";
    case StatusCode::UnknownFec: return "Unknown FEC";
    case StatusCode::NoRoute: return "No Route";
    case StatusCode::NoLabelResources: return "No Label Resources";
    case StatusCode::LabelResourcesAvailable: return "Label Resources Available";
    case StatusCode::SessionRejectedNoHello: return "Session Rejected/No Hello";
    case StatusCode::SessionRejectedAdvertisementMode: return "Session Rejected/Parameters Advertisement Mode";
    case StatusCode::SessionRejectedMaxPduLength: return "Session Rejected/Parameters Max PDU Length";
    case StatusCode::SessionRejectedLabelRange: return "Session Rejected/Parameters Label Range";
    case StatusCode::KeepAliveTimerExpired: return "KeepAlive Timer Expired";
    case StatusCode::LabelRequestAborted: return "Label Request Aborted";
    case StatusCode::MissingMessageParameters: return "Missing Message Parameters";
    case StatusCode::UnsupportedAddressFamily: return "Unsupported Address Family";
    case StatusCode::SessionRejectedBadKeepAliveTime: return "Session Rejected/Bad KeepAlive Time";
    case StatusCode::InternalError: return "Internal Error";
    case StatusCode::UnsupportedCapability: return "Unsupported Capability";
    case StatusCode::EndOfLib: return "End-of-LIB";
    case StatusCode::TransportConnectionMismatch: return "Transport Connection Mismatch";
    case StatusCode::DualStackNoncompliance: return "Dual-Stack Noncompliance";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "status 0x%08x", unsigned(code));
    return buf;
}

std::string DecodeError::to_string() const {
    return ldp::to_string(status) + (fatal ? " (fatal)" : "") + " at byte " + std::to_string(offset) + ": " + detail;
}

DecodeError decode_error(StatusCode status, std::size_t offset, std::string detail) {
    DecodeError e;
    e.status = status;
    e.fatal = is_fatal(status);
    e.offset = offset;
    e.detail = std::move(detail);
    return e;
}

}  // namespace isthmus::ldp
