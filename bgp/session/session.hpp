#pragma once
// One BGP neighbor on real sockets: the thin Asio layer around the pure FSM
// (bgp/fsm). It owns the connection(s), the five timers (with RFC 4271 10
// jitter), OPEN checks and negotiation, connection collision detection (6.8),
// the TTL/GTSM/TCP-MD5 socket options, admin shutdown (RFC 9003) and the
// max-prefix action. What the session learns goes to an Observer.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bgp/codec/message.hpp"
#include "bgp/fsm/fsm.hpp"
#include "bgp/session/connection.hpp"
#include "bgp/session/open_policy.hpp"
#include "lib/config/types.hpp"

namespace isthmus::bgp::session {

class Session;

// What an Established session knows about its peer.
struct PeerInfo {
    IpAddress address{Ipv4Address{}};
    IpAddress local_address{Ipv4Address{}};  // our end of the TCP connection
    Asn asn{0};
    RouterId id{0};
    bool ibgp = false;
    std::chrono::seconds hold{0};
    Negotiated negotiated;
    std::optional<GracefulRestartCapability> graceful_restart;  // what the peer announced
};

class Observer {
public:
    virtual ~Observer() = default;
    virtual void state_changed(Session&, fsm::State from, fsm::State to, std::string_view why) = 0;
    virtual void established(Session&, const PeerInfo&) = 0;
    // Left Established. graceful: the peer announced graceful restart and the session
    // ended without a NOTIFICATION from either side (RFC 4724 4.2 lets us keep its routes).
    virtual void down(Session&, bool graceful) = 0;
    virtual void update(Session&, const Update&) = 0;
    virtual void route_refresh(Session&, const RouteRefresh&) = 0;
};

struct SessionOptions {
    uint16_t peer_port = 179;     // where active opens go (tests use other ports)
    double jitter_low = 0.75;     // RFC 4271 10: timers x uniform(0.75, 1)
    fsm::Seconds idle_hold{1};    // first idle hold-down after an error, doubles up to idle_hold_max
    fsm::Seconds idle_hold_max{120};
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(boost::asio::io_context& io, config::BgpNeighbor neighbor, LocalIdentity local, Observer& observer,
            SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // ManualStart (ManualStart_with_PassiveTcpEstablishment for passive neighbors). A
    // neighbor configured with "shutdown" stays Idle.
    void start();
    // ManualStop with an RFC 9003 shutdown communication (empty: none).
    void stop(std::string_view message);
    // An incoming connection from this neighbor's address (the speaker matched it).
    void accept(boost::asio::ip::tcp::socket socket);
    // Sends an already encoded message (header included), e.g. a packed UPDATE. False when not Established.
    bool send_raw(std::vector<uint8_t> bytes);
    bool send(const Message& m);
    // The RIB's count of accepted prefixes for a family (max-prefix, RFC 4486 Cease/1).
    void prefixes_received(Family f, std::size_t count);

    const config::BgpNeighbor& neighbor() const { return neighbor_; }
    fsm::State state() const { return fsm_.state(); }
    const std::optional<PeerInfo>& peer() const { return peer_; }
    // The last NOTIFICATION sent and received, for show commands and tests.
    const std::optional<Notification>& last_sent() const { return last_sent_; }
    const std::optional<Notification>& last_received() const { return last_received_; }
    uint32_t established_count() const { return established_count_; }
    std::string name() const;

private:
    using Conn = std::shared_ptr<Connection>;
    void feed(fsm::Event e, std::string_view why);
    void run(const std::vector<fsm::Action>& actions);
    void start_timer(fsm::Timer t, fsm::Seconds d);
    void stop_timer(fsm::Timer t);
    void initiate();
    void drop_connections();
    void send_on(Connection& c, const Message& m);
    void adopt(Conn c);  // the connection becomes the session's
    void on_message(Connection& c, std::span<const uint8_t> bytes);
    void on_primary(const Message& m, MessageType t);
    void on_open(const Open& o);
    void log_update(const Update& u) const;
    void on_secondary_open(const Open& o);
    void remember_open(const Open& o, const Accepted& a);
    void on_closed(Connection& c, const std::string& why);
    void on_framing_error(Connection& c, const DecodeError& e);
    Connection::Handler handler();
    Status<std::string> prepare_socket(boost::asio::ip::tcp::socket& s, bool ipv6);

    boost::asio::io_context& io_;
    config::BgpNeighbor neighbor_;
    LocalIdentity local_;
    Observer& observer_;
    SessionOptions options_;
    fsm::Fsm fsm_;
    Open our_open_;
    std::optional<Accepted> accepted_;
    std::optional<Open> peer_open_;
    std::optional<PeerInfo> peer_;
    Conn primary_;     // the connection the FSM runs on
    Conn secondary_;   // an incoming one during OpenSent/OpenConfirm (collision detection)
    std::shared_ptr<boost::asio::ip::tcp::socket> dialing_;
    std::array<boost::asio::steady_timer, 5> timers_;
    std::array<uint64_t, 5> timer_gen_{};
    std::optional<Notification> last_sent_, last_received_;
    bool notification_exchanged_ = false;  // for the graceful-restart decision on the way down
    bool max_prefix_down_ = false;
    bool max_prefix_warned_ = false;
    uint32_t established_count_ = 0;
    std::minstd_rand rng_;
};

}  // namespace isthmus::bgp::session
