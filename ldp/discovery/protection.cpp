#include "ldp/discovery/protection.hpp"

namespace isthmus::ldp::discovery {

std::vector<ProtectionOutput> SessionProtection::link_adjacencies(const LdpId& lsr, std::size_t links,
                                                                  Ipv4Address transport, bool operational,
                                                                  TimePoint now) {
    std::vector<ProtectionOutput> out;
    if (!config_.enabled) return out;
    auto it = states_.find(lsr);
    if (links > 0) {
        State& s = states_[lsr];
        s.link = true;
        s.operational = operational;
        s.deadline.reset();
        // A new transport address (the LSR changed it): the Hellos follow.
        if (s.active && s.address != transport) {
            out.push_back(ProtectionStop{lsr, s.address});
            s.active = false;
        }
        s.address = transport;
        if (!s.active) {
            s.active = true;
            out.push_back(ProtectionStart{lsr, transport});
        }
        return out;
    }
    if (it == states_.end()) return out;
    State& s = it->second;
    s.link = false;
    s.operational = operational;
    if (!s.active || !s.operational) {
        // Nothing to protect: a session that is not up needs the link to come up again.
        stop(it, out);
        return out;
    }
    if (config_.duration) s.deadline = now + *config_.duration;
    return out;
}

std::vector<ProtectionOutput> SessionProtection::session_state(const LdpId& lsr, bool operational) {
    std::vector<ProtectionOutput> out;
    auto it = states_.find(lsr);
    if (it == states_.end()) return out;
    it->second.operational = operational;
    // The protected session failed with no link left: the LSR is no neighbour of ours any more.
    if (!operational && !it->second.link) stop(it, out);
    return out;
}

std::vector<ProtectionOutput> SessionProtection::expire(TimePoint now) {
    std::vector<ProtectionOutput> out;
    for (auto it = states_.begin(); it != states_.end();) {
        auto next = std::next(it);
        if (it->second.deadline && *it->second.deadline <= now) stop(it, out);
        it = next;
    }
    return out;
}

std::optional<SessionProtection::TimePoint> SessionProtection::next_expiry() const {
    std::optional<TimePoint> next;
    for (const auto& [lsr, s] : states_)
        if (s.deadline && (!next || *s.deadline < *next)) next = s.deadline;
    return next;
}

void SessionProtection::stop(std::map<LdpId, State>::iterator it, std::vector<ProtectionOutput>& out) {
    if (it->second.active) out.push_back(ProtectionStop{it->first, it->second.address});
    states_.erase(it);
}

bool SessionProtection::protecting(const LdpId& lsr) const {
    auto it = states_.find(lsr);
    return it != states_.end() && it->second.active;
}

bool SessionProtection::holding(const LdpId& lsr) const {
    auto it = states_.find(lsr);
    return it != states_.end() && it->second.active && !it->second.link;
}

}  // namespace isthmus::ldp::discovery
