#include "daemon/control/server.hpp"

#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "lib/log.hpp"

namespace isthmus::control {

namespace asio = boost::asio;
using Local = asio::local::stream_protocol;

namespace {

// Serves one client until it closes, sends garbage longer than a request may be, or the daemon stops.
asio::awaitable<void> serve(Local::socket socket, Registry& registry, std::shared_ptr<int> clients) {
    ++*clients;
    asio::streambuf buffer(kMaxRequestBytes);
    try {
        for (;;) {
            boost::system::error_code ec;
            std::size_t n = co_await asio::async_read_until(socket, buffer, '\n',
                                                            asio::redirect_error(asio::use_awaitable, ec));
            std::string reply;
            bool last = false;
            if (ec == asio::error::not_found) {
                reply = encode_error("request longer than " + std::to_string(kMaxRequestBytes) + " bytes");
                last = true;
            } else if (ec) {
                break;  // the client went away
            } else {
                std::string line(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + n - 1);
                buffer.consume(n);
                auto request = parse_request(line);
                if (!request) {
                    reply = encode_error(request.error());
                } else {
                    auto result = registry.dispatch(*request);
                    reply = result ? encode_ok(*result) : encode_error(result.error());
                }
            }
            co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);
            if (last) break;
        }
    } catch (const std::exception& e) {
        log::debug("control: client closed: {}", e.what());
    }
    --*clients;
}

}  // namespace

Server::Server(asio::io_context& io, Registry& registry) : io_(io), registry_(registry), acceptor_(io) {}

Server::~Server() { close(); }

Status<std::string> Server::open(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code fec;
    fs::path dir = fs::path(path).parent_path();
    if (!dir.empty() && !fs::is_directory(dir, fec)) {
        fs::create_directories(dir, fec);
        if (fec) return err("control socket " + path + ": cannot create " + dir.string() + ": " + fec.message());
    }
    if (fs::exists(fs::symlink_status(path, fec))) {
        Local::socket probe(io_);
        boost::system::error_code ec;
        probe.connect(Local::endpoint(path), ec);
        if (!ec) return err("control socket " + path + " is in use: another isthmusd is running with it");
        fs::remove(path, fec);  // left by a daemon that did not stop cleanly
        if (fec) return err("control socket " + path + ": cannot remove the stale file: " + fec.message());
    }
    boost::system::error_code ec;
    acceptor_.open(Local(), ec);
    if (!ec) acceptor_.bind(Local::endpoint(path), ec);
    if (!ec) acceptor_.listen(kMaxClients, ec);
    if (ec) {
        acceptor_.close();
        return err("control socket " + path + ": " + ec.message());
    }
    if (::chmod(path.c_str(), kSocketMode) != 0)
        log::warning("control socket {}: chmod {:o}: {}", path, kSocketMode, std::strerror(errno));
    path_ = path;
    accept();
    return ok_unit;
}

void Server::close() {
    if (!acceptor_.is_open()) return;
    boost::system::error_code ec;
    acceptor_.close(ec);
    std::error_code fec;
    std::filesystem::remove(path_, fec);
}

void Server::accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, Local::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
            if (*clients_ >= kMaxClients) {
                boost::system::error_code ignored;
                asio::write(socket, asio::buffer(encode_error("too many control clients; try again")), ignored);
            } else {
                asio::co_spawn(io_, serve(std::move(socket), registry_, clients_), asio::detached);
            }
        } else {
            log::warning("control socket: accept: {}", ec.message());
        }
        accept();
    });
}

}  // namespace isthmus::control
