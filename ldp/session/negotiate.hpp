#pragma once
// Session parameter negotiation (RFC 5036 3.5.3, RFC 5561 5) as a pure
// function: our configuration and the peer's Initialization in, the session's
// parameters or the Notification that rejects it out. The FSM takes the
// outcome as the payload of its "Initialization received" event.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/codec/capabilities.hpp"
#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/notification.hpp"
#include "ldp/codec/session_params.hpp"
#include "lib/result.hpp"

namespace isthmus::ldp::session {

using Seconds = std::chrono::seconds;

// What we propose in our own Initialization.
struct LocalSessionConfig {
    LdpId id;                        // ours: the peer must name it as the receiver
    uint16_t keepalive_time = 180;   // seconds; 180 is what FRR ldpd and most LSRs propose
    uint16_t max_pdu_length = 4096;  // 255 or less means 4096
    // Capabilities we announce (RFC 5561); each is used only when the peer announces it too.
    std::vector<CapabilityType> capabilities{CapabilityType::DynamicAnnouncement, CapabilityType::TypedWildcardFec,
                                             CapabilityType::UnrecognizedNotification};
};

// Our Initialization's Common Session Parameters for a peer (receiver = the peer's LDP id).
// isthmus proposes downstream unsolicited with loop detection off (so PVLim 0).
CommonSessionParams local_session_params(const LocalSessionConfig& ours, const LdpId& peer);

struct NegotiatedSession {
    Seconds keepalive_time{180};  // the smaller proposal
    uint16_t max_pdu_length = 4096;
    bool downstream_on_demand = false;  // always false: isthmus runs only on non-ATM/FR links
    bool loop_detection = false;        // off: isthmus does not do path-vector loop detection
    uint8_t peer_path_vector_limit = 0; // as proposed (ignored with loop detection off)
    bool peer_asked_downstream_on_demand = false;
    bool dynamic_announcement = false;       // RFC 5561: Capability messages may be sent
    bool typed_wildcard_fec = false;         // RFC 5918
    bool unrecognized_notification = false;  // RFC 5919
    std::optional<FtSessionParams> peer_ft;  // recorded; graceful restart comes later
    bool operator==(const NegotiatedSession&) const = default;
};

struct Negotiation {
    // The session's parameters, or the fatal Notification to send before closing.
    Result<NegotiatedSession, Notification> outcome;
    // Non-fatal Notifications to send first either way (Unsupported Capability).
    std::vector<Notification> notices;

    bool acceptable() const { return outcome.ok(); }
};

// RFC 5036 3.5.3 (Common Session Parameters), 2.5.3 (acceptability) and RFC 5561 5
// (capability parameters) for a received Initialization with message id message_id.
Negotiation negotiate(const LocalSessionConfig& ours, const Initialization& theirs, uint32_t message_id);

// RFC 5561 6: a Capability message on an OPERATIONAL session turns the capabilities we also
// announce on (S = 1) or off (S = 0) in `session`. Unknown ones are treated as in an Initialization
// (U = 1 ignored, U = 0 answered by the returned Unsupported Capability). Dynamic Announcement itself
// is fixed at initialization and not changed here.
std::vector<Notification> apply_capability_message(const LocalSessionConfig& ours, NegotiatedSession& session,
                                                   const CapabilityMessage& m, uint32_t message_id);

// The Notification a rejection carries: the code with its RFC 5036 E bit, naming the Initialization.
Notification session_rejection(StatusCode code, uint32_t message_id);

}  // namespace isthmus::ldp::session
