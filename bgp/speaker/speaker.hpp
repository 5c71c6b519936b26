#pragma once
// The set of BGP sessions of one router: one listener per address family on TCP 179
// shared by every neighbor (a connection from an unknown address is closed), TCP-MD5
// keys installed on the listeners per neighbor, and one Session per neighbor.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/session/session.hpp"
#include "lib/config/types.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp::speaker {

struct SpeakerOptions {
    uint16_t listen_port = 179;
    // Addresses to listen on; empty: 0.0.0.0 and :: (the latter IPv6-only).
    std::vector<IpAddress> listen_addresses;
    session::SessionOptions session;
};

class Speaker {
public:
    Speaker(boost::asio::io_context& io, session::LocalIdentity local, std::vector<config::BgpNeighbor> neighbors,
            session::Observer& observer, SpeakerOptions options = {});
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Binds the listeners and starts every session. Fails (and starts nothing) when
    // no listener can be bound.
    Status<std::string> start();
    // Admin shutdown of every session (RFC 9003 message), listeners closed.
    void stop(std::string_view message);

    // A neighbor added by a reload: its key and TTL go on the listeners, its session starts.
    session::Session& add(const config::BgpNeighbor& neighbor);
    // A neighbor removed by a reload: admin shutdown with `message`, then forgotten (its last
    // callbacks may still come, for a session the observer no longer knows).
    void remove(const IpAddress& address, std::string_view message);

    session::Session* find(const IpAddress& address);
    const std::vector<std::shared_ptr<session::Session>>& sessions() const { return sessions_; }
    // The port the listeners got (tests bind port 0).
    uint16_t port() const { return port_; }

private:
    void accept(boost::asio::ip::tcp::acceptor& a);
    Status<std::string> prepare_listener(boost::asio::ip::tcp::acceptor& a, const IpAddress& addr,
                                         const config::BgpNeighbor& n);

    boost::asio::io_context& io_;
    session::LocalIdentity local_;
    session::Observer& observer_;
    SpeakerOptions options_;
    std::vector<std::shared_ptr<session::Session>> sessions_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
    uint16_t port_ = 0;
};

}  // namespace isthmus::bgp::speaker
