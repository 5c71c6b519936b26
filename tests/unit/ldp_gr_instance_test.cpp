// ldp::Instance over loopback with a scripted neighbour (a targeted Hello from 127.0.0.2 and an
// io::Session of its own): the FT Session TLV goes out in our Initialization, the per-neighbour
// counters (sessions up, label mappings sent and received), and graceful restart end to end:
// the neighbour's connection drops without a word (it restarts), its bindings and our LFIB stay,
// it comes back and re-sends, or does not and they go; without GR they go at once; and our own
// restart re-uses the preserved LFIB entry's label and reports recovery complete.
#include "ldp_instance_bed.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::test;

namespace {

// A bed whose neighbour is found by a targeted Hello, with graceful restart in `mode`.
struct GrBed : Bed {
    explicit GrBed(config::GracefulRestartMode mode, InstanceOptions options = {})
        : Bed(config_for(mode), std::move(options)) {
        targeted_hello();
        wait_session();
    }
    static config::Ldp config_for(config::GracefulRestartMode mode) {
        config::Ldp c = bed_config();
        c.interfaces.clear();
        c.graceful_restart.mode = mode;
        return c;
    }
};

}  // namespace

TEST_CASE("instance: FT Session TLV in our Initialization, counters per neighbour", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::helper);
    b.connect(ft(60000, 0));
    REQUIRE(b.owner.negotiated);
    CHECK(b.owner.negotiated->peer_ft == ft(0, 0));  // helper: L, 0, 0
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.owner.mappings() == 1; }));
    auto c = b.instance->counters(kPeer);
    CHECK(c.sessions_up == 1);
    CHECK(c.label_mappings_received == 1);
    CHECK(c.label_mappings_sent == 1);
    CHECK(b.instance->graceful_restart(kPeer).peer_ft == ft(60000, 0));
    REQUIRE(b.lfib.size() == 1);
    CHECK(b.lfib[0].paths.at(0).out_label == lab(100));
}

TEST_CASE("instance: mode off sends no FT Session TLV and tears down at once", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::off);
    b.connect(ft(60000, 0));
    CHECK_FALSE(b.owner.negotiated->peer_ft);
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 1; }));
    b.restart_peer();
    REQUIRE(b.lfib.size() == 2);
    CHECK(b.lfib[1].paths.empty());  // deleted at once
    CHECK(b.instance->graceful_restart(kPeer).stale == 0);
}

TEST_CASE("instance helper: the neighbour restarts and re-sends; LFIB untouched throughout", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::helper);
    b.connect(ft(60000, 0));
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 1; }));
    MplsLabel local = b.lfib[0].in_label;

    b.restart_peer();
    auto g = b.instance->graceful_restart(kPeer);
    CHECK(g.state == gr::NeighborState::reconnect_wait);
    CHECK(g.stale == 2);  // its label and its address
    REQUIRE(g.remaining);
    CHECK(*g.remaining <= 60000ms);
    CHECK(*g.remaining > 50000ms);
    CHECK(b.lfib.size() == 1);
    CHECK(b.lfib_has(local, lab(100)));

    // Back, with its forwarding state preserved: recovering until it has re-sent everything.
    b.connect(ft(60000, 30000));
    CHECK(b.instance->graceful_restart(kPeer).state == gr::NeighborState::recovering);
    REQUIRE(run_until(b.io, [&] { return b.owner.mappings() == 1; }));  // our binding again, same label
    CHECK(std::get<LabelMapping>(b.owner.messages.back().body).label == local);
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.instance->graceful_restart(kPeer).state == gr::NeighborState::none; }));
    CHECK(b.instance->graceful_restart(kPeer).stale == 0);
    CHECK(b.lfib.size() == 1);  // never removed, never changed
    auto c = b.instance->counters(kPeer);
    CHECK(c.sessions_up == 2);
    CHECK(c.label_mappings_received == 2);
    CHECK(c.label_mappings_sent == 2);
}

TEST_CASE("instance helper: the neighbour does not come back within its reconnect time", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::helper);
    b.connect(ft(300, 0));  // 300 ms
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 1; }));
    b.restart_peer();
    CHECK(b.lfib.size() == 1);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 2; }, 2000ms));
    CHECK(b.lfib[1].paths.empty());
    CHECK(b.instance->graceful_restart(kPeer).state == gr::NeighborState::none);
    CHECK(b.instance->graceful_restart(kPeer).stale == 0);
    CHECK(b.instance->labels().lsp(kFec) == nullptr);
}

TEST_CASE("instance helper: back within reconnect, stale bindings not re-sent go after recovery", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::helper);
    b.connect(ft(60000, 0));
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 1; }));
    b.restart_peer();
    b.connect(ft(60000, 300));  // recovery 300 ms, and it re-sends nothing
    CHECK(b.lfib.size() == 1);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 2; }, 2000ms));
    CHECK(b.lfib[1].paths.empty());
    CHECK(b.instance->graceful_restart(kPeer).stale == 0);
}

TEST_CASE("instance helper: back without preserved state: stale bindings go at once", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::helper);
    b.connect(ft(60000, 0));
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 1; }));
    b.restart_peer();
    b.connect(ft(60000, 0));
    CHECK(b.lfib.size() == 2);
    CHECK(b.instance->graceful_restart(kPeer).stale == 0);
}

TEST_CASE("instance restarting: preserved label re-used, recovery complete when re-learnt", "[ldp][gr][instance]") {
    InstanceOptions o;
    o.restarting = true;
    o.preserved_lfib = {{lab(5000), {}, {{ip("10.1.0.2"), 5, lab(100)}}}};
    GrBed b(config::GracefulRestartMode::full, std::move(o));
    b.connect(ft(0, 0));
    REQUIRE(b.owner.negotiated->peer_ft);
    CHECK(b.owner.negotiated->peer_ft->reconnect_timeout_ms == 120000);
    CHECK(b.owner.negotiated->peer_ft->recovery_time_ms > 100000);  // what is left of 120 s
    CHECK(b.instance->recovering());
    CHECK(b.recovered == 0);
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.recovered == 1; }));
    REQUIRE(b.lfib.size() == 1);
    CHECK(b.lfib[0].in_label == lab(5000));
    CHECK_FALSE(b.instance->recovering());
    REQUIRE(run_until(b.io, [&] { return b.owner.mappings() == 1; }));
    CHECK(std::get<LabelMapping>(b.owner.messages.back().body).label == lab(5000));
}

TEST_CASE("instance not restarting: recovery complete at start", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::full);
    CHECK(b.recovered == 1);
    CHECK_FALSE(b.instance->recovering());
}

TEST_CASE("instance: a graceful stop leaves the LFIB in place", "[ldp][gr][instance]") {
    GrBed b(config::GracefulRestartMode::full);
    b.connect(std::nullopt);
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), 5}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.lfib.size() == 1; }));
    b.instance->stop_keeping_forwarding();
    CHECK(b.lfib.size() == 1);  // no removal
    REQUIRE(run_until(b.io, [&] { return b.owner.down == 1; }));
    // The neighbour saw the connection close, no Shutdown Notification.
    CHECK(b.owner.last_down == "connection closed by the peer");
}
