#include "bgp/fsm/fsm.hpp"

#include <algorithm>

namespace isthmus::bgp::fsm {

namespace {

Notification cease(uint8_t subcode) { return {uint8_t(ErrorCode::Cease), subcode, {}}; }

// RFC 6608 subcodes: which state received an unexpected message; 0 for anything else.
uint8_t fsm_error_subcode(State s, EventType e) {
    bool message = e == EventType::bgp_open || e == EventType::keepalive_msg || e == EventType::update_msg ||
                   e == EventType::notif_msg;
    if (!message) return 0;
    switch (s) {
        case State::open_sent: return 1;
        case State::open_confirm: return 2;
        case State::established: return 3;
        default: return 0;
    }
}

}  // namespace

std::string_view to_string(State s) {
    switch (s) {
        case State::idle: return "Idle";
        case State::connect: return "Connect";
        case State::active: return "Active";
        case State::open_sent: return "OpenSent";
        case State::open_confirm: return "OpenConfirm";
        case State::established: return "Established";
    }
    return "?";
}

std::string_view to_string(Timer t) {
    switch (t) {
        case Timer::connect_retry: return "ConnectRetryTimer";
        case Timer::hold: return "HoldTimer";
        case Timer::keepalive: return "KeepaliveTimer";
        case Timer::idle_hold: return "IdleHoldTimer";
        case Timer::stable: return "StableTimer";
    }
    return "?";
}

std::string_view to_string(EventType e) {
    switch (e) {
        case EventType::manual_start: return "ManualStart";
        case EventType::manual_stop: return "ManualStop";
        case EventType::automatic_start: return "AutomaticStart";
        case EventType::manual_start_passive: return "ManualStart_with_PassiveTcpEstablishment";
        case EventType::automatic_start_passive: return "AutomaticStart_with_PassiveTcpEstablishment";
        case EventType::automatic_stop: return "AutomaticStop";
        case EventType::connect_retry_expired: return "ConnectRetryTimer_Expires";
        case EventType::hold_expired: return "HoldTimer_Expires";
        case EventType::keepalive_expired: return "KeepaliveTimer_Expires";
        case EventType::idle_hold_expired: return "IdleHoldTimer_Expires";
        case EventType::stable_expired: return "StableTimer_Expires";
        case EventType::tcp_connection_confirmed: return "TcpConnectionConfirmed";
        case EventType::tcp_connection_fails: return "TcpConnectionFails";
        case EventType::bgp_open: return "BGPOpen";
        case EventType::bgp_header_err: return "BGPHeaderErr";
        case EventType::bgp_open_msg_err: return "BGPOpenMsgErr";
        case EventType::open_collision_dump: return "OpenCollisionDump";
        case EventType::notif_msg_ver_err: return "NotifMsgVerErr";
        case EventType::notif_msg: return "NotifMsg";
        case EventType::keepalive_msg: return "KeepAliveMsg";
        case EventType::update_msg: return "UpdateMsg";
        case EventType::update_msg_err: return "UpdateMsgErr";
    }
    return "?";
}

Seconds Fsm::next_idle_hold() const {
    // Doubles per consecutive failure (DampPeerOscillations), capped.
    Seconds t = settings_.idle_hold;
    for (uint32_t i = 1; i < flaps_ && t < settings_.idle_hold_max; ++i) t *= 2;
    return std::min(t, settings_.idle_hold_max);
}

std::vector<Action> Fsm::handle(const Event& e) {
    Actions out;
    if (state_ != State::idle && on_common(e, out)) return out;
    switch (state_) {
        case State::idle: on_idle(e, out); break;
        case State::connect: on_connect(e, out); break;
        case State::active: on_active(e, out); break;
        case State::open_sent: on_open_sent(e, out); break;
        case State::open_confirm: on_open_confirm(e, out); break;
        case State::established: on_established(e, out); break;
    }
    return out;
}

void Fsm::start(bool passive, Actions& out) {
    connect_retry_counter_ = 0;
    out.push_back(StopTimer{Timer::idle_hold});
    out.push_back(StartTimer{Timer::connect_retry, settings_.connect_retry});
    if (passive) {
        state_ = State::active;
    } else {
        out.push_back(InitiateConnection{});
        state_ = State::connect;
    }
}

Seconds Fsm::keepalive_interval() const {
    // A third of the hold time (RFC 4271 10), or the configured interval if shorter.
    return std::max(Seconds(1), std::min(settings_.keepalive, negotiated_hold_ / 3));
}

void Fsm::send_keepalive(Actions& out) {
    out.push_back(SendKeepalive{});
    out.push_back(StartTimer{Timer::keepalive, keepalive_interval()});
}

void Fsm::restart_hold(Actions& out) {
    if (negotiated_hold_.count() != 0) out.push_back(StartTimer{Timer::hold, negotiated_hold_});
}

void Fsm::send_open(Actions& out) {
    out.push_back(StopTimer{Timer::connect_retry});
    out.push_back(SendOpen{});
    out.push_back(StartTimer{Timer::hold, settings_.open_hold});
    state_ = State::open_sent;
}

void Fsm::accept_open(const Event& e, Actions& out) {
    negotiated_hold_ = e.negotiated_hold;
    out.push_back(SendKeepalive{});
    if (negotiated_hold_.count() == 0) {
        // Hold time 0: neither side sends keepalives nor watches for them (RFC 4271 4.2).
        out.push_back(StopTimer{Timer::hold});
        out.push_back(StopTimer{Timer::keepalive});
    } else {
        out.push_back(StartTimer{Timer::keepalive, keepalive_interval()});
        out.push_back(StartTimer{Timer::hold, negotiated_hold_});
    }
    state_ = State::open_confirm;
}

void Fsm::to_idle(Actions& out, bool count_failure) {
    for (Timer t : {Timer::connect_retry, Timer::hold, Timer::keepalive, Timer::stable})
        out.push_back(StopTimer{t});
    out.push_back(DropConnection{});
    if (state_ == State::established) out.push_back(SessionDown{});
    if (count_failure) {
        ++connect_retry_counter_;
        ++flaps_;
    }
    state_ = State::idle;
    negotiated_hold_ = Seconds(0);
    if (!stopped_by_operator_ && settings_.allow_automatic_start)
        out.push_back(StartTimer{Timer::idle_hold, next_idle_hold()});
}

void Fsm::to_idle_with(const Notification& n, Actions& out, bool count_failure) {
    out.push_back(SendNotification{n});
    to_idle(out, count_failure);
}

void Fsm::fsm_error(EventType e, Actions& out) {
    to_idle_with({uint8_t(ErrorCode::FiniteStateMachine), fsm_error_subcode(state_, e), {}}, out, true);
}

void Fsm::manual_stop(const Event& e, Actions& out, bool open_sent) {
    stopped_by_operator_ = true;
    if (open_sent)
        to_idle_with(e.notification.value_or(cease(cease::kAdministrativeShutdown)), out, false);
    else
        to_idle(out, false);
    connect_retry_counter_ = 0;
}

// Events that every state but Idle treats alike (RFC 4271 8.2.2); true when handled.
bool Fsm::on_common(const Event& e, Actions& out) {
    bool open_went_out = state_ == State::open_sent || state_ == State::open_confirm || state_ == State::established;
    switch (e.type) {
        case EventType::manual_start:
        case EventType::manual_start_passive:
        case EventType::automatic_start:
        case EventType::automatic_start_passive:
            return true;  // already started
        case EventType::manual_stop: manual_stop(e, out, open_went_out); return true;
        case EventType::notif_msg_ver_err: to_idle(out, false); return true;
        default: break;
    }
    if (!open_went_out) return false;
    switch (e.type) {
        case EventType::automatic_stop:
            to_idle_with(e.notification.value_or(cease(cease::kAdministrativeReset)), out, true);
            return true;
        case EventType::hold_expired:
            to_idle_with({uint8_t(ErrorCode::HoldTimerExpired), 0, {}}, out, true);
            return true;
        case EventType::open_collision_dump:
            to_idle_with(cease(cease::kConnectionCollision), out, true);
            return true;
        default: return false;
    }
}

// RFC 4271 8.2.2, Idle state.
void Fsm::on_idle(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::manual_start:
        case EventType::manual_start_passive:
            stopped_by_operator_ = false;
            flaps_ = 0;
            start(e.type == EventType::manual_start_passive || settings_.passive, out);
            break;
        case EventType::automatic_start:
        case EventType::automatic_start_passive:
        case EventType::idle_hold_expired:
            if (stopped_by_operator_ || !settings_.allow_automatic_start) break;
            start(e.type == EventType::automatic_start_passive || settings_.passive, out);
            break;
        default:
            break;  // every other event is ignored in Idle (connections are refused by the session layer)
    }
}

// RFC 4271 8.2.2, Connect state.
void Fsm::on_connect(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::connect_retry_expired:
            out.push_back(DropConnection{});
            out.push_back(StartTimer{Timer::connect_retry, settings_.connect_retry});
            out.push_back(InitiateConnection{});
            break;
        case EventType::tcp_connection_confirmed: send_open(out); break;
        case EventType::tcp_connection_fails:
            // As RFC 1771 did (and most speakers do): keep listening in Active and retry when the
            // ConnectRetryTimer fires, rather than refusing the peer from Idle.
            out.push_back(DropConnection{});
            out.push_back(StartTimer{Timer::connect_retry, settings_.connect_retry});
            state_ = State::active;
            break;
        default: to_idle(out, true); break;
    }
}

// RFC 4271 8.2.2, Active state.
void Fsm::on_active(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::connect_retry_expired:
            out.push_back(StartTimer{Timer::connect_retry, settings_.connect_retry});
            if (!settings_.passive) {
                out.push_back(InitiateConnection{});
                state_ = State::connect;
            }
            break;
        case EventType::tcp_connection_confirmed: send_open(out); break;
        default: to_idle(out, true); break;
    }
}

// RFC 4271 8.2.2, OpenSent state.
void Fsm::on_open_sent(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::tcp_connection_fails:
            out.push_back(DropConnection{});
            out.push_back(StartTimer{Timer::connect_retry, settings_.connect_retry});
            state_ = State::active;
            break;
        case EventType::bgp_open: accept_open(e, out); break;
        case EventType::bgp_header_err:
        case EventType::bgp_open_msg_err:
            to_idle_with(e.notification.value_or(Notification{uint8_t(ErrorCode::OpenMessage), 0, {}}), out, true);
            break;
        // The peer already closed with its NOTIFICATION: answering it would only be lost.
        case EventType::notif_msg: to_idle(out, true); break;
        default: fsm_error(e.type, out); break;
    }
}

// RFC 4271 8.2.2, OpenConfirm state.
void Fsm::on_open_confirm(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::keepalive_expired: send_keepalive(out); break;
        case EventType::tcp_connection_fails:
        case EventType::notif_msg: to_idle(out, true); break;
        case EventType::bgp_header_err:
        case EventType::bgp_open_msg_err:
            to_idle_with(e.notification.value_or(Notification{uint8_t(ErrorCode::OpenMessage), 0, {}}), out, true);
            break;
        case EventType::keepalive_msg:
            restart_hold(out);
            out.push_back(StartTimer{Timer::stable, settings_.stable});
            out.push_back(SessionUp{});
            state_ = State::established;
            break;
        default: fsm_error(e.type, out); break;
    }
}

// RFC 4271 8.2.2, Established state.
void Fsm::on_established(const Event& e, Actions& out) {
    switch (e.type) {
        case EventType::keepalive_expired: send_keepalive(out); break;
        case EventType::keepalive_msg:
        case EventType::update_msg:
            restart_hold(out);
            break;
        case EventType::stable_expired: flaps_ = 0; break;
        case EventType::tcp_connection_fails:
        case EventType::notif_msg: to_idle(out, true); break;
        case EventType::bgp_header_err:
        case EventType::update_msg_err:
            to_idle_with(e.notification.value_or(Notification{uint8_t(ErrorCode::UpdateMessage), 0, {}}), out, true);
            break;
        default: fsm_error(e.type, out); break;
    }
}

}  // namespace isthmus::bgp::fsm
