// ldp/gr/graceful_restart.hpp with a fake clock: the FT Session TLV each mode advertises, the
// helper's reconnect and recovery timers (capped by ours), a neighbour without GR falling back to
// a normal teardown, and the restarting LSR's own recovery.
#include <catch2/catch.hpp>

#include "ldp/gr/graceful_restart.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::gr;
using namespace std::chrono_literals;
using Mode = config::GracefulRestartMode;

namespace {

const LdpId kPeer{RouterId(0x0a000002), 0};
const TimePoint kT0{};  // the fake clock's start

Config cfg(Mode m, bool restarting = false) {
    Config c;
    c.mode = m;
    c.reconnect_time = 120s;
    c.recovery_time = 60s;
    c.restarting = restarting;
    return c;
}

FtSessionParams ft(uint32_t reconnect_ms, uint32_t recovery_ms) {
    return FtSessionParams{ft_flag::kLearn, reconnect_ms, recovery_ms};
}

}  // namespace

TEST_CASE("FT Session TLV per mode", "[ldp][gr]") {
    CHECK_FALSE(GracefulRestart(cfg(Mode::off), kT0).ft_tlv(kT0));
    // Helper: L set, reconnect 0 (we keep nothing across our own restart), recovery 0.
    CHECK(GracefulRestart(cfg(Mode::helper), kT0).ft_tlv(kT0) == ft(0, 0));
    // Full, not after a restart: our reconnect timeout, recovery 0.
    CHECK(GracefulRestart(cfg(Mode::full), kT0).ft_tlv(kT0) == ft(120000, 0));
    // Full after a restart: what is left of the recovery (holding) timer.
    GracefulRestart g(cfg(Mode::full, true), kT0);
    CHECK(g.recovering());
    CHECK(g.ft_tlv(kT0) == ft(120000, 60000));
    CHECK(g.ft_tlv(kT0 + 15s) == ft(120000, 45000));
    CHECK(g.ft_tlv(kT0 + 61s) == ft(120000, 0));
    // A helper that restarted did not keep its LFIB: no recovery.
    CHECK_FALSE(GracefulRestart(cfg(Mode::helper, true), kT0).recovering());
}

TEST_CASE("helper: neighbour back within its reconnect time, then refreshed within recovery", "[ldp][gr]") {
    GracefulRestart g(cfg(Mode::helper), kT0);
    CHECK(g.session_up(kPeer, ft(30000, 0), kT0) == UpOutcome::nothing_stale);
    CHECK(g.session_down(kPeer, kT0 + 1s));
    CHECK(g.state(kPeer) == NeighborState::reconnect_wait);
    CHECK(g.next_expiry() == kT0 + 31s);  // its 30 s, below our 120 s cap
    CHECK(g.expire(kT0 + 30s).drop_stale.empty());
    // Back with preserved state: recovery for min(its 90 s, our 60 s).
    CHECK(g.session_up(kPeer, ft(30000, 90000), kT0 + 20s) == UpOutcome::recovering);
    CHECK(g.state(kPeer) == NeighborState::recovering);
    CHECK(g.deadline(kPeer) == kT0 + 80s);
    CHECK(g.expire(kT0 + 79s).drop_stale.empty());
    auto ex = g.expire(kT0 + 80s);
    CHECK(ex.drop_stale == std::vector<LdpId>{kPeer});
    CHECK_FALSE(ex.recovery_complete);
    CHECK(g.state(kPeer) == NeighborState::none);
    CHECK_FALSE(g.next_expiry());
}

TEST_CASE("helper: everything refreshed early stops the recovery timer", "[ldp][gr]") {
    GracefulRestart g(cfg(Mode::helper), kT0);
    g.session_up(kPeer, ft(30000, 0), kT0);
    g.session_down(kPeer, kT0);
    g.session_up(kPeer, ft(30000, 50000), kT0 + 5s);
    g.stale_cleared(kPeer);
    CHECK(g.state(kPeer) == NeighborState::none);
    CHECK_FALSE(g.next_expiry());
}

TEST_CASE("helper: neighbour not back within its reconnect time", "[ldp][gr]") {
    GracefulRestart g(cfg(Mode::full), kT0);
    g.session_up(kPeer, ft(300000, 0), kT0);
    CHECK(g.session_down(kPeer, kT0));
    CHECK(g.deadline(kPeer) == kT0 + 120s);  // its 300 s capped by our reconnect-time
    CHECK(g.expire(kT0 + 120s).drop_stale == std::vector<LdpId>{kPeer});
    // Back later: nothing stale any more.
    CHECK(g.session_up(kPeer, ft(300000, 60000), kT0 + 200s) == UpOutcome::nothing_stale);
}

TEST_CASE("helper: neighbour back without preserved state drops the stale bindings at once", "[ldp][gr]") {
    GracefulRestart g(cfg(Mode::helper), kT0);
    g.session_up(kPeer, ft(30000, 0), kT0);
    g.session_down(kPeer, kT0);
    SECTION("Recovery Time 0") { CHECK(g.session_up(kPeer, ft(30000, 0), kT0 + 1s) == UpOutcome::drop_stale); }
    SECTION("no FT Session TLV any more") { CHECK(g.session_up(kPeer, std::nullopt, kT0 + 1s) == UpOutcome::drop_stale); }
    CHECK(g.state(kPeer) == NeighborState::none);
}

TEST_CASE("a neighbour without GR, or with reconnect 0, or GR off here: normal teardown", "[ldp][gr]") {
    SECTION("no FT Session TLV") {
        GracefulRestart g(cfg(Mode::helper), kT0);
        g.session_up(kPeer, std::nullopt, kT0);
        CHECK_FALSE(g.session_down(kPeer, kT0));
    }
    SECTION("helper-only neighbour (reconnect 0)") {
        GracefulRestart g(cfg(Mode::full), kT0);
        g.session_up(kPeer, ft(0, 0), kT0);
        CHECK_FALSE(g.session_down(kPeer, kT0));
    }
    SECTION("FT Session TLV without the L flag") {
        GracefulRestart g(cfg(Mode::helper), kT0);
        g.session_up(kPeer, FtSessionParams{ft_flag::kCheckpoint, 30000, 0}, kT0);
        CHECK_FALSE(g.session_down(kPeer, kT0));
    }
    SECTION("mode off") {
        GracefulRestart g(cfg(Mode::off), kT0);
        g.session_up(kPeer, ft(30000, 0), kT0);
        CHECK_FALSE(g.session_down(kPeer, kT0));
    }
    SECTION("a session that never came up") {
        GracefulRestart g(cfg(Mode::helper), kT0);
        CHECK_FALSE(g.session_down(kPeer, kT0));
    }
}

TEST_CASE("helper: a failure during recovery waits for the reconnect again", "[ldp][gr]") {
    GracefulRestart g(cfg(Mode::helper), kT0);
    g.session_up(kPeer, ft(10000, 0), kT0);
    g.session_down(kPeer, kT0);
    g.session_up(kPeer, ft(10000, 30000), kT0 + 2s);
    CHECK(g.session_down(kPeer, kT0 + 3s));
    CHECK(g.state(kPeer) == NeighborState::reconnect_wait);
    CHECK(g.deadline(kPeer) == kT0 + 13s);
}

TEST_CASE("restarting: own recovery completes once, at the recovery time or when ended", "[ldp][gr]") {
    GracefulRestart g(cfg(Mode::full, true), kT0);
    CHECK(g.next_expiry() == kT0 + 60s);
    CHECK_FALSE(g.expire(kT0 + 59s).recovery_complete);
    CHECK(g.expire(kT0 + 60s).recovery_complete);
    CHECK_FALSE(g.recovering());
    CHECK_FALSE(g.expire(kT0 + 61s).recovery_complete);
    CHECK_FALSE(g.end_recovery());

    GracefulRestart h(cfg(Mode::full, true), kT0);
    CHECK(h.end_recovery());
    CHECK_FALSE(h.next_expiry());
    CHECK(h.ft_tlv(kT0) == ft(120000, 0));
}
