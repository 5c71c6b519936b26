#pragma once
// The LDP session FSM of RFC 5036 2.5.4 as pure code: an event goes in, the
// actions to carry out come out. No sockets, no clocks: the session layer owns
// the TCP connection and the timers, runs negotiate() on a received
// Initialization and feeds the outcome back as an event.
//
// One Fsm per peer LDP identifier, created while discovery says a session is
// needed. It also carries the active LSR's initialization backoff (RFC 5036
// 2.5.3), so the delay grows across attempts of the same peer.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "ldp/codec/notification.hpp"
#include "ldp/session/negotiate.hpp"
#include "lib/fsm_timer.hpp"
#include "lib/ip_address.hpp"

namespace isthmus::ldp::session {

enum class State { non_existent, initialized, open_rec, open_sent, operational };
std::string_view to_string(State s);

// RFC 5036 2.5.2: the LSR with the higher transport address opens the TCP connection.
enum class Role { active, passive };
Role role_for(Ipv4Address our_transport, Ipv4Address peer_transport);

enum class Timer {
    keepalive,     // ours: send a KeepAlive when it fires
    session_hold,  // the peer's: RFC 5036 2.5.6 "KeepAlive timer", restarted by every PDU received
    backoff,       // RFC 5036 2.5.3: the active LSR's wait before the next attempt
};
std::string_view to_string(Timer t);

enum class EventType {
    start,                   // a session to this peer is needed (discovery)
    tcp_connected,           // active: our connection to the peer's transport address is up
    tcp_connect_failed,      // active: it could not be opened
    tcp_accepted,            // passive: the peer's connection arrived
    init_received,           // carries the negotiation outcome
    keepalive_received,
    message_received,        // any other message but Notification (Address, Label ..., Capability)
    notification_received,   // carries the Status TLV (fatal = E bit)
    keepalive_timer_expired,
    session_hold_expired,
    backoff_expired,
    tcp_closed,              // by the peer or a transport error
    admin_shutdown,          // no longer needed, or the operator said so
};
std::string_view to_string(EventType e);

struct Event {
    EventType type;
    std::optional<Negotiation> negotiation;  // init_received
    StatusTlv status;                        // notification_received

    static Event of(EventType t) { return {t, std::nullopt, {}}; }
    static Event init(Negotiation n) { return {EventType::init_received, std::move(n), {}}; }
    static Event notification(StatusTlv s) { return {EventType::notification_received, std::nullopt, s}; }
};

// Actions, carried out in order by the session layer.
using StartTimer = StartTimerAction<Timer>;
using StopTimer = StopTimerAction<Timer>;
struct InitiateConnection {
    bool operator==(const InitiateConnection&) const = default;
};
struct CloseConnection {
    bool operator==(const CloseConnection&) const = default;
};
struct SendInitialization {  // built from LocalSessionConfig by local_session_params()
    bool operator==(const SendInitialization&) const = default;
};
struct SendKeepAlive {
    bool operator==(const SendKeepAlive&) const = default;
};
struct SendNotification {
    Notification notification;
    bool operator==(const SendNotification&) const = default;
};
// OPERATIONAL reached: label distribution may start with these parameters.
struct SessionUp {
    NegotiatedSession session;
    bool operator==(const SessionUp&) const = default;
};
// OPERATIONAL left: forget the peer's labels and addresses.
struct SessionDown {
    bool operator==(const SessionDown&) const = default;
};
using Action = std::variant<StartTimer, StopTimer, InitiateConnection, CloseConnection, SendInitialization,
                            SendKeepAlive, SendNotification, SessionUp, SessionDown>;

struct Settings {
    Role role = Role::passive;
    // Session hold time from the TCP connection until an Initialization has been accepted
    // (FRR ldpd uses 15 s too); afterwards it is the negotiated KeepAlive time.
    Seconds init_timeout{15};
    // RFC 5036 2.5.3: exponential, starting at no less than 15 s, growing to no less than 2 minutes.
    Seconds backoff_initial{15};
    Seconds backoff_max{120};
    uint32_t keepalives_per_period = 3;  // KeepAlives sent per negotiated KeepAlive time
};

class Fsm {
public:
    explicit Fsm(Settings s) : settings_(s) {}

    State state() const { return state_; }
    Role role() const { return settings_.role; }
    // Failed attempts since the last OPERATIONAL session (or start).
    uint32_t failed_attempts() const { return failed_attempts_; }
    // The delay the next failure would wait (for display).
    Seconds next_backoff() const { return backoff_for(failed_attempts_ + 1); }
    const std::optional<NegotiatedSession>& negotiated() const { return negotiated_; }

    std::vector<Action> handle(const Event& e);

    // initial * 2^(n-1), capped: the wait after the n-th consecutive failure.
    Seconds backoff_for(uint32_t n) const;

private:
    using Actions = std::vector<Action>;
    void on_non_existent(const Event& e, Actions& out);
    void on_initialized(const Event& e, Actions& out);
    void on_open_sent(const Event& e, Actions& out);
    void on_open_rec(const Event& e, Actions& out);
    void on_operational(const Event& e, Actions& out);
    // Events every state with a connection treats alike; true when handled.
    bool on_connected_common(const Event& e, Actions& out);

    void accept_init(const Negotiation& n, Actions& out, bool send_init);
    Seconds keepalive_interval() const;
    void restart_hold(Actions& out);
    // Back to NON EXISTENT: optional Notification, timers stopped, connection closed,
    // SessionDown if it was up; the active LSR then waits its backoff before retrying.
    void close(std::optional<Notification> n, Actions& out, bool admin = false, bool connection_open = true);
    void fail_with(StatusCode code, Actions& out);

    Settings settings_;
    State state_ = State::non_existent;
    bool started_ = false;
    uint32_t failed_attempts_ = 0;
    std::optional<NegotiatedSession> negotiated_;
};

}  // namespace isthmus::ldp::session
