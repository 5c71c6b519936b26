#include <catch2/catch.hpp>

#include "ldp/codec/message.hpp"
#include "ldp/session/fsm.hpp"
#include "ldp/session/negotiate.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::session;
using std::chrono::seconds;

namespace {

const LdpId kUs{RouterId(0x0a000001), 0};    // 10.0.0.1:0
const LdpId kPeer{RouterId(0x0a000002), 0};  // 10.0.0.2:0

LocalSessionConfig our_config() {
    LocalSessionConfig c;
    c.id = kUs;
    return c;
}

Initialization peer_init(uint16_t keepalive = 180) {
    Initialization m;
    m.params.keepalive_time = keepalive;
    m.params.receiver = kUs;
    return m;
}

Event ev(EventType t) { return Event::of(t); }
Event good_init(uint16_t keepalive = 180) { return Event::init(negotiate(our_config(), peer_init(keepalive), 7)); }
Event bad_init() {
    Initialization m = peer_init();
    m.params.keepalive_time = 0;
    return Event::init(negotiate(our_config(), m, 7));
}
Event fatal_notification(StatusCode c = StatusCode::SessionRejectedNoHello) {
    return Event::notification({c, true, false, 0, 0});
}
Event advisory_notification() { return Event::notification({StatusCode::UnknownTlv, false, false, 0, 0}); }

Notification status(StatusCode c) {
    Notification n;
    n.status = {c, is_fatal(c), false, 0, 0};
    return n;
}

Settings with_role(Role r) {
    Settings s;
    s.role = r;
    return s;
}

NegotiatedSession session_with_keepalive(int ka) {
    NegotiatedSession s;
    s.keepalive_time = seconds(ka);
    s.dynamic_announcement = s.typed_wildcard_fec = s.unrecognized_notification = false;
    return s;
}

using Actions = std::vector<Action>;
const Actions kTeardown{StopTimer{Timer::keepalive}, StopTimer{Timer::session_hold}, CloseConnection{}};

Actions concat(Actions a, const Actions& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Fsm in_state(Role role, State target) {
    Fsm f(with_role(role));
    f.handle(ev(EventType::start));
    if (target == State::non_existent) return f;
    if (role == Role::active) {
        f.handle(ev(EventType::tcp_connected));
        REQUIRE(f.state() == State::open_sent);
        if (target == State::open_sent) return f;
    } else {
        f.handle(ev(EventType::tcp_accepted));
        REQUIRE(f.state() == State::initialized);
        if (target == State::initialized) return f;
    }
    f.handle(good_init());
    REQUIRE(f.state() == State::open_rec);
    if (target == State::open_rec) return f;
    f.handle(ev(EventType::keepalive_received));
    REQUIRE(f.state() == State::operational);
    return f;
}

}  // namespace

TEST_CASE("LDP FSM: the higher transport address is the active LSR", "[ldp][fsm]") {
    auto a = Ipv4Address::from_uint(0x0a000001), b = Ipv4Address::from_uint(0x0a000002);
    CHECK(role_for(b, a) == Role::active);
    CHECK(role_for(a, b) == Role::passive);
    // Compared as unsigned: 192.0.2.1 is above 10.0.0.2.
    CHECK(role_for(Ipv4Address::from_uint(0xc0000201), b) == Role::active);
}

TEST_CASE("LDP FSM: passive LSR, NON EXISTENT -> INITIALIZED -> OPENREC -> OPERATIONAL", "[ldp][fsm]") {
    Fsm f(with_role(Role::passive));
    CHECK(f.handle(ev(EventType::start)).empty());
    CHECK(f.state() == State::non_existent);
    CHECK(f.handle(ev(EventType::tcp_accepted)) == Actions{StartTimer{Timer::session_hold, seconds(15)}});
    CHECK(f.state() == State::initialized);
    // Rx acceptable Init: Tx Init and KeepAlive; keepalive time min(180, 90) = 90, sent every 30 s.
    CHECK(f.handle(good_init(90)) ==
          Actions{SendInitialization{}, SendKeepAlive{}, StartTimer{Timer::keepalive, seconds(30)},
                  StartTimer{Timer::session_hold, seconds(90)}});
    CHECK(f.state() == State::open_rec);
    REQUIRE(f.negotiated());
    CHECK(f.negotiated()->keepalive_time == seconds(90));
    auto a = f.handle(ev(EventType::keepalive_received));
    REQUIRE(a.size() == 2);
    CHECK(a[0] == Action(StartTimer{Timer::session_hold, seconds(90)}));
    REQUIRE(std::holds_alternative<SessionUp>(a[1]));
    CHECK(std::get<SessionUp>(a[1]).session.keepalive_time == seconds(90));
    CHECK(f.state() == State::operational);
}

TEST_CASE("LDP FSM: active LSR, NON EXISTENT -> OPENSENT -> OPENREC -> OPERATIONAL", "[ldp][fsm]") {
    Fsm f(with_role(Role::active));
    CHECK(f.handle(ev(EventType::start)) == Actions{InitiateConnection{}});
    CHECK(f.handle(ev(EventType::start)).empty());  // already started
    CHECK(f.handle(ev(EventType::tcp_connected)) ==
          Actions{SendInitialization{}, StartTimer{Timer::session_hold, seconds(15)}});
    CHECK(f.state() == State::open_sent);
    // Rx acceptable Init: Tx KeepAlive only (our Init went out already).
    CHECK(f.handle(good_init()) == Actions{SendKeepAlive{}, StartTimer{Timer::keepalive, seconds(60)},
                                           StartTimer{Timer::session_hold, seconds(180)}});
    CHECK(f.state() == State::open_rec);
    auto a = f.handle(ev(EventType::keepalive_received));
    CHECK(std::holds_alternative<SessionUp>(a.back()));
    CHECK(f.state() == State::operational);
    CHECK(f.failed_attempts() == 0);
}

TEST_CASE("LDP FSM: roles refuse the connection the other side should make", "[ldp][fsm]") {
    Fsm active(with_role(Role::active));
    active.handle(ev(EventType::start));
    CHECK(active.handle(ev(EventType::tcp_accepted)) == Actions{CloseConnection{}});
    CHECK(active.state() == State::non_existent);
    Fsm passive(with_role(Role::passive));
    passive.handle(ev(EventType::start));
    CHECK(passive.handle(ev(EventType::tcp_connected)) == Actions{CloseConnection{}});
    CHECK(passive.state() == State::non_existent);
    // Before start (no adjacency yet) even the passive LSR refuses.
    Fsm idle(with_role(Role::passive));
    CHECK(idle.handle(ev(EventType::tcp_accepted)) == Actions{CloseConnection{}});
}

TEST_CASE("LDP FSM: NON EXISTENT ignores messages and timers", "[ldp][fsm]") {
    for (Role r : {Role::active, Role::passive}) {
        Fsm f = in_state(r, State::non_existent);
        for (EventType t : {EventType::keepalive_received, EventType::message_received,
                            EventType::keepalive_timer_expired, EventType::session_hold_expired,
                            EventType::tcp_closed}) {
            CHECK(f.handle(ev(t)).empty());
            CHECK(f.state() == State::non_existent);
        }
        CHECK(f.handle(good_init()).empty());
        CHECK(f.handle(fatal_notification()).empty());
    }
}

TEST_CASE("LDP FSM: an unacceptable Initialization is rejected with its status code", "[ldp][fsm]") {
    SECTION("passive, in INITIALIZED: no backoff") {
        Fsm f = in_state(Role::passive, State::initialized);
        auto a = f.handle(bad_init());
        Notification n = session_rejection(StatusCode::SessionRejectedBadKeepAliveTime, 7);
        CHECK(n.status.fatal);
        CHECK(n.status.message_type == uint16_t(MessageType::Initialization));
        CHECK(a == concat({SendNotification{n}}, kTeardown));
        CHECK(f.state() == State::non_existent);
    }
    SECTION("active, in OPENSENT: backoff starts") {
        Fsm f = in_state(Role::active, State::open_sent);
        auto a = f.handle(bad_init());
        CHECK(a == concat(concat({SendNotification{session_rejection(StatusCode::SessionRejectedBadKeepAliveTime, 7)}},
                                 kTeardown),
                          {StartTimer{Timer::backoff, seconds(15)}}));
        CHECK(f.state() == State::non_existent);
        CHECK(f.failed_attempts() == 1);
    }
}

TEST_CASE("LDP FSM: non-fatal notices of the negotiation go out first", "[ldp][fsm]") {
    Initialization m = peer_init();
    m.unknown.push_back(UnknownTlv{false, false, 0x0999, {0x80}});
    Negotiation n = negotiate(our_config(), m, 7);
    REQUIRE(n.notices.size() == 1);
    Fsm f = in_state(Role::passive, State::initialized);
    auto a = f.handle(Event::init(n));
    REQUIRE(a.size() == 5);
    CHECK(a[0] == Action(SendNotification{n.notices[0]}));
    CHECK(a[1] == Action(SendInitialization{}));
    CHECK(f.state() == State::open_rec);
}

TEST_CASE("LDP FSM: any other message before OPERATIONAL is an error", "[ldp][fsm]") {
    const Actions shutdown = concat({SendNotification{status(StatusCode::Shutdown)}}, kTeardown);
    SECTION("INITIALIZED: KeepAlive or label message") {
        for (EventType t : {EventType::keepalive_received, EventType::message_received}) {
            Fsm f = in_state(Role::passive, State::initialized);
            CHECK(f.handle(ev(t)) == shutdown);
            CHECK(f.state() == State::non_existent);
        }
    }
    SECTION("OPENSENT: KeepAlive or label message") {
        for (EventType t : {EventType::keepalive_received, EventType::message_received}) {
            Fsm f = in_state(Role::active, State::open_sent);
            CHECK(f.handle(ev(t)) == concat(shutdown, {StartTimer{Timer::backoff, seconds(15)}}));
            CHECK(f.state() == State::non_existent);
        }
    }
    SECTION("OPENREC: label message or a second Initialization") {
        Fsm f = in_state(Role::passive, State::open_rec);
        CHECK(f.handle(ev(EventType::message_received)) == shutdown);
        Fsm g = in_state(Role::passive, State::open_rec);
        CHECK(g.handle(good_init()) == shutdown);
        CHECK(g.state() == State::non_existent);
    }
    SECTION("OPERATIONAL: a second Initialization") {
        Fsm f = in_state(Role::passive, State::operational);
        CHECK(f.handle(good_init()) == concat(shutdown, {SessionDown{}}));
        CHECK(f.state() == State::non_existent);
    }
}

TEST_CASE("LDP FSM: OPERATIONAL keeps the session hold timer running on every PDU", "[ldp][fsm]") {
    Fsm f = in_state(Role::active, State::operational);
    const Actions restart{StartTimer{Timer::session_hold, seconds(180)}};
    CHECK(f.handle(ev(EventType::keepalive_received)) == restart);
    CHECK(f.handle(ev(EventType::message_received)) == restart);
    CHECK(f.handle(advisory_notification()) == restart);
    CHECK(f.handle(ev(EventType::keepalive_timer_expired)) ==
          Actions{SendKeepAlive{}, StartTimer{Timer::keepalive, seconds(60)}});
    // Connection events of a second connection change nothing.
    CHECK(f.handle(ev(EventType::tcp_accepted)).empty());
    CHECK(f.handle(ev(EventType::start)).empty());
    CHECK(f.state() == State::operational);
}

TEST_CASE("LDP FSM: OPENREC sends KeepAlives and takes advisory notifications", "[ldp][fsm]") {
    Fsm f = in_state(Role::passive, State::open_rec);
    CHECK(f.handle(ev(EventType::keepalive_timer_expired)) ==
          Actions{SendKeepAlive{}, StartTimer{Timer::keepalive, seconds(60)}});
    CHECK(f.handle(advisory_notification()) == Actions{StartTimer{Timer::session_hold, seconds(180)}});
    CHECK(f.state() == State::open_rec);
}

TEST_CASE("LDP FSM: advisory notifications in INITIALIZED and OPENSENT change nothing", "[ldp][fsm]") {
    Fsm a = in_state(Role::active, State::open_sent);
    CHECK(a.handle(advisory_notification()).empty());
    CHECK(a.state() == State::open_sent);
    Fsm p = in_state(Role::passive, State::initialized);
    CHECK(p.handle(advisory_notification()).empty());
    CHECK(p.state() == State::initialized);
}

TEST_CASE("LDP FSM: a fatal notification closes without answering, in every connected state", "[ldp][fsm]") {
    struct Case {
        Role role;
        State state;
    };
    for (Case c : {Case{Role::passive, State::initialized}, Case{Role::active, State::open_sent},
                   Case{Role::passive, State::open_rec}, Case{Role::active, State::open_rec},
                   Case{Role::passive, State::operational}, Case{Role::active, State::operational}}) {
        Fsm f = in_state(c.role, c.state);
        Actions want = kTeardown;
        if (c.state == State::operational) want.push_back(SessionDown{});
        if (c.role == Role::active) want.push_back(StartTimer{Timer::backoff, seconds(15)});
        CHECK(f.handle(fatal_notification()) == want);
        CHECK(f.state() == State::non_existent);
    }
}

TEST_CASE("LDP FSM: session hold timer expiry sends KeepAlive Timer Expired", "[ldp][fsm]") {
    for (State s : {State::initialized, State::open_rec, State::operational}) {
        Fsm f = in_state(Role::passive, s);
        Actions want = concat({SendNotification{status(StatusCode::KeepAliveTimerExpired)}}, kTeardown);
        if (s == State::operational) want.push_back(SessionDown{});
        CHECK(f.handle(ev(EventType::session_hold_expired)) == want);
        CHECK(f.state() == State::non_existent);
    }
    Fsm a = in_state(Role::active, State::open_sent);
    CHECK(a.handle(ev(EventType::session_hold_expired)) ==
          concat(concat({SendNotification{status(StatusCode::KeepAliveTimerExpired)}}, kTeardown),
                 {StartTimer{Timer::backoff, seconds(15)}}));
    CHECK(status(StatusCode::KeepAliveTimerExpired).status.fatal);
}

TEST_CASE("LDP FSM: TCP closed by the peer", "[ldp][fsm]") {
    Fsm f = in_state(Role::active, State::operational);
    CHECK(f.handle(ev(EventType::tcp_closed)) ==
          Actions{StopTimer{Timer::keepalive}, StopTimer{Timer::session_hold}, SessionDown{},
                  StartTimer{Timer::backoff, seconds(15)}});
    CHECK(f.state() == State::non_existent);
    Fsm p = in_state(Role::passive, State::initialized);
    CHECK(p.handle(ev(EventType::tcp_closed)) == Actions{StopTimer{Timer::keepalive}, StopTimer{Timer::session_hold}});
    CHECK(p.state() == State::non_existent);
    // The passive LSR takes the next connection.
    CHECK(p.handle(ev(EventType::tcp_accepted)) == Actions{StartTimer{Timer::session_hold, seconds(15)}});
}

TEST_CASE("LDP FSM: admin shutdown sends Shutdown and does not retry", "[ldp][fsm]") {
    Fsm f = in_state(Role::active, State::operational);
    CHECK(f.handle(ev(EventType::admin_shutdown)) ==
          concat(concat({SendNotification{status(StatusCode::Shutdown)}}, kTeardown), {SessionDown{}}));
    CHECK(f.state() == State::non_existent);
    CHECK(f.handle(ev(EventType::backoff_expired)).empty());
    CHECK(f.handle(ev(EventType::tcp_connected)) == Actions{CloseConnection{}});
    // Started again (the session is needed again): connects at once.
    CHECK(f.handle(ev(EventType::start)) == Actions{InitiateConnection{}});

    Fsm g = in_state(Role::passive, State::open_rec);
    CHECK(g.handle(ev(EventType::admin_shutdown)) == concat({SendNotification{status(StatusCode::Shutdown)}}, kTeardown));

    Fsm waiting = in_state(Role::active, State::non_existent);
    waiting.handle(ev(EventType::tcp_connect_failed));
    CHECK(waiting.handle(ev(EventType::admin_shutdown)) == Actions{StopTimer{Timer::backoff}});
    CHECK(waiting.handle(ev(EventType::backoff_expired)).empty());
}

TEST_CASE("LDP FSM: initialization backoff doubles from 15 s to the 2 minute cap", "[ldp][fsm][backoff]") {
    Fsm f(with_role(Role::active));
    CHECK(f.handle(ev(EventType::start)) == Actions{InitiateConnection{}});
    std::vector<long> waits;
    for (int i = 0; i < 6; ++i) {
        // Alternate the ways an attempt fails: connect failure, rejection, peer's fatal notification.
        Actions a;
        if (i % 3 == 0) {
            a = f.handle(ev(EventType::tcp_connect_failed));
        } else {
            f.handle(ev(EventType::tcp_connected));
            a = f.handle(i % 3 == 1 ? bad_init() : fatal_notification());
        }
        REQUIRE(std::holds_alternative<StartTimer>(a.back()));
        auto st = std::get<StartTimer>(a.back());
        CHECK(st.timer == Timer::backoff);
        waits.push_back(long(st.duration.count()));
        CHECK(f.state() == State::non_existent);
        CHECK(f.handle(ev(EventType::backoff_expired)) == Actions{InitiateConnection{}});
    }
    CHECK(waits == std::vector<long>{15, 30, 60, 120, 120, 120});
    CHECK(f.failed_attempts() == 6);
    CHECK(f.next_backoff() == seconds(120));

    // Reaching OPERATIONAL resets it; losing that session waits the first step again.
    f.handle(ev(EventType::tcp_connected));
    f.handle(good_init());
    f.handle(ev(EventType::keepalive_received));
    CHECK(f.failed_attempts() == 0);
    auto a = f.handle(ev(EventType::session_hold_expired));
    CHECK(a.back() == Action(StartTimer{Timer::backoff, seconds(15)}));
}

TEST_CASE("LDP FSM: backoff settings and the passive LSR", "[ldp][fsm][backoff]") {
    Settings s = with_role(Role::active);
    s.backoff_initial = seconds(20);
    s.backoff_max = seconds(150);
    Fsm f(s);
    CHECK(f.backoff_for(1) == seconds(20));
    CHECK(f.backoff_for(3) == seconds(80));
    CHECK(f.backoff_for(4) == seconds(150));
    CHECK(f.backoff_for(40) == seconds(150));  // no overflow for long failure runs

    // The passive LSR never connects, so it has no backoff; it waits for the peer.
    Fsm p = in_state(Role::passive, State::initialized);
    p.handle(bad_init());
    CHECK(p.failed_attempts() == 0);
    CHECK(p.handle(ev(EventType::backoff_expired)).empty());
    CHECK(p.handle(ev(EventType::tcp_connect_failed)).empty());
}

TEST_CASE("LDP FSM: short keepalive times still send at least once a second", "[ldp][fsm]") {
    Fsm f = in_state(Role::active, State::open_sent);
    CHECK(f.handle(good_init(2)) == Actions{SendKeepAlive{}, StartTimer{Timer::keepalive, seconds(1)},
                                            StartTimer{Timer::session_hold, seconds(2)}});
    auto a = f.handle(ev(EventType::keepalive_received));
    CHECK(a.back() == Action(SessionUp{[] {
              NegotiatedSession s = session_with_keepalive(2);
              return s;
          }()}));
}

TEST_CASE("LDP FSM: names for logs", "[ldp][fsm]") {
    CHECK(to_string(State::non_existent) == "NON EXISTENT");
    CHECK(to_string(State::open_rec) == "OPENREC");
    CHECK(to_string(Timer::session_hold) == "SessionHoldTimer");
    CHECK(to_string(EventType::init_received) == "InitReceived");
}

// --- Negotiation (RFC 5036 3.5.3, RFC 5561) ---

namespace {

StatusTlv rejected(const Negotiation& n) {
    REQUIRE_FALSE(n.acceptable());
    return n.outcome.error().status;
}

}  // namespace

TEST_CASE("LDP negotiation: keepalive time and max PDU length take the smaller proposal", "[ldp][negotiate]") {
    auto ka = [](uint16_t ours, uint16_t theirs) {
        LocalSessionConfig c = our_config();
        c.keepalive_time = ours;
        Negotiation n = negotiate(c, peer_init(theirs), 1);
        REQUIRE(n.acceptable());
        return n.outcome.value().keepalive_time.count();
    };
    CHECK(ka(180, 30) == 30);
    CHECK(ka(30, 180) == 30);
    CHECK(ka(180, 180) == 180);

    auto pdu = [](uint16_t ours, uint16_t theirs) {
        LocalSessionConfig c = our_config();
        c.max_pdu_length = ours;
        Initialization m = peer_init();
        m.params.max_pdu_length = theirs;
        Negotiation n = negotiate(c, m, 1);
        REQUIRE(n.acceptable());
        return n.outcome.value().max_pdu_length;
    };
    CHECK(pdu(4096, 0) == 4096);     // 0 means 4096
    CHECK(pdu(4096, 255) == 4096);   // so does anything up to 255
    CHECK(pdu(4096, 1500) == 1500);
    CHECK(pdu(1400, 9000) == 1400);
    CHECK(pdu(0, 9000) == 4096);
    CHECK(pdu(0, 256) == 256);
}

TEST_CASE("LDP negotiation: each rejection with its status code", "[ldp][negotiate]") {
    SECTION("receiver LDP identifier is not ours: Session Rejected/No Hello") {
        Initialization m = peer_init();
        m.params.receiver = kPeer;
        StatusTlv s = rejected(negotiate(our_config(), m, 42));
        CHECK(s.code == StatusCode::SessionRejectedNoHello);
        CHECK(uint32_t(s.code) == 0x10);
        CHECK(s.fatal);
        CHECK(s.message_id == 42);
        CHECK(s.message_type == 0x0200);
        // Same LSR id, another label space: still not ours.
        m.params.receiver = LdpId{kUs.lsr_id, 1};
        CHECK(rejected(negotiate(our_config(), m, 42)).code == StatusCode::SessionRejectedNoHello);
    }
    SECTION("protocol version other than 1: Bad Protocol Version") {
        Initialization m = peer_init();
        m.params.protocol_version = 2;
        StatusTlv s = rejected(negotiate(our_config(), m, 1));
        CHECK(uint32_t(s.code) == 0x02);
        CHECK(s.fatal);
    }
    SECTION("keepalive time 0: Session Rejected/Bad KeepAlive Time") {
        StatusTlv s = rejected(negotiate(our_config(), peer_init(0), 1));
        CHECK(uint32_t(s.code) == 0x18);
        CHECK(s.fatal);
    }
    SECTION("the receiver is checked first") {
        Initialization m = peer_init(0);
        m.params.protocol_version = 2;
        m.params.receiver = kPeer;
        CHECK(rejected(negotiate(our_config(), m, 1)).code == StatusCode::SessionRejectedNoHello);
    }
    CHECK(negotiate(our_config(), peer_init(), 1).notices.empty());
}

TEST_CASE("LDP negotiation: downstream on demand and loop detection requests on an Ethernet link", "[ldp][negotiate]") {
    Initialization m = peer_init();
    m.params.downstream_on_demand = true;
    m.params.loop_detection = true;
    m.params.path_vector_limit = 254;
    Negotiation n = negotiate(our_config(), m, 1);
    REQUIRE(n.acceptable());  // RFC 5036 3.5.3: not ATM/FR, so downstream unsolicited, no rejection
    const NegotiatedSession& s = n.outcome.value();
    CHECK_FALSE(s.downstream_on_demand);
    CHECK(s.peer_asked_downstream_on_demand);
    CHECK_FALSE(s.loop_detection);
    CHECK(s.peer_path_vector_limit == 254);
}

TEST_CASE("LDP negotiation: capabilities in effect are those both sides announce", "[ldp][negotiate]") {
    Initialization m = peer_init();
    m.capabilities = {{CapabilityType::TypedWildcardFec, true}, {CapabilityType::UnrecognizedNotification, true},
                      {CapabilityType::DynamicAnnouncement, false}};  // S = 0 announces nothing
    LocalSessionConfig c = our_config();
    c.capabilities = {CapabilityType::DynamicAnnouncement, CapabilityType::TypedWildcardFec};
    Negotiation n = negotiate(c, m, 1);
    REQUIRE(n.acceptable());
    CHECK(n.outcome.value().typed_wildcard_fec);
    CHECK_FALSE(n.outcome.value().unrecognized_notification);  // we don't announce it
    CHECK_FALSE(n.outcome.value().dynamic_announcement);       // they don't
    // The FT Session TLV is recorded for later graceful restart work.
    m.ft = FtSessionParams{ft_flag::kLearn, 120000, 0};
    CHECK(negotiate(c, m, 1).outcome.value().peer_ft == m.ft);
}

TEST_CASE("LDP negotiation: unknown capabilities (RFC 5561 5)", "[ldp][negotiate]") {
    Initialization m = peer_init();
    UnknownTlv u1{true, false, 0x0505, {0x80}};             // U=1: ignored silently
    UnknownTlv u0{false, false, 0x0999, {0x80, 0x01}};      // U=0: Unsupported Capability
    UnknownTlv atm{false, false, tlv_type::kAtmSessionParams, {0, 0, 0, 0}};  // link-specific: ignored
    m.unknown = {u1, u0, atm};
    Negotiation n = negotiate(our_config(), m, 9);
    REQUIRE(n.acceptable());
    REQUIRE(n.notices.size() == 1);
    const Notification& note = n.notices[0];
    CHECK(note.status.code == StatusCode::UnsupportedCapability);
    CHECK(uint32_t(note.status.code) == 0x2E);
    CHECK_FALSE(note.status.fatal);
    CHECK(note.status.message_id == 9);
    CHECK(note.status.message_type == 0x0200);
    // Returned TLVs: only the U=0 one, header included.
    CHECK(note.returned_tlvs == std::vector<uint8_t>{0x09, 0x99, 0x00, 0x02, 0x80, 0x01});

    m.unknown = {u1, atm};
    CHECK(negotiate(our_config(), m, 9).notices.empty());
}

TEST_CASE("LDP negotiation: our own proposal", "[ldp][negotiate]") {
    LocalSessionConfig c = our_config();
    c.keepalive_time = 60;
    c.max_pdu_length = 4096;
    CommonSessionParams p = local_session_params(c, kPeer);
    CHECK(p.protocol_version == 1);
    CHECK(p.keepalive_time == 60);
    CHECK_FALSE(p.downstream_on_demand);
    CHECK_FALSE(p.loop_detection);
    CHECK(p.path_vector_limit == 0);
    CHECK(p.max_pdu_length == 4096);
    CHECK(p.receiver == kPeer);
    // Two isthmus LSRs agree with each other.
    Initialization theirs;
    theirs.params = local_session_params(LocalSessionConfig{kPeer, 90, 4096, {}}, kUs);
    CHECK(negotiate(c, theirs, 1).outcome.value().keepalive_time == seconds(60));
}

TEST_CASE("LDP negotiation: a Capability message on an OPERATIONAL session (RFC 5561 6)", "[ldp][negotiate]") {
    LocalSessionConfig c = our_config();
    c.capabilities = {CapabilityType::DynamicAnnouncement, CapabilityType::TypedWildcardFec};
    NegotiatedSession s;
    s.dynamic_announcement = true;
    CapabilityMessage m;
    m.capabilities = {{CapabilityType::TypedWildcardFec, true},
                      {CapabilityType::UnrecognizedNotification, true},  // not ours: stays off
                      {CapabilityType::DynamicAnnouncement, false}};     // fixed at initialization
    m.unknown = {UnknownTlv{false, false, 0x0777, {0x80}}, UnknownTlv{true, false, 0x0778, {0x80}}};
    auto notices = apply_capability_message(c, s, m, 21);
    CHECK(s.typed_wildcard_fec);
    CHECK_FALSE(s.unrecognized_notification);
    CHECK(s.dynamic_announcement);
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].status.code == StatusCode::UnsupportedCapability);
    CHECK(notices[0].status.message_type == 0x0202);
    CHECK(notices[0].status.message_id == 21);
    CHECK(notices[0].returned_tlvs == std::vector<uint8_t>{0x07, 0x77, 0x00, 0x01, 0x80});
    // Withdrawn (S = 0).
    m.capabilities = {{CapabilityType::TypedWildcardFec, false}};
    m.unknown.clear();
    CHECK(apply_capability_message(c, s, m, 22).empty());
    CHECK_FALSE(s.typed_wildcard_fec);
}
