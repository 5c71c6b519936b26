#pragma once
// LDP session protection as pure code (the behaviour Junos and IOS call session protection):
// every LSR we have a link
// adjacency with also gets targeted Hellos at its transport address, so a targeted adjacency exists
// beside the link one. When the link goes down, the targeted adjacency (routed by the IGP around
// the failure) keeps the session, and so the labels on both sides; when the link comes back, the
// session was never lost and no label is exchanged again.
//
// Protection of an LSR starts with its first link adjacency and lasts while it has one; after the
// last one is gone it lasts while the session stays OPERATIONAL, at most `duration` when set.
// Inputs are the instance's adjacency and session events with the time; outputs say where to start
// and stop sending targeted Hellos.
#include <chrono>
#include <map>
#include <optional>
#include <variant>
#include <vector>

#include "ldp/codec/ldp_id.hpp"
#include "lib/ip_address.hpp"

namespace isthmus::ldp::discovery {

struct ProtectionConfig {
    bool enabled = false;
    std::optional<std::chrono::seconds> duration;  // after link loss; unset: while the session is up
};

struct ProtectionStart {
    LdpId lsr;
    Ipv4Address address;  // send targeted Hellos here (the LSR's transport address)
    bool operator==(const ProtectionStart&) const = default;
};
struct ProtectionStop {
    LdpId lsr;
    Ipv4Address address;
    bool operator==(const ProtectionStop&) const = default;
};
using ProtectionOutput = std::variant<ProtectionStart, ProtectionStop>;

class SessionProtection {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit SessionProtection(ProtectionConfig c) : config_(c) {}
    const ProtectionConfig& config() const { return config_; }

    // The LSR now has `links` link adjacencies (after an adjacency came or went); transport: its
    // transport address (used when protection starts); operational: its session is up now.
    std::vector<ProtectionOutput> link_adjacencies(const LdpId& lsr, std::size_t links, Ipv4Address transport,
                                                   bool operational, TimePoint now);
    // Its session reached or left OPERATIONAL.
    std::vector<ProtectionOutput> session_state(const LdpId& lsr, bool operational);
    // `duration` ran out.
    std::vector<ProtectionOutput> expire(TimePoint now);
    std::optional<TimePoint> next_expiry() const;

    struct State {
        Ipv4Address address;
        bool link = false;         // it has a link adjacency
        bool operational = false;  // its session is OPERATIONAL
        bool active = false;       // targeted Hellos are sent
        std::optional<TimePoint> deadline;  // link lost: protection ends then
    };
    const std::map<LdpId, State>& states() const { return states_; }
    // Protected now: targeted Hellos go to it.
    bool protecting(const LdpId& lsr) const;
    // Protected with its link adjacencies all gone: only the targeted one holds the session.
    bool holding(const LdpId& lsr) const;

private:
    void stop(std::map<LdpId, State>::iterator it, std::vector<ProtectionOutput>& out);

    ProtectionConfig config_;
    std::map<LdpId, State> states_;
};

}  // namespace isthmus::ldp::discovery
