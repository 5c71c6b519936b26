#include <catch2/catch.hpp>

#include "bgp/fsm/fsm.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::fsm;
using std::chrono::seconds;

namespace {

Event ev(EventType t) { return {t, std::nullopt, seconds(0)}; }
Event open_with_hold(int hold) { return {EventType::bgp_open, std::nullopt, seconds(hold)}; }
Notification note(uint8_t code, uint8_t subcode) { return {code, subcode, {}}; }

template <class A>
bool has(const std::vector<Action>& actions, const A& a) {
    for (const auto& x : actions)
        if (x == Action(a)) return true;
    return false;
}

// The idle hold-down the actions start, or -1.
long idle_hold_of(const std::vector<Action>& actions) {
    for (const auto& x : actions)
        if (auto* s = std::get_if<StartTimer>(&x); s && s->timer == Timer::idle_hold) return long(s->duration.count());
    return -1;
}

const std::vector<Action> kLeaveEstablished{StopTimer{Timer::connect_retry}, StopTimer{Timer::hold},
                                            StopTimer{Timer::keepalive}, StopTimer{Timer::stable},
                                            DropConnection{}, SessionDown{}};

Fsm established(Settings s = {}) {
    Fsm f(s);
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    f.handle(open_with_hold(90));
    f.handle(ev(EventType::keepalive_msg));
    REQUIRE(f.state() == State::established);
    return f;
}

}  // namespace

TEST_CASE("FSM: active open reaches Established with the RFC 4271 actions", "[bgp][fsm]") {
    Fsm f(Settings{});
    CHECK(f.state() == State::idle);
    CHECK(f.handle(ev(EventType::manual_start)) ==
          std::vector<Action>{StopTimer{Timer::idle_hold}, StartTimer{Timer::connect_retry, seconds(120)},
                              InitiateConnection{}});
    CHECK(f.state() == State::connect);
    CHECK(f.handle(ev(EventType::tcp_connection_confirmed)) ==
          std::vector<Action>{StopTimer{Timer::connect_retry}, SendOpen{}, StartTimer{Timer::hold, seconds(240)}});
    CHECK(f.state() == State::open_sent);
    CHECK(f.handle(open_with_hold(90)) ==
          std::vector<Action>{SendKeepalive{}, StartTimer{Timer::keepalive, seconds(30)},
                              StartTimer{Timer::hold, seconds(90)}});
    CHECK(f.state() == State::open_confirm);
    CHECK(f.negotiated_hold() == seconds(90));
    CHECK(f.handle(ev(EventType::keepalive_msg)) ==
          std::vector<Action>{StartTimer{Timer::hold, seconds(90)}, StartTimer{Timer::stable, seconds(180)},
                              SessionUp{}});
    CHECK(f.state() == State::established);
}

TEST_CASE("FSM: passive start waits in Active and never connects", "[bgp][fsm]") {
    Settings s;
    s.passive = true;
    Fsm f(s);
    auto a = f.handle(ev(EventType::manual_start));
    CHECK(f.state() == State::active);
    CHECK_FALSE(has(a, InitiateConnection{}));
    a = f.handle(ev(EventType::connect_retry_expired));
    CHECK(f.state() == State::active);
    CHECK(a == std::vector<Action>{StartTimer{Timer::connect_retry, seconds(120)}});
    f.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(f.state() == State::open_sent);
}

TEST_CASE("FSM: a failed connect keeps listening in Active and retries from Connect", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    auto a = f.handle(ev(EventType::tcp_connection_fails));
    CHECK(f.state() == State::active);
    CHECK(a == std::vector<Action>{DropConnection{}, StartTimer{Timer::connect_retry, seconds(120)}});
    a = f.handle(ev(EventType::connect_retry_expired));
    CHECK(f.state() == State::connect);
    CHECK(a == std::vector<Action>{StartTimer{Timer::connect_retry, seconds(120)}, InitiateConnection{}});
    a = f.handle(ev(EventType::connect_retry_expired));
    CHECK(f.state() == State::connect);
    CHECK(a == std::vector<Action>{DropConnection{}, StartTimer{Timer::connect_retry, seconds(120)},
                                   InitiateConnection{}});
}

TEST_CASE("FSM: keepalive is a third of the negotiated hold time, or the configured interval", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(has(f.handle(open_with_hold(9)), StartTimer{Timer::keepalive, seconds(3)}));
    Settings s;
    s.keepalive = seconds(10);
    Fsm g(s);
    g.handle(ev(EventType::manual_start));
    g.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(has(g.handle(open_with_hold(180)), StartTimer{Timer::keepalive, seconds(10)}));
    // Hold 3 (the smallest allowed) still keeps a 1-second keepalive.
    Fsm h(Settings{});
    h.handle(ev(EventType::manual_start));
    h.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(has(h.handle(open_with_hold(3)), StartTimer{Timer::keepalive, seconds(1)}));
    CHECK(h.handle(ev(EventType::keepalive_expired)) ==
          std::vector<Action>{SendKeepalive{}, StartTimer{Timer::keepalive, seconds(1)}});
}

TEST_CASE("FSM: hold time 0 runs no keepalive or hold timer", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(f.handle(open_with_hold(0)) ==
          std::vector<Action>{SendKeepalive{}, StopTimer{Timer::hold}, StopTimer{Timer::keepalive}});
    CHECK(f.handle(ev(EventType::keepalive_msg)) ==
          std::vector<Action>{StartTimer{Timer::stable, seconds(180)}, SessionUp{}});
    CHECK(f.handle(ev(EventType::update_msg)).empty());
    CHECK(f.handle(ev(EventType::keepalive_msg)).empty());
}

TEST_CASE("FSM: Established restarts the hold timer on KEEPALIVE and UPDATE, sends keepalives", "[bgp][fsm]") {
    auto f = established();
    CHECK(f.handle(ev(EventType::update_msg)) == std::vector<Action>{StartTimer{Timer::hold, seconds(90)}});
    CHECK(f.handle(ev(EventType::keepalive_msg)) == std::vector<Action>{StartTimer{Timer::hold, seconds(90)}});
    CHECK(f.handle(ev(EventType::keepalive_expired)) ==
          std::vector<Action>{SendKeepalive{}, StartTimer{Timer::keepalive, seconds(30)}});
    CHECK(f.state() == State::established);
}

TEST_CASE("FSM: hold timer expiry sends NOTIFICATION 4 and schedules a restart", "[bgp][fsm]") {
    auto f = established();
    auto a = f.handle(ev(EventType::hold_expired));
    std::vector<Action> want{SendNotification{note(4, 0)}};
    want.insert(want.end(), kLeaveEstablished.begin(), kLeaveEstablished.end());
    want.push_back(StartTimer{Timer::idle_hold, seconds(1)});
    CHECK(a == want);
    CHECK(f.state() == State::idle);
    CHECK(f.connect_retry_counter() == 1);
    // The idle hold-down's expiry is the automatic start.
    a = f.handle(ev(EventType::idle_hold_expired));
    CHECK(f.state() == State::connect);
    CHECK(has(a, InitiateConnection{}));
}

TEST_CASE("FSM: consecutive failures double the idle hold-down up to its cap", "[bgp][fsm]") {
    Settings s;
    s.idle_hold = seconds(2);
    s.idle_hold_max = seconds(20);
    Fsm f(s);
    f.handle(ev(EventType::manual_start));
    std::vector<long> holds;
    for (int i = 0; i < 6; ++i) {
        f.handle(ev(EventType::tcp_connection_confirmed));
        holds.push_back(idle_hold_of(f.handle(ev(EventType::hold_expired))));
        f.handle(ev(EventType::idle_hold_expired));
    }
    CHECK(holds == std::vector<long>{2, 4, 8, 16, 20, 20});
}

TEST_CASE("FSM: a session that stays up forgets earlier flaps", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    for (int i = 0; i < 3; ++i) {
        f.handle(ev(EventType::tcp_connection_confirmed));
        f.handle(ev(EventType::hold_expired));
        f.handle(ev(EventType::idle_hold_expired));
    }
    CHECK(f.next_idle_hold() == seconds(4));
    f.handle(ev(EventType::tcp_connection_confirmed));
    f.handle(open_with_hold(90));
    f.handle(ev(EventType::keepalive_msg));
    CHECK(f.handle(ev(EventType::stable_expired)).empty());
    CHECK(idle_hold_of(f.handle(ev(EventType::notif_msg))) == 1);
}

TEST_CASE("FSM: ManualStop sends the RFC 9003 Cease and stays down until ManualStart", "[bgp][fsm]") {
    auto f = established();
    auto shutdown = make_shutdown(cease::kAdministrativeShutdown, "maintenance until 18:00");
    auto a = f.handle({EventType::manual_stop, shutdown, seconds(0)});
    std::vector<Action> want{SendNotification{shutdown}};
    want.insert(want.end(), kLeaveEstablished.begin(), kLeaveEstablished.end());
    CHECK(a == want);  // and no idle hold-down: no automatic restart
    CHECK(f.state() == State::idle);
    CHECK(f.connect_retry_counter() == 0);
    CHECK(f.handle(ev(EventType::idle_hold_expired)).empty());
    CHECK(f.handle(ev(EventType::automatic_start)).empty());
    CHECK(f.state() == State::idle);
    f.handle(ev(EventType::manual_start));
    CHECK(f.state() == State::connect);
}

TEST_CASE("FSM: ManualStop without a message sends Cease/Administrative Shutdown", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(has(f.handle(ev(EventType::manual_stop)), SendNotification{note(6, 2)}));
    // Before any OPEN went out there is nothing to notify.
    Fsm g(Settings{});
    g.handle(ev(EventType::manual_start));
    auto a = g.handle(ev(EventType::manual_stop));
    CHECK(a == std::vector<Action>{StopTimer{Timer::connect_retry}, StopTimer{Timer::hold}, StopTimer{Timer::keepalive},
                                   StopTimer{Timer::stable}, DropConnection{}});
}

TEST_CASE("FSM: AutomaticStop sends the Cease it carries (max prefixes)", "[bgp][fsm]") {
    auto f = established();
    auto max_prefix = note(6, cease::kMaxPrefixes);
    auto a = f.handle({EventType::automatic_stop, max_prefix, seconds(0)});
    CHECK(a.front() == Action(SendNotification{max_prefix}));
    CHECK(has(a, SessionDown{}));
    CHECK(idle_hold_of(a) == 1);
}

TEST_CASE("FSM: unexpected messages give FSM errors with RFC 6608 subcodes", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    CHECK(f.handle(ev(EventType::update_msg)).front() == Action(SendNotification{note(5, 1)}));

    Fsm g(Settings{});
    g.handle(ev(EventType::manual_start));
    g.handle(ev(EventType::tcp_connection_confirmed));
    g.handle(open_with_hold(90));
    CHECK(g.handle(ev(EventType::update_msg)).front() == Action(SendNotification{note(5, 2)}));

    auto h = established();
    auto a = h.handle(open_with_hold(90));
    CHECK(a.front() == Action(SendNotification{note(5, 3)}));
    CHECK(has(a, SessionDown{}));

    // A stray timer is an FSM error too, but not a message: subcode 0.
    auto k = established();
    CHECK(k.handle(ev(EventType::connect_retry_expired)).front() == Action(SendNotification{note(5, 0)}));
}

TEST_CASE("FSM: errors detected in messages send the NOTIFICATION they carry", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    auto bad_as = note(2, open_error::kBadPeerAs);
    auto a = f.handle({EventType::bgp_open_msg_err, bad_as, seconds(0)});
    CHECK(a.front() == Action(SendNotification{bad_as}));
    CHECK(f.state() == State::idle);
    CHECK(f.connect_retry_counter() == 1);

    auto g = established();
    auto bad_attr = note(3, update_error::kMalformedAttributeList);
    a = g.handle({EventType::update_msg_err, bad_attr, seconds(0)});
    CHECK(a.front() == Action(SendNotification{bad_attr}));
    CHECK(has(a, SessionDown{}));
}

TEST_CASE("FSM: collision resolution dumps the losing connection with Cease 7", "[bgp][fsm]") {
    Fsm f(Settings{});
    f.handle(ev(EventType::manual_start));
    f.handle(ev(EventType::tcp_connection_confirmed));
    f.handle(open_with_hold(90));
    auto a = f.handle(ev(EventType::open_collision_dump));
    CHECK(a.front() == Action(SendNotification{note(6, cease::kConnectionCollision)}));
    CHECK(f.state() == State::idle);
}

TEST_CASE("FSM: a NOTIFICATION from the peer ends the session without an answer", "[bgp][fsm]") {
    auto f = established();
    CHECK(f.handle(ev(EventType::notif_msg)) ==
          [] {
              auto want = kLeaveEstablished;
              want.push_back(StartTimer{Timer::idle_hold, seconds(1)});
              return want;
          }());
    // A version error in the peer's NOTIFICATION does not count as a flap (RFC 4271: no counter increment).
    Fsm g(Settings{});
    g.handle(ev(EventType::manual_start));
    g.handle(ev(EventType::tcp_connection_confirmed));
    g.handle(ev(EventType::notif_msg_ver_err));
    CHECK(g.connect_retry_counter() == 0);
    CHECK(g.state() == State::idle);
}

TEST_CASE("FSM: Idle ignores everything but starts", "[bgp][fsm]") {
    Fsm f(Settings{});
    for (auto t : {EventType::tcp_connection_confirmed, EventType::bgp_open, EventType::hold_expired,
                   EventType::keepalive_msg, EventType::update_msg, EventType::manual_stop})
        CHECK(f.handle(ev(t)).empty());
    CHECK(f.state() == State::idle);
    Settings s;
    s.allow_automatic_start = false;
    Fsm g(s);
    CHECK(g.handle(ev(EventType::automatic_start)).empty());
    CHECK(g.state() == State::idle);
    CHECK(to_string(State::open_confirm) == "OpenConfirm");
    CHECK(to_string(EventType::tcp_connection_fails) == "TcpConnectionFails");
    CHECK(to_string(Timer::idle_hold) == "IdleHoldTimer");
}
