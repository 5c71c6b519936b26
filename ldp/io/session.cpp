#include "ldp/io/session.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>

#include "ldp/codec/describe.hpp"
#include "ldp/io/socket_options.hpp"
#include "lib/log.hpp"

namespace isthmus::ldp::io {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

asio::ip::address_v4 to_asio(Ipv4Address a) { return asio::ip::address_v4(a.to_uint()); }

constexpr int kSendTimeoutSeconds = 5;
constexpr int kGtsmTtl = 255;

}  // namespace

std::shared_ptr<Session> Session::create(asio::io_context& io, SessionParams p, SessionOwner* owner) {
    return std::shared_ptr<Session>(new Session(io, std::move(p), owner));
}

Session::Session(asio::io_context& io, SessionParams p, SessionOwner* owner)
    : io_(io), params_(std::move(p)), owner_(owner), fsm_(params_.fsm), keepalive_(io), hold_(io), backoff_(io) {}

Session::~Session() { close_socket(); }

void Session::start() { feed(session::Event::of(session::EventType::start)); }

bool Session::adopt(tcp::socket socket) {
    if (socket_ || fsm_.role() != session::Role::passive || fsm_.state() != session::State::non_existent) {
        boost::system::error_code ec;
        socket.close(ec);
        return false;
    }
    socket_.emplace(std::move(socket));
    configure_socket(true);
    feed(session::Event::of(session::EventType::tcp_accepted));
    if (!socket_) return false;  // the FSM refused it
    read();
    return true;
}

void Session::stop() {
    feed(session::Event::of(session::EventType::admin_shutdown));
    owner_ = nullptr;
    for (auto t : {session::Timer::keepalive, session::Timer::session_hold, session::Timer::backoff}) stop_timer(t);
    close_socket();
}

void Session::abandon() {
    owner_ = nullptr;
    for (auto t : {session::Timer::keepalive, session::Timer::session_hold, session::Timer::backoff}) stop_timer(t);
    close_socket();
}

void Session::send(const std::vector<MessageBody>& bodies) {
    if (fsm_.state() != session::State::operational || bodies.empty()) return;
    std::vector<Message> messages;
    messages.reserve(bodies.size());
    for (const auto& b : bodies) messages.push_back(Message{next_id(), b, false});
    write_messages(std::move(messages));
}

DecodeContext Session::decode_context() const {
    DecodeContext ctx;
    if (const auto& n = fsm_.negotiated()) ctx.max_pdu_length = n->max_pdu_length;
    ctx.expected_peer = params_.peer;
    return ctx;
}

// ---- the FSM ----

void Session::feed(const session::Event& e) {
    auto keep = shared_from_this();  // an action may make the owner drop us
    auto before = fsm_.state();
    auto actions = fsm_.handle(e);
    for (const auto& a : actions) execute(a);
    if (fsm_.state() != before)
        log::debug("ldp: session {} {} -> {} on {}", params_.peer.to_string(), session::to_string(before),
                   session::to_string(fsm_.state()), session::to_string(e.type));
}

void Session::execute(const session::Action& a) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, session::StartTimer>) {
                start_timer(x.timer, x.duration);
            } else if constexpr (std::is_same_v<T, session::StopTimer>) {
                stop_timer(x.timer);
            } else if constexpr (std::is_same_v<T, session::InitiateConnection>) {
                connect();
            } else if constexpr (std::is_same_v<T, session::CloseConnection>) {
                close_socket();
            } else if constexpr (std::is_same_v<T, session::SendInitialization>) {
                Initialization init;
                init.params = session::local_session_params(params_.local, params_.peer);
                for (auto c : params_.local.capabilities) init.capabilities.push_back(Capability{c, true});
                if (params_.ft) init.ft = params_.ft();
                write_messages({Message{next_id(), init, false}});
            } else if constexpr (std::is_same_v<T, session::SendKeepAlive>) {
                write_messages({Message{next_id(), KeepAlive{}, false}});
            } else if constexpr (std::is_same_v<T, session::SendNotification>) {
                log::info("ldp: session {}: sending Notification {}", params_.peer.to_string(),
                          to_string(x.notification.status.code));
                down_reason_ = "sent " + to_string(x.notification.status.code);
                write_messages({Message{next_id(), x.notification, false}});
            } else if constexpr (std::is_same_v<T, session::SessionUp>) {
                log::notice("ldp: session with {} ({}) OPERATIONAL, keepalive {} s", params_.peer.to_string(),
                            params_.peer_transport.to_string(), x.session.keepalive_time.count());
                down_reason_.clear();
                if (owner_) owner_->session_up(*this, x.session);
            } else if constexpr (std::is_same_v<T, session::SessionDown>) {
                std::string why = down_reason_.empty() ? "closed" : down_reason_;
                log::notice("ldp: session with {} down: {}", params_.peer.to_string(), why);
                if (owner_) owner_->session_down(*this, why);
            }
        },
        a);
}

asio::steady_timer& Session::timer(session::Timer t) {
    switch (t) {
        case session::Timer::keepalive: return keepalive_;
        case session::Timer::session_hold: return hold_;
        case session::Timer::backoff: break;
    }
    return backoff_;
}

void Session::start_timer(session::Timer t, std::chrono::seconds d) {
    auto& tm = timer(t);
    uint64_t gen = ++timer_generation_[int(t)];
    tm.expires_after(d);
    tm.async_wait([self = weak_from_this(), t, gen](const boost::system::error_code& ec) {
        auto s = self.lock();
        if (ec || !s || s->timer_generation_[int(t)] != gen) return;
        using E = session::EventType;
        E e = t == session::Timer::keepalive      ? E::keepalive_timer_expired
              : t == session::Timer::session_hold ? E::session_hold_expired
                                                  : E::backoff_expired;
        if (t == session::Timer::session_hold) s->down_reason_ = "hold time expired";
        s->feed(session::Event::of(e));
    });
}

void Session::stop_timer(session::Timer t) {
    ++timer_generation_[int(t)];
    timer(t).cancel();
}

// ---- the connection ----

void Session::configure_socket(bool connected) {
    int fd = socket_->native_handle();
    if (params_.md5_key && !connected) {
        if (auto s = set_tcp_md5(fd, params_.peer_transport, *params_.md5_key); !s)
            log::error("ldp: session {}: {}", params_.peer.to_string(), s.error());
    }
    if (params_.gtsm) {
        // RFC 6720 3: single-hop sessions send with TTL 255 and accept only 255.
        if (auto s = set_ttl(fd, kGtsmTtl); !s) log::error("ldp: session {}: {}", params_.peer.to_string(), s.error());
        if (auto s = set_min_ttl(fd, kGtsmTtl); !s)
            log::error("ldp: session {}: {}", params_.peer.to_string(), s.error());
    }
    boost::system::error_code ec;
    socket_->set_option(tcp::no_delay(true), ec);
}

// RFC 5036 2.5.2: the active LSR connects from its transport address to the peer's.
void Session::connect() {
    close_socket();
    socket_.emplace(io_);
    boost::system::error_code ec;
    socket_->open(tcp::v4(), ec);
    if (!ec) socket_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) socket_->bind({to_asio(params_.local_transport), 0}, ec);
    if (ec) {
        log::warning("ldp: session {}: cannot bind to transport address {}: {}", params_.peer.to_string(),
                     params_.local_transport.to_string(), ec.message());
        close_socket();
        asio::post(io_, [self = weak_from_this()] {
            if (auto s = self.lock()) s->feed(session::Event::of(session::EventType::tcp_connect_failed));
        });
        return;
    }
    configure_socket(false);
    uint64_t conn = connection_;
    socket_->async_connect({to_asio(params_.peer_transport), params_.port},
                           [self = weak_from_this(), conn](const boost::system::error_code& e) {
                               auto s = self.lock();
                               if (!s || s->connection_ != conn || e == asio::error::operation_aborted) return;
                               if (e) {
                                   log::info("ldp: session {}: connect to {} failed: {}", s->params_.peer.to_string(),
                                             s->params_.peer_transport.to_string(), e.message());
                                   s->close_socket();
                                   s->feed(session::Event::of(session::EventType::tcp_connect_failed));
                                   return;
                               }
                               s->feed(session::Event::of(session::EventType::tcp_connected));
                               if (s->socket_ && s->connection_ == conn) s->read();
                           });
}

void Session::close_socket() {
    ++connection_;
    rx_.clear();
    if (!socket_) return;
    boost::system::error_code ec;
    socket_->shutdown(tcp::socket::shutdown_both, ec);
    socket_->close(ec);
    socket_.reset();
}

void Session::transport_lost(const std::string& why) {
    if (!socket_) return;
    down_reason_ = why;
    close_socket();
    feed(session::Event::of(session::EventType::tcp_closed));
}

void Session::read() {
    uint64_t conn = connection_;
    socket_->async_read_some(asio::buffer(chunk_),
                             [self = weak_from_this(), conn](const boost::system::error_code& ec, std::size_t n) {
                                 auto s = self.lock();
                                 if (!s || s->connection_ != conn) return;
                                 if (ec) {
                                     s->transport_lost(ec == asio::error::eof ? "connection closed by the peer"
                                                                              : "read: " + ec.message());
                                     return;
                                 }
                                 s->rx_.insert(s->rx_.end(), s->chunk_.begin(), s->chunk_.begin() + long(n));
                                 auto framed = split_pdus(s->rx_, s->decode_context());
                                 if (!framed) {
                                     auto refusal = notification_for(framed.error());
                                     s->write_messages({Message{s->next_id(), refusal, false}});
                                     s->transport_lost("bad PDU: " + framed.error().to_string());
                                     return;
                                 }
                                 // The PDUs are copied out: handling one may close the connection.
                                 std::vector<std::vector<uint8_t>> pdus;
                                 for (auto p : framed->pdus) pdus.emplace_back(p.begin(), p.end());
                                 s->rx_.erase(s->rx_.begin(), s->rx_.begin() + long(framed->consumed));
                                 for (const auto& p : pdus) {
                                     s->on_pdu(p);
                                     if (s->connection_ != conn) return;
                                 }
                                 s->read();
                             });
}

void Session::on_pdu(std::span<const uint8_t> bytes) {
    uint64_t conn = connection_;
    auto pdu = decode_pdu(bytes, decode_context());
    if (!pdu) {
        // RFC 5036 3.5.1.1: a fatal error is reported and the session closed.
        log::warning("ldp: session {}: {}", params_.peer.to_string(), pdu.error().to_string());
        write_messages({Message{next_id(), notification_for(pdu.error()), false}});
        transport_lost("bad PDU: " + pdu.error().to_string());
        return;
    }
    for (const auto& m : pdu->messages) {
        if (!m) {
            log::info("ldp: session {}: {}", params_.peer.to_string(), m.error().to_string());
            write_messages({Message{next_id(), notification_for(m.error()), false}});
            if (m.error().fatal) {
                transport_lost("bad message: " + m.error().to_string());
                return;
            }
            continue;
        }
        ++received_;
        handle(*m);
        if (connection_ != conn) return;
    }
}

void Session::handle(const Message& m) {
    using E = session::EventType;
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, Initialization>) {
                feed(session::Event::init(session::negotiate(params_.local, body, m.id)));
            } else if constexpr (std::is_same_v<T, KeepAlive>) {
                feed(session::Event::of(E::keepalive_received));
            } else if constexpr (std::is_same_v<T, Notification>) {
                log::info("ldp: session {}: received Notification {}{}", params_.peer.to_string(),
                          to_string(body.status.code), body.status.fatal ? " (fatal)" : "");
                if (body.status.fatal) down_reason_ = "received " + to_string(body.status.code);
                feed(session::Event::notification(body.status));
            } else if constexpr (std::is_same_v<T, Hello> || std::is_same_v<T, UnknownMessage>) {
                // Hellos belong to UDP; unknown messages with U=1 are ignored (RFC 5036 3.4).
            } else {
                bool operational = fsm_.state() == session::State::operational;
                feed(session::Event::of(E::message_received));
                if constexpr (std::is_same_v<T, CapabilityMessage>) return;  // nothing else to announce yet
                if (operational && owner_) owner_->session_message(*this, m);
            }
        },
        m.body);
}

void Session::write_messages(std::vector<Message> messages) {
    if (!socket_ || messages.empty()) return;
    std::size_t max = kDefaultMaxPduLength;
    if (const auto& n = fsm_.negotiated()) max = n->max_pdu_length;
    auto pdus = pack_pdus(params_.local.id, messages, max);
    if (!pdus) {
        log::error("ldp: session {}: cannot encode: {}", params_.peer.to_string(), pdus.error().detail);
        return;
    }
    sent_ += messages.size();
    for (const auto& p : *pdus) {
        if (!socket_) return;
        write_bytes(p);
    }
}

void Session::write_bytes(std::span<const uint8_t> bytes) {
    // Asio's blocking write would wait forever on a peer that stopped reading: send without
    // blocking and wait for room at most kSendTimeoutSeconds in all.
    int fd = socket_->native_handle();
    std::size_t done = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kSendTimeoutSeconds);
    std::string failure;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            done += std::size_t(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            failure = std::string("write: ") + std::strerror(errno);
            break;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLOUT, 0};
        if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) == 0) {
            failure = "write: the peer does not read (send timeout)";
            break;
        }
    }
    if (failure.empty()) return;
    log::info("ldp: session {}: {}", params_.peer.to_string(), failure);
    // Report the loss on the next turn, not from inside the FSM's list of actions.
    close_socket();
    asio::post(io_, [self = weak_from_this(), failure] {
        if (auto s = self.lock()) {
            s->down_reason_ = failure;
            s->feed(session::Event::of(session::EventType::tcp_closed));
        }
    });
}

}  // namespace isthmus::ldp::io
