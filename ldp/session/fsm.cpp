#include "ldp/session/fsm.hpp"

#include <algorithm>

namespace isthmus::ldp::session {

namespace {

Notification status_notification(StatusCode code) {
    Notification n;
    n.status = {code, is_fatal(code), false, 0, 0};
    return n;
}

}  // namespace

std::string_view to_string(State s) {
    switch (s) {
        case State::non_existent: return "NON EXISTENT";
        case State::initialized: return "INITIALIZED";
        case State::open_rec: return "OPENREC";
        case State::open_sent: return "OPENSENT";
        case State::operational: return "OPERATIONAL";
    }
    return "?";
}

std::string_view to_string(Timer t) {
    switch (t) {
        case Timer::keepalive: return "KeepAliveTimer";
        case Timer::session_hold: return "SessionHoldTimer";
        case Timer::backoff: return "InitBackoffTimer";
    }
    return "?";
}

std::string_view to_string(EventType e) {
    switch (e) {
        case EventType::start: return "Start";
        case EventType::tcp_connected: return "TcpConnected";
        case EventType::tcp_connect_failed: return "TcpConnectFailed";
        case EventType::tcp_accepted: return "TcpAccepted";
        case EventType::init_received: return "InitReceived";
        case EventType::keepalive_received: return "KeepAliveReceived";
        case EventType::message_received: return "MessageReceived";
        case EventType::notification_received: return "NotificationReceived";
        case EventType::keepalive_timer_expired: return "KeepAliveTimerExpired";
        case EventType::session_hold_expired: return "SessionHoldTimerExpired";
        case EventType::backoff_expired: return "BackoffTimerExpired";
        case EventType::tcp_closed: return "TcpClosed";
        case EventType::admin_shutdown: return "AdminShutdown";
    }
    return "?";
}

Role role_for(Ipv4Address our_transport, Ipv4Address peer_transport) {
    // RFC 5036 2.5.2: compared as unsigned integers, the higher one is active.
    return our_transport.to_uint() > peer_transport.to_uint() ? Role::active : Role::passive;
}

Seconds Fsm::backoff_for(uint32_t n) const {
    Seconds t = settings_.backoff_initial;
    for (uint32_t i = 1; i < n && t < settings_.backoff_max; ++i) t *= 2;
    return std::min(t, settings_.backoff_max);
}

Seconds Fsm::keepalive_interval() const {
    Seconds ka = negotiated_ ? negotiated_->keepalive_time : settings_.init_timeout;
    return std::max(Seconds(1), ka / std::max<uint32_t>(1, settings_.keepalives_per_period));
}

void Fsm::restart_hold(Actions& out) {
    out.push_back(StartTimer{Timer::session_hold, negotiated_ ? negotiated_->keepalive_time : settings_.init_timeout});
}

std::vector<Action> Fsm::handle(const Event& e) {
    Actions out;
    switch (state_) {
        case State::non_existent: on_non_existent(e, out); break;
        case State::initialized: on_initialized(e, out); break;
        case State::open_sent: on_open_sent(e, out); break;
        case State::open_rec: on_open_rec(e, out); break;
        case State::operational: on_operational(e, out); break;
    }
    return out;
}

void Fsm::close(std::optional<Notification> n, Actions& out, bool admin, bool connection_open) {
    bool was_up = state_ == State::operational;
    if (n) out.push_back(SendNotification{std::move(*n)});
    out.push_back(StopTimer{Timer::keepalive});
    out.push_back(StopTimer{Timer::session_hold});
    if (connection_open) out.push_back(CloseConnection{});
    if (was_up) out.push_back(SessionDown{});
    state_ = State::non_existent;
    negotiated_.reset();
    if (admin) {
        started_ = false;
        return;
    }
    // RFC 5036 2.5.3: the active LSR throttles its attempts. Losing an OPERATIONAL session counts
    // as the first failure (the count was reset when it came up), so even then it waits one step.
    if (settings_.role == Role::active) {
        ++failed_attempts_;
        out.push_back(StartTimer{Timer::backoff, backoff_for(failed_attempts_)});
    }
}

void Fsm::fail_with(StatusCode code, Actions& out) { close(status_notification(code), out); }

// Notification, hold timer, TCP loss and shutdown: alike in every state with a connection.
bool Fsm::on_connected_common(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::notification_received:
            // RFC 5036 3.5.1.1: after a fatal error both ends close; a non-fatal one is advisory.
            if (e.status.fatal) {
                close(std::nullopt, out);
            } else if (state_ == State::operational || state_ == State::open_rec) {
                restart_hold(out);
            }
            return true;
        case EventType::session_hold_expired:
            // RFC 5036 2.5.6: no PDU within the KeepAlive time.
            fail_with(StatusCode::KeepAliveTimerExpired, out);
            return true;
        case EventType::tcp_closed: close(std::nullopt, out, false, false); return true;
        case EventType::admin_shutdown:
            close(status_notification(StatusCode::Shutdown), out, true);
            return true;
        case EventType::start:
        case EventType::backoff_expired:
        case EventType::tcp_connected:
        case EventType::tcp_connect_failed:
        case EventType::tcp_accepted:
            // A second connection is refused by the session layer; these change nothing here.
            return true;
        default: return false;
    }
}

void Fsm::accept_init(const Negotiation& n, Actions& out, bool send_init) {
    for (const Notification& notice : n.notices) out.push_back(SendNotification{notice});
    negotiated_ = n.outcome.value();
    if (send_init) out.push_back(SendInitialization{});
    out.push_back(SendKeepAlive{});
    out.push_back(StartTimer{Timer::keepalive, keepalive_interval()});
    restart_hold(out);
    state_ = State::open_rec;
}

// RFC 5036 2.5.4, NON EXISTENT: no connection yet.
void Fsm::on_non_existent(const Event& e, Actions& out) {
    bool active = settings_.role == Role::active;
    switch (e.type) {
        case EventType::start:
            if (started_) break;
            started_ = true;
            if (active) out.push_back(InitiateConnection{});
            break;
        case EventType::backoff_expired:
            if (started_ && active) out.push_back(InitiateConnection{});
            break;
        case EventType::tcp_connected:
            if (!active || !started_) {
                out.push_back(CloseConnection{});
                break;
            }
            // INITIALIZED, then at once "Tx Init" to OPENSENT: the active LSR speaks first.
            out.push_back(SendInitialization{});
            out.push_back(StartTimer{Timer::session_hold, settings_.init_timeout});
            state_ = State::open_sent;
            break;
        case EventType::tcp_connect_failed:
            if (!active || !started_) break;
            ++failed_attempts_;
            out.push_back(StartTimer{Timer::backoff, backoff_for(failed_attempts_)});
            break;
        case EventType::tcp_accepted:
            // RFC 5036 2.5.2: only the active LSR connects; refuse the passive role's peer.
            if (active || !started_) {
                out.push_back(CloseConnection{});
                break;
            }
            out.push_back(StartTimer{Timer::session_hold, settings_.init_timeout});
            state_ = State::initialized;
            break;
        case EventType::admin_shutdown:
            started_ = false;
            out.push_back(StopTimer{Timer::backoff});
            break;
        default: break;  // no connection: messages and timers are stale
    }
}

// RFC 5036 2.5.4, INITIALIZED: the passive LSR waits for the peer's Initialization.
void Fsm::on_initialized(const Event& e, Actions& out) {
    if (on_connected_common(e, out)) return;
    switch (e.type) {
        case EventType::init_received:
            if (e.negotiation && e.negotiation->acceptable()) {
                accept_init(*e.negotiation, out, true);  // Tx Init and KeepAlive
            } else if (e.negotiation) {
                for (const Notification& notice : e.negotiation->notices) out.push_back(SendNotification{notice});
                close(e.negotiation->outcome.error(), out);
            }
            break;
        case EventType::keepalive_timer_expired: break;
        default: fail_with(StatusCode::Shutdown, out); break;  // any other message: error, close
    }
}

// RFC 5036 2.5.4, OPENSENT: the active LSR sent its Initialization and waits for the peer's.
void Fsm::on_open_sent(const Event& e, Actions& out) {
    if (on_connected_common(e, out)) return;
    switch (e.type) {
        case EventType::init_received:
            if (e.negotiation && e.negotiation->acceptable()) {
                accept_init(*e.negotiation, out, false);  // Tx KeepAlive
            } else if (e.negotiation) {
                for (const Notification& notice : e.negotiation->notices) out.push_back(SendNotification{notice});
                close(e.negotiation->outcome.error(), out);
            }
            break;
        case EventType::keepalive_timer_expired: break;
        default: fail_with(StatusCode::Shutdown, out); break;
    }
}

// RFC 5036 2.5.4, OPENREC: Initializations exchanged, waiting for the peer's KeepAlive.
void Fsm::on_open_rec(const Event& e, Actions& out) {
    if (on_connected_common(e, out)) return;
    switch (e.type) {
        case EventType::keepalive_received:
            restart_hold(out);
            out.push_back(SessionUp{*negotiated_});
            failed_attempts_ = 0;
            state_ = State::operational;
            break;
        case EventType::keepalive_timer_expired:
            out.push_back(SendKeepAlive{});
            out.push_back(StartTimer{Timer::keepalive, keepalive_interval()});
            break;
        default: fail_with(StatusCode::Shutdown, out); break;  // Init again or a label message
    }
}

// RFC 5036 2.5.4, OPERATIONAL.
void Fsm::on_operational(const Event& e, Actions& out) {
    if (on_connected_common(e, out)) return;
    switch (e.type) {
        case EventType::keepalive_received:
        case EventType::message_received: restart_hold(out); break;
        case EventType::keepalive_timer_expired:
            out.push_back(SendKeepAlive{});
            out.push_back(StartTimer{Timer::keepalive, keepalive_interval()});
            break;
        default: fail_with(StatusCode::Shutdown, out); break;  // a second Initialization
    }
}

}  // namespace isthmus::ldp::session
