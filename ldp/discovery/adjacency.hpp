#pragma once
// LDP discovery (RFC 5036 2.4): the Hello adjacency table as pure code. The
// session layer passes every received Hello with the time it arrived and calls
// expire() when the earliest hold deadline (next_expiry()) is reached; the
// table answers with adjacencies that came up or went down and with the
// sessions that are needed or no longer needed (a session exists while at
// least one adjacency with that LSR's label space does, RFC 5036 2.5.1).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <variant>
#include <vector>

#include "ldp/codec/hello.hpp"
#include "ldp/codec/ldp_id.hpp"
#include "lib/ip_address.hpp"

namespace isthmus::ldp::discovery {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Seconds = std::chrono::seconds;

// RFC 5036 3.5.2 Hold Time values.
inline constexpr uint16_t kDefaultLinkHoldTime = 15;
inline constexpr uint16_t kDefaultTargetedHoldTime = 45;
inline constexpr uint16_t kInfiniteHoldTime = 0xffff;

// The hold time a Hello proposes, 0 replaced by its default.
uint16_t proposed_hold_time(uint16_t field, bool targeted);
// RFC 5036 2.4.1/2.4.2: the smaller of ours and theirs (each 0 = default, 0xffff = infinite).
uint16_t negotiated_hold_time(uint16_t ours, uint16_t theirs, bool targeted);

struct DiscoveryConfig {
    LdpId self;                                          // Hellos from ourselves (looped back) are ignored
    uint16_t link_hold_time = kDefaultLinkHoldTime;      // proposed in our link Hellos
    uint16_t targeted_hold_time = kDefaultTargetedHoldTime;
    std::set<Ipv4Address> targeted_neighbors;            // extended discovery: we send targeted Hellos to these
    // RFC 5036 2.4.2: whether to answer targeted Hellos from LSRs not configured above
    // (only those that ask, with the R bit). Off by default, as in FRR ldpd.
    bool accept_targeted_hellos = false;
};

// Where an adjacency was discovered: a link (interface index) or a targeted source address.
struct AdjacencySource {
    bool targeted = false;
    uint32_t ifindex = 0;  // link Hellos
    Ipv4Address address;   // targeted Hellos: the peer's source address
    auto operator<=>(const AdjacencySource&) const = default;
};

struct AdjacencyKey {
    LdpId lsr;
    AdjacencySource source;
    auto operator<=>(const AdjacencyKey&) const = default;
};

struct Adjacency {
    Ipv4Address transport;       // IPv4 Transport Address TLV, else the Hello's source
    uint16_t hold_time = 0;      // negotiated, seconds; 0xffff = never expires
    std::optional<uint32_t> config_sequence;
    std::optional<TimePoint> expires;  // nullopt: infinite
    bool send_targeted = false;  // we answer with targeted Hellos (configured, or R bit accepted)
};

// A Hello as the session layer received it (the PDU header's LDP identifier, the UDP source).
struct ReceivedHello {
    LdpId from;
    Ipv4Address source;
    uint32_t ifindex = 0;  // the interface it arrived on (link Hellos)
    Hello hello;
};

struct AdjacencyUp {
    AdjacencyKey key;
    Ipv4Address transport;
    uint16_t hold_time;
    bool operator==(const AdjacencyUp&) const = default;
};
enum class DownReason { hold_expired, interface_down, deconfigured };
struct AdjacencyDown {
    AdjacencyKey key;
    DownReason reason;
    bool operator==(const AdjacencyDown&) const = default;
};
struct SessionNeeded {
    LdpId lsr;
    Ipv4Address transport;
    bool operator==(const SessionNeeded&) const = default;
};
struct SessionNotNeeded {
    LdpId lsr;
    bool operator==(const SessionNotNeeded&) const = default;
};
// A Hello that changed nothing because it was refused (why, for logs and counters).
struct HelloIgnored {
    std::string_view reason;
    bool operator==(const HelloIgnored&) const = default;
};
using Output = std::variant<AdjacencyUp, AdjacencyDown, SessionNeeded, SessionNotNeeded, HelloIgnored>;

class AdjacencyTable {
public:
    explicit AdjacencyTable(DiscoveryConfig c) : config_(std::move(c)) {}

    // RFC 5036 2.4.1 / 2.4.2 / 3.5.2: create or refresh an adjacency.
    std::vector<Output> hello_received(const ReceivedHello& h, TimePoint now);
    // Drops the adjacencies whose hold time has run out by now.
    std::vector<Output> expire(TimePoint now);
    // LDP switched off on an interface: its link adjacencies go at once.
    std::vector<Output> interface_down(uint32_t ifindex);
    // A targeted neighbour removed from the configuration.
    std::vector<Output> remove_targeted_neighbor(Ipv4Address address);

    // The earliest hold deadline, for the session layer's one timer.
    std::optional<TimePoint> next_expiry() const;
    const std::map<AdjacencyKey, Adjacency>& adjacencies() const { return adjacencies_; }
    // The transport address of the session with lsr, while one is needed.
    std::optional<Ipv4Address> session_transport(const LdpId& lsr) const;
    std::size_t adjacency_count(const LdpId& lsr) const;

private:
    void remove(std::map<AdjacencyKey, Adjacency>::iterator it, DownReason why, std::vector<Output>& out);

    DiscoveryConfig config_;
    std::map<AdjacencyKey, Adjacency> adjacencies_;
    std::map<LdpId, Ipv4Address> sessions_;  // LSRs with at least one adjacency -> transport address
};

}  // namespace isthmus::ldp::discovery
