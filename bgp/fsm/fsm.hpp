#pragma once
// The BGP finite state machine of RFC 4271 section 8 as pure code: an event
// goes in, the next state and the actions to carry out come out. No sockets,
// no clocks: the session layer owns the connection and the timers, applies
// jitter (RFC 4271 10) and feeds events back. Optional session attributes
// supported: AllowAutomaticStart/Stop, DampPeerOscillations (idle hold-down
// with exponential backoff) and CollisionDetectEstablishedState (through
// open_collision_dump, decided by the session layer that sees both connections).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "bgp/codec/notification.hpp"
#include "lib/fsm_timer.hpp"

namespace isthmus::bgp::fsm {

using Seconds = std::chrono::seconds;

enum class State { idle, connect, active, open_sent, open_confirm, established };
std::string_view to_string(State s);

enum class Timer { connect_retry, hold, keepalive, idle_hold, stable };
std::string_view to_string(Timer t);

// RFC 4271 8.1 events (numbers in the comments); 16 and 17 are one event here
// since the FSM treats them alike, and 14/15 (connection validity) stay in
// the session layer, which only reports connections it accepted.
enum class EventType {
    manual_start,              // 1
    manual_stop,               // 2 (may carry an RFC 9003 shutdown message)
    automatic_start,           // 3
    manual_start_passive,      // 4
    automatic_start_passive,   // 5
    automatic_stop,            // 8 (carries the Cease to send: max prefixes, deconfigured, ...)
    connect_retry_expired,     // 9
    hold_expired,              // 10
    keepalive_expired,         // 11
    idle_hold_expired,         // 13
    stable_expired,            // session stayed up long enough to forget past flaps
    tcp_connection_confirmed,  // 16, 17
    tcp_connection_fails,      // 18
    bgp_open,                  // 19 (an acceptable OPEN; carries the negotiated hold time)
    bgp_header_err,            // 21 (carries the NOTIFICATION to send)
    bgp_open_msg_err,          // 22 (carries the NOTIFICATION to send)
    open_collision_dump,       // 23
    notif_msg_ver_err,         // 24
    notif_msg,                 // 25
    keepalive_msg,             // 26
    update_msg,                // 27
    update_msg_err,            // 28 (carries the NOTIFICATION to send)
};
std::string_view to_string(EventType e);

struct Event {
    EventType type;
    std::optional<Notification> notification;  // what to send, for the events that say so
    Seconds negotiated_hold{0};                // bgp_open only: min(ours, theirs), 0 = no keepalives
};

// Actions, carried out in order by the session layer.
using StartTimer = StartTimerAction<Timer>;
using StopTimer = StopTimerAction<Timer>;
struct InitiateConnection {
    bool operator==(const InitiateConnection&) const = default;
};
struct DropConnection {
    bool operator==(const DropConnection&) const = default;
};
struct SendOpen {
    bool operator==(const SendOpen&) const = default;
};
struct SendKeepalive {
    bool operator==(const SendKeepalive&) const = default;
};
struct SendNotification {
    Notification notification;
    bool operator==(const SendNotification&) const = default;
};
// Established: hand the session to the RIB. Left Established: withdraw the peer's routes.
struct SessionUp {
    bool operator==(const SessionUp&) const = default;
};
struct SessionDown {
    bool operator==(const SessionDown&) const = default;
};
using Action = std::variant<StartTimer, StopTimer, InitiateConnection, DropConnection, SendOpen, SendKeepalive,
                            SendNotification, SessionUp, SessionDown>;

struct Settings {
    Seconds connect_retry{120};  // RFC 4271 10 suggested value
    Seconds hold{90};
    Seconds keepalive{30};       // used as min(this, negotiated hold / 3)
    Seconds open_hold{240};      // "large value" for the hold timer while waiting for an OPEN (8.2.2)
    bool passive = false;        // never initiate connections
    bool allow_automatic_start = true;
    Seconds idle_hold{1};        // first idle hold-down after an error; doubles per consecutive error
    Seconds idle_hold_max{120};
    Seconds stable{180};         // Established this long resets the backoff
};

class Fsm {
public:
    explicit Fsm(Settings s) : settings_(s) {}

    State state() const { return state_; }
    uint32_t connect_retry_counter() const { return connect_retry_counter_; }
    Seconds negotiated_hold() const { return negotiated_hold_; }
    // The idle hold-down the next error would start (for display).
    Seconds next_idle_hold() const;
    const Settings& settings() const { return settings_; }

    std::vector<Action> handle(const Event& e);

private:
    using Actions = std::vector<Action>;
    bool on_common(const Event& e, Actions& out);
    void on_idle(const Event& e, Actions& out);
    void on_connect(const Event& e, Actions& out);
    void on_active(const Event& e, Actions& out);
    void on_open_sent(const Event& e, Actions& out);
    void on_open_confirm(const Event& e, Actions& out);
    void on_established(const Event& e, Actions& out);

    void start(bool passive, Actions& out);
    Seconds keepalive_interval() const;
    void send_keepalive(Actions& out);
    void restart_hold(Actions& out);  // on KEEPALIVE/UPDATE, unless hold time 0
    void send_open(Actions& out);
    void accept_open(const Event& e, Actions& out);
    // Leave for Idle: stop timers, drop the connection, count the failure and
    // schedule the automatic restart after the idle hold-down.
    void to_idle(Actions& out, bool count_failure);
    void to_idle_with(const Notification& n, Actions& out, bool count_failure);
    void fsm_error(EventType e, Actions& out);
    // ManualStop: a Cease (with the event's RFC 9003 message) once an OPEN went out.
    void manual_stop(const Event& e, Actions& out, bool open_sent);

    Settings settings_;
    State state_ = State::idle;
    uint32_t connect_retry_counter_ = 0;
    Seconds negotiated_hold_{0};
    uint32_t flaps_ = 0;                 // consecutive failures, for the idle hold-down backoff
    bool stopped_by_operator_ = false;  // ManualStop: no automatic restart until ManualStart
};

}  // namespace isthmus::bgp::fsm
