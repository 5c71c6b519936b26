#pragma once
// One TCP connection of a BGP session: framing of what arrives (with the codec's
// frame()), a write queue, and a graceful close that flushes a last NOTIFICATION.
// The session decides; the connection only moves bytes.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "bgp/codec/header.hpp"

namespace isthmus::bgp::session {

class Connection : public std::enable_shared_from_this<Connection> {
public:
    // A whole message (header included), or a framing error (RFC 4271 6.1), or the end.
    struct Handler {
        std::function<void(Connection&, std::span<const uint8_t>)> message;
        std::function<void(Connection&, const DecodeError&)> framing_error;
        std::function<void(Connection&, const std::string&)> closed;  // by the peer or an I/O error
    };

    Connection(boost::asio::ip::tcp::socket socket, bool outgoing);

    // Starts reading; handlers run until detach() or close().
    void start(Handler h);
    // Queues bytes; written in order.
    void send(std::vector<uint8_t> bytes);
    // Stops delivering events and closes once the queue is written (a last NOTIFICATION
    // reaches the peer before the FIN).
    void close();
    bool open() const { return !closing_; }

    bool outgoing() const { return outgoing_; }  // we opened it (RFC 4271 6.8)
    boost::asio::ip::tcp::socket& socket() { return socket_; }
    const boost::asio::ip::tcp::endpoint& local() const { return local_; }
    const boost::asio::ip::tcp::endpoint& remote() const { return remote_; }
    // The receive context changes once the OPENs are exchanged (4-octet AS, add-path...).
    void set_receive_context(const Context& c) { ctx_ = c; }
    std::size_t queued_bytes() const { return queued_; }

private:
    void read();
    void on_read(std::size_t n);
    void write();
    void shutdown();
    void drain();

    boost::asio::ip::tcp::socket socket_;
    bool outgoing_;
    boost::asio::ip::tcp::endpoint local_, remote_;
    Handler handler_;
    Context ctx_;
    std::vector<uint8_t> rbuf_;
    std::size_t rlen_ = 0;
    std::deque<std::vector<uint8_t>> wq_;
    std::size_t queued_ = 0;
    bool writing_ = false;
    bool closing_ = false;
    bool reading_ = false;   // a read is outstanding (only one at a time)
    bool shut_ = false;      // FIN sent: reads now only drain
    boost::asio::steady_timer linger_;
};

}  // namespace isthmus::bgp::session
