// ldp/io/session.hpp over real loopback TCP: the active side connects, both reach OPERATIONAL,
// messages cross, and a stop sends Shutdown that the other side reports. One io_context, no threads.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "ldp/io/session.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
namespace asio = boost::asio;

namespace {

const LdpId kHigh{RouterId(0x0a000002), 0};  // active: the higher transport address
const LdpId kLow{RouterId(0x0a000001), 0};
const Ipv4Address kLoopback = Ipv4Address::from_uint(0x7f000001);

struct Recorder : io::SessionOwner {
    int up = 0, down = 0;
    std::string last_down;
    std::vector<Message> messages;
    std::optional<session::NegotiatedSession> negotiated;
    void session_up(io::Session&, const session::NegotiatedSession& n) override {
        ++up;
        negotiated = n;
    }
    void session_down(io::Session&, const std::string& reason) override {
        ++down;
        last_down = reason;
    }
    void session_message(io::Session&, const Message& m) override { messages.push_back(m); }
};

io::SessionParams params(LdpId self, LdpId peer, session::Role role, uint16_t port) {
    io::SessionParams p;
    p.peer = peer;
    p.local_transport = kLoopback;
    p.peer_transport = kLoopback;
    p.local.id = self;
    p.local.keepalive_time = 30;
    p.fsm.role = role;
    p.fsm.backoff_initial = std::chrono::seconds(1);
    p.port = port;
    return p;
}

// Runs the loop until pred() or the deadline; true when pred() held.
template <class Pred>
bool run_until(asio::io_context& io, Pred pred, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(std::chrono::milliseconds(20));
        io.restart();
    }
    return pred();
}

struct Pair {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor{io, {asio::ip::address_v4::loopback(), 0}};
    Recorder active_owner, passive_owner;
    std::shared_ptr<io::Session> active, passive;

    Pair() {
        uint16_t port = acceptor.local_endpoint().port();
        active = io::Session::create(io, params(kHigh, kLow, session::Role::active, port), &active_owner);
        passive = io::Session::create(io, params(kLow, kHigh, session::Role::passive, port), &passive_owner);
        passive->start();
        acceptor.async_accept([this](const boost::system::error_code& ec, asio::ip::tcp::socket s) {
            if (!ec) passive->adopt(std::move(s));
        });
        active->start();
    }
};

}  // namespace

TEST_CASE("two sessions over loopback reach OPERATIONAL and exchange label messages", "[ldp][io]") {
    Pair p;
    REQUIRE(run_until(p.io, [&] { return p.active_owner.up == 1 && p.passive_owner.up == 1; }));
    CHECK(p.active->state() == session::State::operational);
    CHECK(p.passive->state() == session::State::operational);
    REQUIRE(p.active_owner.negotiated);
    CHECK(p.active_owner.negotiated->keepalive_time == std::chrono::seconds(30));
    CHECK(p.active_owner.negotiated->typed_wildcard_fec);

    LabelMapping m{{Ipv4Prefix::parse("10.0.0.2/32").value()}, MplsLabel::implicit_null(), {}, {}, {}, {}};
    p.active->send({Address{AddressList{std::vector<Ipv4Address>{kLoopback}}, {}}, m});
    REQUIRE(run_until(p.io, [&] { return p.passive_owner.messages.size() == 2; }));
    CHECK(std::holds_alternative<Address>(p.passive_owner.messages[0].body));
    CHECK(std::get<LabelMapping>(p.passive_owner.messages[1].body) == m);
}

TEST_CASE("stop sends Shutdown, which the peer reports as the reason", "[ldp][io]") {
    Pair p;
    REQUIRE(run_until(p.io, [&] { return p.active_owner.up == 1 && p.passive_owner.up == 1; }));
    p.active->stop();
    CHECK(p.active_owner.down == 1);
    REQUIRE(run_until(p.io, [&] { return p.passive_owner.down == 1; }));
    CHECK(p.passive_owner.last_down == "received Shutdown");
    CHECK(p.passive->state() == session::State::non_existent);
}

TEST_CASE("the passive side refuses a connection while its session is up", "[ldp][io]") {
    Pair p;
    REQUIRE(run_until(p.io, [&] { return p.passive_owner.up == 1; }));
    asio::ip::tcp::socket extra(p.io);
    extra.connect(p.acceptor.local_endpoint());
    asio::ip::tcp::socket accepted = p.acceptor.accept();
    CHECK_FALSE(p.passive->adopt(std::move(accepted)));
    CHECK(p.passive->state() == session::State::operational);
}

TEST_CASE("an active session with nobody listening backs off and retries", "[ldp][io]") {
    asio::io_context io;
    uint16_t port;
    {
        asio::ip::tcp::acceptor probe(io, {asio::ip::address_v4::loopback(), 0});
        port = probe.local_endpoint().port();
    }  // closed: connecting to it is refused
    Recorder owner;
    auto s = io::Session::create(io, params(kHigh, kLow, session::Role::active, port), &owner);
    s->start();
    // Backoff 1 s then 2 s: at least two failed attempts within ~1.5 s.
    run_until(io, [] { return false; }, std::chrono::milliseconds(1500));
    CHECK(s->state() == session::State::non_existent);
    CHECK(s->failed_attempts() >= 2);
    CHECK(owner.up == 0);
    s->stop();
}
