#pragma once
// LDP graceful restart (RFC 3478) timers as pure code: which FT Session TLV our Initialization
// carries, and, per neighbour and for ourselves, how long stale state is kept. No sockets, no
// clock of its own: the instance passes the time in, asks for the next expiry, and carries the
// decisions out on the label base (retain or drop a neighbour's bindings, end our own recovery).
//
// Roles (config mode):
// - off: no FT Session TLV, a neighbour's failure is a normal teardown.
// - helper: FT Session TLV with L = 1, FT Reconnect Timeout 0 (we do not preserve our own
//   forwarding state, RFC 3478 2), Recovery Time 0; a GR neighbour's failure keeps its bindings.
// - full: helper, and we advertise the configured FT Reconnect Timeout; after our own restart
//   (the daemon says so) the Recovery Time is what is left of our forwarding-state holding timer.
//
// Helper (RFC 3478 3.5.x): when the session with a neighbour that advertised FT Reconnect
// Timeout > 0 fails, its bindings are kept, stale, for min(its reconnect timeout, our
// reconnect-time). Back in time: if its new Initialization has Recovery Time 0 (it kept nothing),
// the stale bindings go at once; otherwise they stay min(its recovery time, our recovery-time)
// while it re-sends them, and what was not refreshed goes then. Not back in time: all go.
#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/session_params.hpp"
#include "lib/config/types.hpp"

namespace isthmus::ldp::gr {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

struct Config {
    config::GracefulRestartMode mode = config::GracefulRestartMode::off;
    std::chrono::seconds reconnect_time{120};  // advertised (full) and our cap as helper
    std::chrono::seconds recovery_time{120};   // advertised after our restart and our cap as helper
    // We restarted with our LFIB preserved in the kernel (mode full only): hold it recovery_time.
    bool restarting = false;
};

Config config_of(const config::LdpGracefulRestart& c, bool restarting);

enum class NeighborState {
    none,            // nothing stale (session up and refreshed, or never GR)
    reconnect_wait,  // its session failed: stale bindings kept until it comes back or the timer
    recovering,      // it is back: stale bindings kept while it re-sends them
};
std::string_view to_string(NeighborState s);

// What a session coming up means for the neighbour's stale bindings.
enum class UpOutcome {
    nothing_stale,  // nothing to do
    drop_stale,     // it kept no forwarding state (Recovery Time 0, or no FT TLV now): drop them now
    recovering,     // keep them until refreshed or the recovery timer
};

struct Expired {
    std::vector<LdpId> drop_stale;   // neighbours whose remaining stale bindings go now
    bool recovery_complete = false;  // our own recovery ended (once)
};

class GracefulRestart {
public:
    GracefulRestart(Config c, TimePoint now);

    const Config& config() const { return config_; }
    // The FT Session TLV our Initialization carries now (none with mode off).
    std::optional<FtSessionParams> ft_tlv(TimePoint now) const;

    // A session became OPERATIONAL; peer_ft is the FT Session TLV of its Initialization.
    UpOutcome session_up(const LdpId& peer, const std::optional<FtSessionParams>& peer_ft, TimePoint now);
    // The OPERATIONAL session failed (any cause): true when its bindings are to be kept stale.
    bool session_down(const LdpId& peer, TimePoint now);
    // The label base no longer holds anything stale of the peer (refreshed early): stop its timer.
    void stale_cleared(const LdpId& peer);

    // Timers due at `now`.
    Expired expire(TimePoint now);
    std::optional<TimePoint> next_expiry() const;

    // Our own restart: forwarding state held until recovery ends (or ended early by the caller).
    bool recovering() const { return own_deadline_.has_value(); }
    std::optional<TimePoint> recovery_deadline() const { return own_deadline_; }
    // Ends our own recovery now (every preserved entry was re-learnt); false if not recovering.
    bool end_recovery();

    NeighborState state(const LdpId& peer) const;
    std::optional<TimePoint> deadline(const LdpId& peer) const;
    // The FT Session TLV the neighbour last advertised (for display).
    std::optional<FtSessionParams> peer_ft(const LdpId& peer) const;

private:
    struct Neighbor {
        std::optional<FtSessionParams> ft;  // from its latest Initialization
        NeighborState state = NeighborState::none;
        TimePoint deadline{};
    };

    bool enabled() const { return config_.mode != config::GracefulRestartMode::off; }

    Config config_;
    std::optional<TimePoint> own_deadline_;
    std::map<LdpId, Neighbor> neighbors_;
};

}  // namespace isthmus::ldp::gr
