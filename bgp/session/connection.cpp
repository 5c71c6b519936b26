#include "bgp/session/connection.hpp"

#include <boost/asio/write.hpp>
#include <cstring>

namespace isthmus::bgp::session {

namespace asio = boost::asio;

Connection::Connection(asio::ip::tcp::socket socket, bool outgoing)
    : socket_(std::move(socket)),
      outgoing_(outgoing),
      rbuf_(2 * kMaxExtendedMessageSize + kHeaderSize),
      linger_(socket_.get_executor()) {
    boost::system::error_code ec;
    local_ = socket_.local_endpoint(ec);
    remote_ = socket_.remote_endpoint(ec);
}

void Connection::start(Handler h) {
    handler_ = std::move(h);
    read();
}

void Connection::read() {
    if (closing_) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(rbuf_.data() + rlen_, rbuf_.size() - rlen_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                                self->reading_ = false;
                                if (self->closing_) {
                                    if (self->shut_) self->drain();
                                    return;
                                }
                                if (ec) {
                                    auto h = std::move(self->handler_);
                                    self->close();
                                    if (h.closed)
                                        h.closed(*self, ec == asio::error::eof ? "connection closed by the peer"
                                                                               : ec.message());
                                    return;
                                }
                                self->on_read(n);
                            });
}

void Connection::on_read(std::size_t n) {
    rlen_ += n;
    std::size_t at = 0;
    // Every complete message goes to the session; a handler may close us on the way.
    while (!closing_) {
        auto f = frame(std::span<const uint8_t>(rbuf_.data() + at, rlen_ - at), ctx_);
        if (!f) {
            auto h = handler_;
            h.framing_error(*this, f.error());
            return;
        }
        if (!*f || f.value()->length > rlen_ - at) break;
        std::size_t len = f.value()->length;
        auto h = handler_;  // copy: the handler may replace or drop ours
        h.message(*this, std::span<const uint8_t>(rbuf_.data() + at, len));
        at += len;
    }
    if (closing_) return;
    std::memmove(rbuf_.data(), rbuf_.data() + at, rlen_ - at);
    rlen_ -= at;
    read();
}

void Connection::send(std::vector<uint8_t> bytes) {
    if (closing_) return;
    queued_ += bytes.size();
    wq_.push_back(std::move(bytes));
    if (!writing_) write();
}

void Connection::write() {
    if (wq_.empty()) {
        writing_ = false;
        if (closing_) shutdown();
        return;
    }
    writing_ = true;
    asio::async_write(socket_, asio::buffer(wq_.front()),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                          self->queued_ -= self->wq_.front().size();
                          self->wq_.pop_front();
                          if (ec) {
                              self->wq_.clear();
                              self->queued_ = 0;
                              self->writing_ = false;
                              bool was_closing = self->closing_;
                              self->shutdown();
                              if (!was_closing) {
                                  auto h = std::move(self->handler_);
                                  self->closing_ = true;
                                  if (h.closed) h.closed(*self, "write failed: " + ec.message());
                              }
                              return;
                          }
                          self->write();
                      });
}

void Connection::close() {
    if (closing_) return;
    closing_ = true;
    handler_ = {};
    if (!writing_) shutdown();
}

void Connection::shutdown() {
    // Half-close and read until the peer closes too (at most 2 s): closing a socket with
    // unread data sends a RST, and a RST makes the peer's kernel drop what it has not read
    // yet, often the NOTIFICATION we just sent.
    boost::system::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (ec) {
        socket_.close(ec);
        return;
    }
    shut_ = true;
    linger_.expires_after(std::chrono::seconds(2));
    linger_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
        if (e) return;
        boost::system::error_code ignored;
        self->socket_.close(ignored);
    });
    if (!reading_) drain();  // else the outstanding read's handler continues with drain()
}

void Connection::drain() {
    reading_ = true;
    socket_.async_read_some(asio::buffer(rbuf_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                             std::size_t) {
        self->reading_ = false;
        if (!ec) return self->drain();
        boost::system::error_code ignored;
        self->linger_.cancel();
        self->socket_.close(ignored);
    });
}

}  // namespace isthmus::bgp::session
