#include "ldp/discovery/adjacency.hpp"

#include <algorithm>

namespace isthmus::ldp::discovery {

uint16_t proposed_hold_time(uint16_t field, bool targeted) {
    if (field != 0) return field;
    return targeted ? kDefaultTargetedHoldTime : kDefaultLinkHoldTime;
}

uint16_t negotiated_hold_time(uint16_t ours, uint16_t theirs, bool targeted) {
    // 0xffff is the largest value, so min() keeps "infinite" only when both ask for it.
    return std::min(proposed_hold_time(ours, targeted), proposed_hold_time(theirs, targeted));
}

std::vector<Output> AdjacencyTable::hello_received(const ReceivedHello& h, TimePoint now) {
    std::vector<Output> out;
    const bool targeted = h.hello.params.targeted;
    if (h.from.lsr_id == config_.self.lsr_id) {
        out.push_back(HelloIgnored{"our own Hello"});
        return out;
    }

    AdjacencyKey key{h.from, {targeted, targeted ? 0u : h.ifindex, targeted ? h.source : Ipv4Address()}};
    bool configured = targeted && config_.targeted_neighbors.count(h.source) != 0;
    if (targeted && !configured) {
        // RFC 5036 2.4.2: an LSR may be configured to answer targeted Hellos from unknown
        // sources or to ignore them; answering only makes sense when the peer asks (R bit).
        if (!config_.accept_targeted_hellos) {
            out.push_back(HelloIgnored{"targeted Hello from an LSR not configured"});
            return out;
        }
        if (!h.hello.params.request_targeted && adjacencies_.count(key) == 0) {
            out.push_back(HelloIgnored{"targeted Hello without the R bit from an LSR not configured"});
            return out;
        }
    }

    // RFC 5036 2.5.2: the transport address is the Transport Address TLV's, else the source.
    Ipv4Address transport = h.hello.transport_v4.value_or(h.source);
    bool moved = false;
    if (auto s = sessions_.find(h.from); s != sessions_.end() && s->second != transport) {
        // One session per LSR label space. When this is the LSR's only adjacency, the LSR changed
        // its transport address: the session moves. Otherwise the other adjacencies' address stands
        // (ldpd ignores such Hellos too) until they are gone.
        bool only_this = adjacency_count(h.from) == 1 && adjacencies_.count(key) == 1;
        if (!only_this) {
            out.push_back(HelloIgnored{"transport address differs from the LSR's other adjacencies"});
            return out;
        }
        sessions_.erase(s);
        moved = true;
    }

    uint16_t ours = targeted ? config_.targeted_hold_time : config_.link_hold_time;
    uint16_t hold = negotiated_hold_time(ours, h.hello.params.hold_time, targeted);

    auto [it, inserted] = adjacencies_.try_emplace(key);
    Adjacency& a = it->second;
    bool changed = inserted || a.transport != transport || a.hold_time != hold;
    a.transport = transport;
    a.hold_time = hold;
    a.config_sequence = h.hello.config_sequence;
    a.expires = hold == kInfiniteHoldTime ? std::nullopt : std::optional<TimePoint>(now + Seconds(hold));
    a.send_targeted = targeted;
    if (changed) out.push_back(AdjacencyUp{key, transport, hold});
    if (moved) out.push_back(SessionNotNeeded{h.from});
    if ((inserted || moved) && sessions_.emplace(h.from, transport).second)
        out.push_back(SessionNeeded{h.from, transport});
    return out;
}

void AdjacencyTable::remove(std::map<AdjacencyKey, Adjacency>::iterator it, DownReason why,
                            std::vector<Output>& out) {
    LdpId lsr = it->first.lsr;
    out.push_back(AdjacencyDown{it->first, why});
    adjacencies_.erase(it);
    if (adjacency_count(lsr) == 0 && sessions_.erase(lsr) != 0) out.push_back(SessionNotNeeded{lsr});
}

std::vector<Output> AdjacencyTable::expire(TimePoint now) {
    std::vector<Output> out;
    for (auto it = adjacencies_.begin(); it != adjacencies_.end();) {
        auto next = std::next(it);
        if (it->second.expires && *it->second.expires <= now) remove(it, DownReason::hold_expired, out);
        it = next;
    }
    return out;
}

std::vector<Output> AdjacencyTable::interface_down(uint32_t ifindex) {
    std::vector<Output> out;
    for (auto it = adjacencies_.begin(); it != adjacencies_.end();) {
        auto next = std::next(it);
        if (!it->first.source.targeted && it->first.source.ifindex == ifindex)
            remove(it, DownReason::interface_down, out);
        it = next;
    }
    return out;
}

std::vector<Output> AdjacencyTable::remove_targeted_neighbor(Ipv4Address address) {
    std::vector<Output> out;
    config_.targeted_neighbors.erase(address);
    if (config_.accept_targeted_hellos) return out;  // still answered as an unconfigured LSR
    for (auto it = adjacencies_.begin(); it != adjacencies_.end();) {
        auto next = std::next(it);
        if (it->first.source.targeted && it->first.source.address == address)
            remove(it, DownReason::deconfigured, out);
        it = next;
    }
    return out;
}

std::optional<TimePoint> AdjacencyTable::next_expiry() const {
    std::optional<TimePoint> earliest;
    for (const auto& [key, a] : adjacencies_)
        if (a.expires && (!earliest || *a.expires < *earliest)) earliest = a.expires;
    return earliest;
}

std::optional<Ipv4Address> AdjacencyTable::session_transport(const LdpId& lsr) const {
    auto it = sessions_.find(lsr);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
}

std::size_t AdjacencyTable::adjacency_count(const LdpId& lsr) const {
    return std::size_t(std::count_if(adjacencies_.begin(), adjacencies_.end(),
                                     [&](const auto& kv) { return kv.first.lsr == lsr; }));
}

}  // namespace isthmus::ldp::discovery
