#include "ldp/session/negotiate.hpp"

#include <algorithm>

#include "ldp/codec/message.hpp"
#include "ldp/codec/pdu.hpp"

namespace isthmus::ldp::session {

namespace {

bool we_announce(const LocalSessionConfig& ours, CapabilityType t) {
    return std::find(ours.capabilities.begin(), ours.capabilities.end(), t) != ours.capabilities.end();
}

// ATM and Frame Relay Session Parameters only mean something on label-controlled
// ATM/FR links, which isthmus never runs on: they are not capabilities, so ignore them.
bool is_link_specific_session_param(uint16_t type) {
    return type == tlv_type::kAtmSessionParams || type == tlv_type::kFrameRelaySessionParams;
}

// RFC 5561 5: an unsupported capability with U = 1 is ignored silently; with U = 0 it is
// answered by Unsupported Capability (E = 0) returning those TLVs, and the session goes on.
std::vector<Notification> unsupported_notices(const std::vector<UnknownTlv>& unknown, uint32_t message_id,
                                              MessageType type) {
    std::vector<UnknownTlv> unsupported;
    for (const UnknownTlv& t : unknown)
        if (!t.u_bit && !is_link_specific_session_param(t.type)) unsupported.push_back(t);
    if (unsupported.empty()) return {};
    return {unsupported_capability(message_id, uint16_t(type), unsupported)};
}

void set_capability(NegotiatedSession& s, CapabilityType t, bool on) {
    switch (t) {
        case CapabilityType::DynamicAnnouncement: s.dynamic_announcement = on; break;
        case CapabilityType::TypedWildcardFec: s.typed_wildcard_fec = on; break;
        case CapabilityType::UnrecognizedNotification: s.unrecognized_notification = on; break;
    }
}

}  // namespace

CommonSessionParams local_session_params(const LocalSessionConfig& ours, const LdpId& peer) {
    CommonSessionParams p;
    p.protocol_version = kLdpVersion;
    p.keepalive_time = ours.keepalive_time;
    p.downstream_on_demand = false;
    p.loop_detection = false;
    p.path_vector_limit = 0;  // RFC 5036 3.5.3: must be 0 when D = 0
    p.max_pdu_length = ours.max_pdu_length;
    p.receiver = peer;
    return p;
}

Notification session_rejection(StatusCode code, uint32_t message_id) {
    Notification n;
    n.status = {code, is_fatal(code), false, message_id, uint16_t(MessageType::Initialization)};
    return n;
}

Negotiation negotiate(const LocalSessionConfig& ours, const Initialization& theirs, uint32_t message_id) {
    const CommonSessionParams& p = theirs.params;
    auto reject = [&](StatusCode code) { return Negotiation{err(session_rejection(code, message_id)), {}}; };

    // The Initialization must be for the label space we have adjacencies for; ours is
    // the only one, so a different receiver means "no matching Hello adjacency".
    if (p.receiver != ours.id) return reject(StatusCode::SessionRejectedNoHello);
    if (p.protocol_version != kLdpVersion) return reject(StatusCode::BadProtocolVersion);
    // The smaller proposal is used, so a zero would mean a session that times out at once.
    if (p.keepalive_time == 0) return reject(StatusCode::SessionRejectedBadKeepAliveTime);

    NegotiatedSession s;
    s.keepalive_time = Seconds(std::min(ours.keepalive_time, p.keepalive_time));
    s.max_pdu_length = session_max_pdu_length(ours.max_pdu_length, p.max_pdu_length);
    // RFC 5036 3.5.3: when the proposals differ, a session that is not for a label-controlled
    // ATM/FR link MUST use downstream unsolicited. DU is acceptable to us, so no rejection.
    s.peer_asked_downstream_on_demand = p.downstream_on_demand;
    s.downstream_on_demand = false;
    // Loop detection is per LSR (RFC 5036 2.8); ours is off, so the peer's D and PVLim only get recorded.
    s.loop_detection = false;
    s.peer_path_vector_limit = p.path_vector_limit;
    s.peer_ft = theirs.ft;

    // RFC 5561 5: a capability is in effect when both sides announce it. In an
    // Initialization the S bit should be 1; one sent with S = 0 announces nothing.
    for (const Capability& c : theirs.capabilities)
        if (c.state && we_announce(ours, c.type)) set_capability(s, c.type, true);

    return Negotiation{std::move(s), unsupported_notices(theirs.unknown, message_id, MessageType::Initialization)};
}

std::vector<Notification> apply_capability_message(const LocalSessionConfig& ours, NegotiatedSession& session,
                                                   const CapabilityMessage& m, uint32_t message_id) {
    for (const Capability& c : m.capabilities)
        if (c.type != CapabilityType::DynamicAnnouncement && we_announce(ours, c.type))
            set_capability(session, c.type, c.state);
    return unsupported_notices(m.unknown, message_id, MessageType::Capability);
}

}  // namespace isthmus::ldp::session
