#pragma once
// The control socket: a Unix stream socket on the daemon's io_context, serving Registry commands
// one JSON line at a time (protocol.hpp). Handlers run on the loop, so they read routing state
// without locks.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <memory>
#include <string>

#include "daemon/control/registry.hpp"
#include "lib/result.hpp"

namespace isthmus::control {

// Who may connect: the socket file gets this mode (owner and the daemon's group; docs/control.md).
inline constexpr unsigned kSocketMode = 0660;
// More simultaneous clients than this are refused at once rather than queued.
inline constexpr int kMaxClients = 16;

class Server {
public:
    Server(boost::asio::io_context& io, Registry& registry);
    ~Server();

    // Binds `path`. A socket file nobody listens on (a crashed daemon's) is replaced; one that
    // answers means another isthmusd runs there, which is an error, as is a missing directory
    // that cannot be created.
    Status<std::string> open(const std::string& path);
    void close();
    const std::string& path() const { return path_; }
    int clients() const { return *clients_; }

private:
    void accept();

    boost::asio::io_context& io_;
    Registry& registry_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    std::string path_;
    std::shared_ptr<int> clients_ = std::make_shared<int>(0);
};

}  // namespace isthmus::control
