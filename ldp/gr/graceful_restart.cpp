#include "ldp/gr/graceful_restart.hpp"

#include <algorithm>

namespace isthmus::ldp::gr {

using std::chrono::milliseconds;

namespace {

// The FT TLV carries milliseconds; the caps are configured in seconds.
Clock::duration capped(uint32_t advertised_ms, std::chrono::seconds cap) {
    return std::min<Clock::duration>(milliseconds(advertised_ms), cap);
}

bool learns(const std::optional<FtSessionParams>& ft) { return ft && (ft->flags & ft_flag::kLearn); }

}  // namespace

Config config_of(const config::LdpGracefulRestart& c, bool restarting) {
    Config g;
    g.mode = c.mode;
    g.reconnect_time = c.reconnect_time;
    g.recovery_time = c.recovery_time;
    g.restarting = restarting;
    return g;
}

std::string_view to_string(NeighborState s) {
    switch (s) {
        case NeighborState::none: return "none";
        case NeighborState::reconnect_wait: return "reconnect-wait";
        case NeighborState::recovering: return "recovering";
    }
    return "?";
}

GracefulRestart::GracefulRestart(Config c, TimePoint now) : config_(c) {
    // Only a full GR LSR keeps its LFIB across its own restart; a helper that restarted starts clean.
    if (config_.mode != config::GracefulRestartMode::full) config_.restarting = false;
    if (config_.restarting) own_deadline_ = now + config_.recovery_time;
}

std::optional<FtSessionParams> GracefulRestart::ft_tlv(TimePoint now) const {
    if (!enabled()) return std::nullopt;
    FtSessionParams ft;
    ft.flags = ft_flag::kLearn;
    if (config_.mode != config::GracefulRestartMode::full) return ft;  // helper: 0 and 0 (RFC 3478 2)
    ft.reconnect_timeout_ms = uint32_t(std::chrono::duration_cast<milliseconds>(config_.reconnect_time).count());
    // RFC 3478 2: after a restart with preserved state, what is left of the holding timer; else 0.
    if (own_deadline_ && *own_deadline_ > now) {
        auto left = std::chrono::duration_cast<milliseconds>(*own_deadline_ - now).count();
        ft.recovery_time_ms = uint32_t(std::max<long>(1, long(left)));
    }
    return ft;
}

UpOutcome GracefulRestart::session_up(const LdpId& peer, const std::optional<FtSessionParams>& peer_ft,
                                      TimePoint now) {
    Neighbor& n = neighbors_[peer];
    n.ft = peer_ft;
    NeighborState was = std::exchange(n.state, NeighborState::none);
    if (was == NeighborState::none) return UpOutcome::nothing_stale;
    if (!enabled()) return UpOutcome::drop_stale;
    // RFC 3478 3.5.2: Recovery Time 0 in the new Initialization: it preserved nothing.
    if (!learns(peer_ft) || peer_ft->recovery_time_ms == 0) return UpOutcome::drop_stale;
    n.state = NeighborState::recovering;
    n.deadline = now + capped(peer_ft->recovery_time_ms, config_.recovery_time);
    return UpOutcome::recovering;
}

bool GracefulRestart::session_down(const LdpId& peer, TimePoint now) {
    auto it = neighbors_.find(peer);
    if (it == neighbors_.end()) return false;
    Neighbor& n = it->second;
    // RFC 3478 2: FT Reconnect Timeout 0 means it will not preserve its forwarding state.
    if (!enabled() || !learns(n.ft) || n.ft->reconnect_timeout_ms == 0) {
        n.state = NeighborState::none;
        return false;
    }
    n.state = NeighborState::reconnect_wait;
    n.deadline = now + capped(n.ft->reconnect_timeout_ms, config_.reconnect_time);
    return true;
}

void GracefulRestart::stale_cleared(const LdpId& peer) {
    auto it = neighbors_.find(peer);
    if (it != neighbors_.end() && it->second.state == NeighborState::recovering) it->second.state = NeighborState::none;
}

Expired GracefulRestart::expire(TimePoint now) {
    Expired out;
    for (auto& [peer, n] : neighbors_) {
        if (n.state == NeighborState::none || n.deadline > now) continue;
        n.state = NeighborState::none;
        out.drop_stale.push_back(peer);
    }
    if (own_deadline_ && *own_deadline_ <= now) {
        own_deadline_.reset();
        out.recovery_complete = true;
    }
    return out;
}

std::optional<TimePoint> GracefulRestart::next_expiry() const {
    std::optional<TimePoint> next = own_deadline_;
    for (const auto& [peer, n] : neighbors_)
        if (n.state != NeighborState::none && (!next || n.deadline < *next)) next = n.deadline;
    return next;
}

bool GracefulRestart::end_recovery() { return own_deadline_.has_value() && (own_deadline_.reset(), true); }

NeighborState GracefulRestart::state(const LdpId& peer) const {
    auto it = neighbors_.find(peer);
    return it == neighbors_.end() ? NeighborState::none : it->second.state;
}

std::optional<TimePoint> GracefulRestart::deadline(const LdpId& peer) const {
    auto it = neighbors_.find(peer);
    if (it == neighbors_.end() || it->second.state == NeighborState::none) return std::nullopt;
    return it->second.deadline;
}

std::optional<FtSessionParams> GracefulRestart::peer_ft(const LdpId& peer) const {
    auto it = neighbors_.find(peer);
    return it == neighbors_.end() ? std::nullopt : it->second.ft;
}

}  // namespace isthmus::ldp::gr
