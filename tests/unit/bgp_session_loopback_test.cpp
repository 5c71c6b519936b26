// Two speakers of ours on 127.0.0.1 and 127.0.0.2 over real TCP sockets: sessions
// reach Established, carry an UPDATE, refuse a wrong AS and a family mismatch with the
// right NOTIFICATION, resolve a connection collision, and shut down with RFC 9003 text.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>

#include "bgp/speaker/speaker.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

struct Recorder : session::Observer {
    std::vector<std::pair<fsm::State, fsm::State>> transitions;
    std::vector<session::PeerInfo> ups;
    int downs = 0;
    std::vector<Update> updates;
    void state_changed(session::Session&, fsm::State from, fsm::State to, std::string_view) override {
        transitions.emplace_back(from, to);
    }
    void established(session::Session&, const session::PeerInfo& p) override { ups.push_back(p); }
    void down(session::Session&, bool) override { ++downs; }
    void update(session::Session&, const Update& u) override { updates.push_back(u); }
    void route_refresh(session::Session&, const RouteRefresh&) override {}
};

const Ipv4Address kA = Ipv4Address::from_uint(0x7f000001);
const Ipv4Address kB = Ipv4Address::from_uint(0x7f000002);

// A port free on both loopback addresses (the two listeners share it).
uint16_t free_port(asio::io_context& io) {
    for (int i = 0; i < 20; ++i) {
        asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        auto port = a.local_endpoint().port();
        boost::system::error_code ec;
        asio::ip::tcp::acceptor b(io);
        b.open(asio::ip::tcp::v4());
        b.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), port), ec);
        if (!ec) return port;
    }
    FAIL("no free port");
    return 0;
}

// The neighbor at addr, seen from the other loopback address (our update-source).
config::BgpNeighbor neighbor(Ipv4Address addr, uint32_t as, bool passive) {
    config::BgpNeighbor n;
    n.address = addr;
    n.update_source = IpAddress(addr == kA ? kB : kA);
    n.remote_as = Asn(as);
    n.passive = passive;
    n.families = {config::Family::ipv6_labeled_unicast};
    n.timers.hold_time = 3s;
    n.timers.keepalive_time = 1s;
    n.timers.connect_retry_time = 1s;
    return n;
}

session::LocalIdentity identity(Ipv4Address id, uint32_t as) {
    session::LocalIdentity l;
    l.asn = Asn(as);
    l.router_id = RouterId::from_address(id);
    return l;
}

struct Pair {
    asio::io_context io;
    Recorder ra, rb;
    std::unique_ptr<speaker::Speaker> a, b;
    Pair(config::BgpNeighbor a_sees_b, config::BgpNeighbor b_sees_a, uint32_t as_a = 65000, uint32_t as_b = 65000) {
        speaker::SpeakerOptions o;
        o.listen_port = free_port(io);
        o.session.peer_port = o.listen_port;
        o.session.idle_hold = 5s;  // a refused session must not come back within the test
        o.listen_addresses = {kA};
        a = std::make_unique<speaker::Speaker>(io, identity(kA, as_a), std::vector{a_sees_b}, ra, o);
        o.listen_addresses = {kB};
        b = std::make_unique<speaker::Speaker>(io, identity(kB, as_b), std::vector{b_sees_a}, rb, o);
        REQUIRE(a->start().ok());
        REQUIRE(b->start().ok());
    }
    session::Session& sa() { return *a->sessions().front(); }
    session::Session& sb() { return *b->sessions().front(); }
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 1500ms) {
        auto end = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < end) io.run_for(5ms);
        return done();
    }
};

Update six_pe_update() {
    Update u;
    u.attrs.origin = Origin::Igp;
    u.attrs.as_path = AsPath{};
    u.attrs.local_pref = 100;
    MpReach r;
    r.family = Family::Ipv6Labeled;
    r.next_hop = MappedNextHop{kB};
    r.v6.push_back({Ipv6Prefix::parse("2001:db8:7::/48").value(), 0, LabelStack{MplsLabel::ipv6_explicit_null()}});
    u.mp_reach = r;
    return u;
}

}  // namespace

TEST_CASE("two speakers establish 6PE over loopback and carry an UPDATE", "[bgp][session][socket]") {
    Pair p(neighbor(kB, 65000, true), neighbor(kA, 65000, false));
    REQUIRE(p.run_until([&] { return p.ra.ups.size() == 1 && p.rb.ups.size() == 1; }));
    CHECK(p.sa().state() == fsm::State::established);
    CHECK(p.sb().state() == fsm::State::established);
    auto& up = p.ra.ups.front();
    CHECK(up.ibgp);
    CHECK(up.id == RouterId::from_address(kB));
    CHECK(up.hold == 3s);
    CHECK(up.negotiated.families == std::vector<Family>{Family::Ipv6Labeled});
    CHECK(up.local_address == IpAddress(kA));
    CHECK(p.rb.ups.front().local_address == IpAddress(kB));
    // The passive side went Idle -> Active -> OpenSent -> OpenConfirm -> Established.
    CHECK(p.ra.transitions == std::vector<std::pair<fsm::State, fsm::State>>{
                                  {fsm::State::idle, fsm::State::active},
                                  {fsm::State::active, fsm::State::open_sent},
                                  {fsm::State::open_sent, fsm::State::open_confirm},
                                  {fsm::State::open_confirm, fsm::State::established}});

    REQUIRE(p.sb().send(six_pe_update()));
    REQUIRE(p.run_until([&] { return !p.ra.updates.empty(); }));
    REQUIRE(p.ra.updates.front().mp_reach);
    CHECK(p.ra.updates.front().mp_reach->v6 == six_pe_update().mp_reach->v6);
    CHECK(std::get<MappedNextHop>(p.ra.updates.front().mp_reach->next_hop).v4 == kB);

    // Admin shutdown with an RFC 9003 message, as the peer sees it.
    p.sa().stop("maintenance window");
    REQUIRE(p.run_until([&] { return p.rb.downs == 1 && p.sb().last_received(); }));
    CHECK(p.sb().last_received()->code == 6);
    CHECK(p.sb().last_received()->subcode == 2);
    CHECK(p.sb().last_received()->shutdown_communication() == "maintenance window");
    CHECK(p.sa().state() == fsm::State::idle);
}

TEST_CASE("a wrong peer AS is refused with Bad Peer AS, as the peer reports it", "[bgp][session][socket]") {
    // A expects AS 65099; B is AS 65000.
    Pair p(neighbor(kB, 65099, true), neighbor(kA, 65000, false));
    REQUIRE(p.run_until([&] { return p.sb().last_received().has_value(); }));
    CHECK(*p.sb().last_received() == Notification{2, 2, {}});
    CHECK(*p.sa().last_sent() == Notification{2, 2, {}});
    CHECK(p.ra.ups.empty());
    CHECK(p.rb.ups.empty());
}

TEST_CASE("no common family is refused with Unsupported Capability", "[bgp][session][socket]") {
    auto a_sees_b = neighbor(kB, 65000, true);
    a_sees_b.families = {config::Family::ipv6_unicast};
    Pair p(a_sees_b, neighbor(kA, 65000, false));
    // Each side refuses the other's OPEN; which NOTIFICATION arrives before the close is a race.
    REQUIRE(p.run_until([&] { return p.sa().last_sent() && p.sb().last_sent(); }));
    CHECK(*p.sa().last_sent() == Notification{2, 7, {1, 4, 0, 2, 0, 1}});
    CHECK(*p.sb().last_sent() == Notification{2, 7, {1, 4, 0, 2, 0, 4}});
    CHECK(p.ra.ups.empty());
    CHECK(p.rb.ups.empty());
}

TEST_CASE("both sides active: the collision leaves one session per side", "[bgp][session][socket]") {
    Pair p(neighbor(kB, 65000, false), neighbor(kA, 65000, false));
    REQUIRE(p.run_until([&] { return p.ra.ups.size() == 1 && p.rb.ups.size() == 1; }));
    // Let any loser connection finish closing: the winner must survive it.
    p.run_until([] { return false; }, 150ms);
    CHECK(p.sa().state() == fsm::State::established);
    CHECK(p.sb().state() == fsm::State::established);
    CHECK(p.sa().established_count() == 1);
    CHECK(p.sb().established_count() == 1);
    CHECK(p.ra.downs == 0);
    CHECK(p.rb.downs == 0);
}

TEST_CASE("hold time 0 on one side: Established without keepalives", "[bgp][session][socket]") {
    auto b_sees_a = neighbor(kA, 65000, false);
    b_sees_a.timers.hold_time = 0s;
    Pair p(neighbor(kB, 65000, true), b_sees_a);
    REQUIRE(p.run_until([&] { return p.ra.ups.size() == 1 && p.rb.ups.size() == 1; }));
    CHECK(p.ra.ups.front().hold == 0s);
    CHECK(p.rb.ups.front().hold == 0s);
}

TEST_CASE("a connection from an address that is no neighbor is closed", "[bgp][session][socket]") {
    Pair p(neighbor(kB, 65000, true), neighbor(kA, 65000, true));  // both passive: nobody connects
    asio::ip::tcp::socket s(p.io);
    s.open(asio::ip::tcp::v4());
    s.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.3"), 0));
    s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), p.a->port()));
    bool closed = false;
    std::array<uint8_t, 64> buf;
    s.async_read_some(asio::buffer(buf), [&](const boost::system::error_code& ec, std::size_t) { closed = bool(ec); });
    REQUIRE(p.run_until([&] { return closed; }));
    CHECK(p.sa().state() == fsm::State::active);
}

namespace {

// The far end of one TCP connection, played by the test: collects whole messages.
struct RawEnd {
    asio::ip::tcp::socket s;
    std::vector<uint8_t> buf = std::vector<uint8_t>(8192);
    std::vector<uint8_t> in;
    std::vector<Message> got;
    bool eof = false;
    explicit RawEnd(asio::ip::tcp::socket sock) : s(std::move(sock)) { read(); }
    void read() {
        s.async_read_some(asio::buffer(buf), [this](const boost::system::error_code& ec, std::size_t n) {
            if (ec) {
                eof = true;
                return;
            }
            in.insert(in.end(), buf.begin(), buf.begin() + long(n));
            while (in.size() >= kHeaderSize) {
                std::size_t len = std::size_t(in[16]) << 8 | in[17];
                if (in.size() < len) break;
                auto m = decode(std::span<const uint8_t>(in.data(), len), Context{});
                REQUIRE(m.ok());
                got.push_back(*m);
                in.erase(in.begin(), in.begin() + long(len));
            }
            read();
        });
    }
    void send(const Message& m) { send_bytes(encode(m, Context{}).value()); }
    void send_bytes(const std::vector<uint8_t>& bytes) { asio::write(s, asio::buffer(bytes)); }
    bool has(MessageType t) const {
        for (auto& m : got)
            if (type_of(m) == t) return true;
        return false;
    }
    const Notification* notification() const {
        for (auto& m : got)
            if (auto* n = std::get_if<Notification>(&m)) return n;
        return nullptr;
    }
};

Open fake_open(Ipv4Address id) {
    Open o;
    o.my_as = 65000;
    o.hold_time = 3;
    o.bgp_id = RouterId::from_address(id);
    o.capabilities = {MultiprotocolCapability{afi_safi_of(Family::Ipv6Labeled)}, FourOctetAsCapability{Asn(65000)}};
    return o;
}

}  // namespace

TEST_CASE("connection collision: the connection opened by the higher identifier stays (RFC 4271 6.8)",
          "[bgp][session][socket]") {
    // The test plays the peer 127.0.0.2 with raw sockets: it accepts our speaker's
    // connection (left in OpenSent) and opens a second one to it.
    bool peer_higher = GENERATE(true, false);
    asio::io_context io;
    Recorder rec;
    asio::ip::tcp::acceptor fake(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0));
    speaker::SpeakerOptions o;
    o.listen_addresses = {kA};
    o.listen_port = 0;
    o.session.peer_port = fake.local_endpoint().port();
    auto n = neighbor(kB, 65000, false);
    // Our identifier is 127.0.0.1; the peer's is 127.0.0.2 (higher) or 0.0.0.1 (lower).
    auto peer_id = peer_higher ? kB : Ipv4Address::from_uint(1);
    speaker::Speaker sp(io, identity(kA, 65000), {n}, rec, o);
    REQUIRE(sp.start().ok());
    auto run_until = [&](const std::function<bool()>& done) {
        auto end = std::chrono::steady_clock::now() + 1000ms;
        while (!done() && std::chrono::steady_clock::now() < end) io.run_for(5ms);
        return done();
    };
    std::unique_ptr<RawEnd> ours;  // the connection our speaker opened
    fake.async_accept([&](const boost::system::error_code& ec, asio::ip::tcp::socket s) {
        if (!ec) ours = std::make_unique<RawEnd>(std::move(s));
    });
    REQUIRE(run_until([&] { return ours && ours->has(MessageType::Open); }));
    auto& session = *sp.sessions().front();
    CHECK(session.state() == fsm::State::open_sent);

    asio::ip::tcp::socket s(io);
    s.open(asio::ip::tcp::v4());
    s.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0));
    s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), sp.port()));
    RawEnd theirs(std::move(s));  // the connection the peer opened
    REQUIRE(run_until([&] { return theirs.has(MessageType::Open); }));
    theirs.send(fake_open(peer_id));

    Notification collision{6, 7, {}};
    if (peer_higher) {
        // Theirs stays: ours gets Cease/Connection Collision Resolution, theirs a KEEPALIVE.
        REQUIRE(run_until([&] { return ours->notification() && theirs.has(MessageType::Keepalive); }));
        CHECK(*ours->notification() == collision);
        CHECK(session.state() == fsm::State::open_confirm);
        theirs.send(Keepalive{});
        REQUIRE(run_until([&] { return session.state() == fsm::State::established; }));
        REQUIRE(run_until([&] { return ours->eof; }));
    } else {
        REQUIRE(run_until([&] { return theirs.notification() != nullptr; }));
        CHECK(*theirs.notification() == collision);
        CHECK(session.state() == fsm::State::open_sent);  // ours stays, still waiting for its OPEN
        ours->send(fake_open(peer_id));
        REQUIRE(run_until([&] { return ours->has(MessageType::Keepalive); }));
        ours->send(Keepalive{});
        REQUIRE(run_until([&] { return session.state() == fsm::State::established; }));
        REQUIRE(run_until([&] { return theirs.eof; }));
    }
    CHECK(rec.ups.size() == 1);
}

TEST_CASE("TCP-MD5 and GTSM on both sides: Established; a different MD5 key never gets to OPEN",
          "[bgp][session][socket]") {
    auto a_sees_b = neighbor(kB, 65000, true);
    auto b_sees_a = neighbor(kA, 65000, false);
    a_sees_b.password = b_sees_a.password = "s3cret";
    a_sees_b.ttl_security = b_sees_a.ttl_security = 1;  // loopback: TTL 255 arrives as sent
    {
        Pair p(a_sees_b, b_sees_a);
        REQUIRE(p.run_until([&] { return p.ra.ups.size() == 1 && p.rb.ups.size() == 1; }));
    }
    b_sees_a.password = "other";
    Pair p(a_sees_b, b_sees_a);
    // The kernel drops unsigned/wrongly signed segments: no connection, no OPEN, no NOTIFICATION.
    p.run_until([] { return false; }, 250ms);
    CHECK(p.sa().state() == fsm::State::active);
    CHECK_FALSE(p.sb().last_received());
    CHECK(p.ra.ups.empty());
}

TEST_CASE("max-prefix teardown sends Cease/1 with AFI, SAFI and the limit (RFC 4486) and stays down",
          "[bgp][session][socket]") {
    auto a_sees_b = neighbor(kB, 65000, true);
    a_sees_b.max_prefixes = config::MaxPrefixes{2, config::MaxPrefixes::Action::teardown, 0s};
    Pair p(a_sees_b, neighbor(kA, 65000, false));
    REQUIRE(p.run_until([&] { return p.ra.ups.size() == 1 && p.rb.ups.size() == 1; }));
    p.sa().prefixes_received(Family::Ipv6Labeled, 2);  // at the limit: fine
    CHECK(p.sa().state() == fsm::State::established);
    p.sa().prefixes_received(Family::Ipv6Labeled, 3);
    REQUIRE(p.run_until([&] { return p.sb().last_received().has_value(); }));
    CHECK(*p.sb().last_received() == Notification{6, 1, {0, 2, 4, 0, 0, 0, 2}});
    // restart-time 0: A stays Idle (B's reconnects are refused) until an operator starts it.
    p.run_until([] { return false; }, 150ms);
    CHECK(p.sa().state() == fsm::State::idle);
    CHECK(p.sa().established_count() == 1);
}

TEST_CASE("max-prefix warn only logs", "[bgp][session][socket]") {
    auto a_sees_b = neighbor(kB, 65000, true);
    a_sees_b.max_prefixes = config::MaxPrefixes{2, config::MaxPrefixes::Action::warn, 0s};
    Pair p(a_sees_b, neighbor(kA, 65000, false));
    REQUIRE(p.run_until([&] { return p.ra.ups.size() == 1; }));
    p.sa().prefixes_received(Family::Ipv6Labeled, 100);
    p.run_until([] { return false; }, 50ms);
    CHECK(p.sa().state() == fsm::State::established);
}

TEST_CASE("a neighbor configured shutdown stays Idle and refuses the peer", "[bgp][session][socket]") {
    auto a_sees_b = neighbor(kB, 65000, true);
    a_sees_b.shutdown = true;
    Pair p(a_sees_b, neighbor(kA, 65000, false));
    p.run_until([] { return false; }, 100ms);
    CHECK(p.sa().state() == fsm::State::idle);
    CHECK(p.ra.transitions.empty());
    CHECK(p.rb.ups.empty());
}

namespace {

// Our speaker passive on 127.0.0.1; the test is the peer 127.0.0.2 on a raw socket.
struct RawPeer {
    asio::io_context io;
    Recorder rec;
    std::unique_ptr<speaker::Speaker> sp;
    std::unique_ptr<RawEnd> end;
    RawPeer() {
        speaker::SpeakerOptions o;
        o.listen_addresses = {kA};
        o.listen_port = 0;
        o.session.idle_hold = 5s;
        sp = std::make_unique<speaker::Speaker>(io, identity(kA, 65000), std::vector{neighbor(kB, 65000, true)}, rec, o);
        REQUIRE(sp->start().ok());
        asio::ip::tcp::socket s(io);
        s.open(asio::ip::tcp::v4());
        s.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0));
        s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), sp->port()));
        end = std::make_unique<RawEnd>(std::move(s));
        REQUIRE(run_until([&] { return end->has(MessageType::Open); }));
    }
    session::Session& session() { return *sp->sessions().front(); }
    bool run_until(const std::function<bool()>& done) {
        auto stop = std::chrono::steady_clock::now() + 1000ms;
        while (!done() && std::chrono::steady_clock::now() < stop) io.run_for(5ms);
        return done();
    }
    void establish() {
        end->send(fake_open(kB));
        end->send(Keepalive{});
        REQUIRE(run_until([&] { return session().state() == fsm::State::established; }));
    }
};

}  // namespace

TEST_CASE("an OPEN with an optional parameter other than capabilities gets 2/4", "[bgp][session][socket]") {
    RawPeer p;
    // version 4, AS 65000, hold 3, id 127.0.0.2, one optional parameter of type 1 (RFC 4271 6.2).
    p.end->send_bytes(bgp::test::message(1, bgp::test::hex("04 fde8 0003 7f000002 03 01 01 00")));
    REQUIRE(p.run_until([&] { return p.end->notification() != nullptr; }));
    CHECK(p.end->notification()->code == 2);
    CHECK(p.end->notification()->subcode == 4);
    CHECK(p.session().state() != fsm::State::established);
}

TEST_CASE("UPDATE errors: RFC 7606 treat-as-withdraw keeps the session, a malformed one resets it with 3/1",
          "[bgp][session][socket]") {
    RawPeer p;
    p.establish();
    // ORIGIN 5 is invalid (RFC 7606 7.1: treat-as-withdraw); the 6PE NLRI 2001:db8:7::/48 label 2.
    auto update = bgp::test::hex(
        "0000 0030"
        "40 01 01 05"
        "40 02 00"
        "40 05 04 00000064"
        "80 0e 1f 0002 04 10 00000000000000000000ffff7f000002 00 48 000021 20010db80007");
    p.end->send_bytes(bgp::test::message(2, update));
    REQUIRE(p.run_until([&] { return !p.rec.updates.empty(); }));
    REQUIRE(p.rec.updates.front().action() == ErrorAction::TreatAsWithdraw);
    CHECK(p.session().state() == fsm::State::established);
    CHECK(p.end->notification() == nullptr);

    // Withdrawn Routes Length beyond the message: Malformed Attribute List, session reset.
    p.end->send_bytes(bgp::test::message(2, bgp::test::hex("ffff 0000")));
    REQUIRE(p.run_until([&] { return p.end->notification() != nullptr; }));
    CHECK(p.end->notification()->code == 3);
    CHECK(p.end->notification()->subcode == 1);
    CHECK(p.rec.downs == 1);
}
