#pragma once
// One LDP session on TCP 646 (RFC 5036 2.5): owns the connection, frames PDUs out of the stream,
// drives the pure session FSM (ldp/session/fsm.hpp) with its events and carries out its actions
// (connect, Initialization, KeepAlives, timers, Notification and close). Label and address
// messages of an OPERATIONAL session go to the owner; the owner sends its own through send().
//
// Writes are synchronous with a send timeout (5 s): LDP messages are small, the order of
// a Notification before the close is then guaranteed, and a peer that stops reading for that long
// loses the session.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/message.hpp"
#include "ldp/codec/pdu.hpp"
#include "ldp/session/fsm.hpp"
#include "ldp/session/negotiate.hpp"

namespace isthmus::ldp::io {

struct SessionParams {
    LdpId peer;
    Ipv4Address local_transport;
    Ipv4Address peer_transport;
    session::LocalSessionConfig local;  // our LDP id, KeepAlive time, capabilities
    session::Settings fsm;              // role, init timeout, backoff
    std::optional<std::string> md5_key;
    bool gtsm = false;                  // RFC 6720: TTL 255 out, IP_MINTTL 255 in
    uint16_t port = 646;                // the peer's port (tests use others)
    // Graceful restart (RFC 3478): the FT Session TLV of each Initialization we send, asked for
    // when it is sent (the Recovery Time counts down); unset or nullopt: none.
    std::function<std::optional<FtSessionParams>()> ft;
};

class Session;

class SessionOwner {
public:
    virtual ~SessionOwner() = default;
    virtual void session_up(Session& s, const session::NegotiatedSession& n) = 0;
    virtual void session_down(Session& s, const std::string& reason) = 0;
    virtual void session_message(Session& s, const Message& m) = 0;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    static std::shared_ptr<Session> create(boost::asio::io_context& io, SessionParams p, SessionOwner* owner);
    ~Session();

    // Discovery says the session is needed: the active side connects, the passive side waits.
    void start();
    // Passive: the peer's connection arrived. False when refused (then the socket is closed).
    bool adopt(boost::asio::ip::tcp::socket socket);
    // Sends messages (OPERATIONAL only; ignored otherwise), packed into as few PDUs as fit.
    void send(const std::vector<MessageBody>& bodies);
    // No longer needed or shutting down: Notification (Shutdown) if connected, close, no retry.
    // The owner hears session_down if it was OPERATIONAL and nothing afterwards.
    void stop();
    // Our own graceful restart: the connection is closed without a Notification (the peer sees a
    // transport failure and helps), no retry, the owner hears nothing more.
    void abandon();

    session::State state() const { return fsm_.state(); }
    session::Role role() const { return fsm_.role(); }
    const LdpId& peer() const { return params_.peer; }
    const SessionParams& params() const { return params_; }
    const std::optional<session::NegotiatedSession>& negotiated() const { return fsm_.negotiated(); }
    uint32_t failed_attempts() const { return fsm_.failed_attempts(); }
    uint64_t messages_sent() const { return sent_; }
    uint64_t messages_received() const { return received_; }

private:
    Session(boost::asio::io_context& io, SessionParams p, SessionOwner* owner);

    void feed(const session::Event& e);
    void execute(const session::Action& a);
    void start_timer(session::Timer t, std::chrono::seconds d);
    void stop_timer(session::Timer t);
    boost::asio::steady_timer& timer(session::Timer t);
    void connect();
    void configure_socket(bool connected);
    void read();
    void on_pdu(std::span<const uint8_t> bytes);
    void handle(const Message& m);
    void write_messages(std::vector<Message> messages);
    void write_bytes(std::span<const uint8_t> bytes);
    void close_socket();
    void transport_lost(const std::string& why);
    DecodeContext decode_context() const;
    uint32_t next_id() { return ++message_id_; }

    boost::asio::io_context& io_;
    SessionParams params_;
    SessionOwner* owner_;
    session::Fsm fsm_;
    std::optional<boost::asio::ip::tcp::socket> socket_;
    uint64_t connection_ = 0;  // bumped at every close: completions of older connections are stale
    boost::asio::steady_timer keepalive_, hold_, backoff_;
    uint64_t timer_generation_[3] = {0, 0, 0};
    std::vector<uint8_t> rx_;
    std::vector<uint8_t> chunk_ = std::vector<uint8_t>(16384);
    uint32_t message_id_ = 0;
    uint64_t sent_ = 0, received_ = 0;
    std::string down_reason_;
};

}  // namespace isthmus::ldp::io
