#pragma once
// A test bed for ldp::Instance over loopback: the instance (transport 127.0.0.1) and a scripted
// neighbour LSR (transport 127.0.0.2) that sends Hellos (targeted through UDP, link ones handed
// straight to the instance) and runs an io::Session of its own, active.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "ldp/codec/pdu.hpp"
#include "ldp/instance/instance.hpp"
#include "ldp/io/discovery_socket.hpp"

namespace isthmus::ldp::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

inline Ipv4Address ip(const char* s) { return Ipv4Address::parse(s).value(); }
inline Ipv4Prefix pfx(const char* s) { return Ipv4Prefix::parse(s).value(); }
inline MplsLabel lab(uint32_t v) { return MplsLabel::checked(v); }

inline const RouterId kSelfId(0x0a000001);          // 10.0.0.1, transport 127.0.0.1 (passive)
inline const LdpId kSelf{kSelfId, 0};
inline const LdpId kPeer{RouterId(0x0a000002), 0};  // 10.0.0.2, transport 127.0.0.2 (active)
inline const Ipv4Address kSelfTransport = Ipv4Address::from_uint(0x7f000001);
inline const Ipv4Address kPeerTransport = Ipv4Address::from_uint(0x7f000002);
inline const Ipv4Prefix kFec = pfx("10.0.0.9/32");  // beyond the neighbour, which is its next hop
inline constexpr uint32_t kLinkIfindex = 7;          // a made-up interface "t0"

template <class Pred>
bool run_until(asio::io_context& io, Pred pred, std::chrono::milliseconds limit = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(10ms);
        io.restart();
    }
    return pred();
}

inline uint16_t free_port(asio::io_context& io) {
    asio::ip::tcp::acceptor a(io, {asio::ip::address_v4::loopback(), 0});
    return a.local_endpoint().port();
}

inline FtSessionParams ft(uint32_t reconnect_ms, uint32_t recovery_ms) {
    return FtSessionParams{ft_flag::kLearn, reconnect_ms, recovery_ms};
}

struct Neighbor : io::SessionOwner {
    int up = 0, down = 0;
    std::string last_down;
    std::optional<session::NegotiatedSession> negotiated;
    std::vector<Message> messages;
    void session_up(io::Session&, const session::NegotiatedSession& n) override {
        ++up;
        negotiated = n;
    }
    void session_down(io::Session&, const std::string& why) override {
        ++down;
        last_down = why;
    }
    void session_message(io::Session&, const Message& m) override { messages.push_back(m); }
    std::size_t mappings() const {
        std::size_t n = 0;
        for (const auto& m : messages) n += std::holds_alternative<LabelMapping>(m.body);
        return n;
    }
};

// An LDP config with transport 127.0.0.1, GTSM off and interface "t0".
inline config::Ldp bed_config() {
    config::Ldp cfg;
    cfg.transport_address = kSelfTransport;
    cfg.ttl_security = false;
    cfg.interfaces.push_back(config::LdpInterface{"t0", std::chrono::seconds(5), std::chrono::seconds(15)});
    cfg.graceful_restart.reconnect_time = std::chrono::seconds(120);
    cfg.graceful_restart.recovery_time = std::chrono::seconds(120);
    return cfg;
}

struct Bed {
    asio::io_context io;
    uint16_t port = free_port(io);
    LabelAllocator labels;
    std::vector<label::LfibEntry> lfib;
    int recovered = 0;
    std::unique_ptr<Instance> instance;
    std::unique_ptr<io::DiscoverySocket> udp;
    Neighbor owner;
    std::shared_ptr<io::Session> peer;

    explicit Bed(const config::Ldp& cfg, InstanceOptions options = {}) {
        InstanceOutputs out;
        out.lfib = [this](const std::vector<label::LfibEntry>& e) { lfib.insert(lfib.end(), e.begin(), e.end()); };
        out.recovery_complete = [this] { ++recovered; };
        options.port = port;
        instance = std::make_unique<Instance>(io, cfg, kSelfId, labels, std::move(out), std::move(options));
        REQUIRE(instance->start().ok());
        auto u = io::DiscoverySocket::open(io, [](const io::Datagram&) {}, 0);
        REQUIRE(u.ok());
        udp = std::move(u).value();
    }

    static std::vector<uint8_t> hello_pdu(bool targeted) {
        Hello h;
        h.params.hold_time = targeted ? 45 : 15;
        h.params.targeted = targeted;
        h.params.request_targeted = targeted;
        h.transport_v4 = kPeerTransport;
        Message m{1, h, false};
        ByteWriter w;
        REQUIRE(encode_pdu(kPeer, std::span<const Message>(&m, 1), w).ok());
        return w.take();
    }

    // The neighbour's targeted Hello (it asks for ours), through the instance's UDP socket.
    void targeted_hello() {
        REQUIRE(udp->send_targeted(kSelfTransport, hello_pdu(true), kPeerTransport, port).ok());
        REQUIRE(run_until(io, [&] { return has_adjacency(true); }));
    }

    // The neighbour's link Hello on "t0" (handed to the instance as the socket would).
    void link_hello() {
        instance->hello_datagram(io::Datagram{ip("10.1.0.2"), Ipv4Address::from_uint(0xE0000002), kLinkIfindex,
                                              hello_pdu(false)});
    }

    bool has_adjacency(bool targeted) const {
        for (const auto& [key, a] : instance->adjacencies().adjacencies())
            if (key.lsr == kPeer && key.source.targeted == targeted) return true;
        return false;
    }

    void wait_session() { REQUIRE(run_until(io, [&] { return instance->sessions().contains(kPeer); })); }

    // The neighbour's (new) session, advertising `ft`.
    void connect(std::optional<FtSessionParams> ftp) {
        io::SessionParams p;
        p.peer = kSelf;
        p.local_transport = kPeerTransport;
        p.peer_transport = kSelfTransport;
        p.local.id = kPeer;
        p.local.keepalive_time = 30;
        p.fsm.role = session::Role::active;
        p.fsm.backoff_initial = 1s;
        p.port = port;
        p.ft = [ftp] { return ftp; };
        owner = Neighbor{};
        peer = io::Session::create(io, std::move(p), &owner);
        peer->start();
        REQUIRE(run_until(io, [&] { return owner.up == 1 && instance_operational(); }));
    }

    bool instance_operational() const {
        auto it = instance->sessions().find(kPeer);
        return it != instance->sessions().end() && it->second->state() == session::State::operational;
    }

    // The neighbour advertises its link address and its label for kFec.
    void advertise(uint32_t label) {
        peer->send({Address{AddressList{std::vector<Ipv4Address>{ip("10.1.0.2")}}, {}},
                    LabelMapping{Fec{FecElement{kFec}}, lab(label), {}, {}, {}, {}}});
    }

    // It restarts: the connection just drops.
    void restart_peer() {
        peer->abandon();
        peer.reset();
        REQUIRE(run_until(io, [&] { return !instance_operational(); }));
    }

    bool lfib_has(MplsLabel in, MplsLabel out) const {
        for (const auto& e : instance->labels().bindings())
            if (e.fec == kFec && e.local == in && !e.lsp.empty() && e.lsp[0].out_label == out) return true;
        return false;
    }
};

}  // namespace isthmus::ldp::test
