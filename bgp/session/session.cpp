#include "bgp/session/session.hpp"

#include <boost/asio/ip/address.hpp>

#include "bgp/session/socket_options.hpp"
#include "lib/log.hpp"

namespace isthmus::bgp::session {

namespace asio = boost::asio;
using asio::ip::tcp;
using fsm::EventType;

namespace {

asio::ip::address to_asio(const IpAddress& a) {
    if (a.is_v4()) return asio::ip::address_v4(a.v4().bytes());
    return asio::ip::address_v6(a.v6().bytes());
}

IpAddress from_asio(const asio::ip::address& a) {
    if (a.is_v4()) return Ipv4Address(a.to_v4().to_bytes());
    auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) return Ipv4Address(asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes());
    return Ipv6Address(v6.to_bytes());
}

fsm::Settings fsm_settings(const config::BgpNeighbor& n, const SessionOptions& o) {
    fsm::Settings s;
    s.connect_retry = n.timers.connect_retry_time;
    s.hold = n.timers.hold_time;
    s.keepalive = n.timers.keepalive_time;
    s.passive = n.passive;
    s.idle_hold = o.idle_hold;
    s.idle_hold_max = o.idle_hold_max;
    return s;
}

std::string describe(const Notification& n) {
    std::string s = fmt::format("{}/{}", n.code, n.subcode);
    if (auto text = n.shutdown_communication()) s += fmt::format(" \"{}\"", *text);
    return s;
}

}  // namespace

Session::Session(asio::io_context& io, config::BgpNeighbor neighbor, LocalIdentity local, Observer& observer,
                 SessionOptions options)
    : io_(io),
      neighbor_(std::move(neighbor)),
      local_(local),
      observer_(observer),
      options_(options),
      fsm_(fsm_settings(neighbor_, options_)),
      our_open_(make_open(local_, neighbor_)),
      timers_{asio::steady_timer(io), asio::steady_timer(io), asio::steady_timer(io), asio::steady_timer(io),
              asio::steady_timer(io)},
      rng_(std::random_device{}()) {}

Session::~Session() {
    for (auto& t : timers_) t.cancel();
    if (dialing_) {
        boost::system::error_code ec;
        dialing_->close(ec);
    }
    if (primary_) primary_->close();
    if (secondary_) secondary_->close();
}

std::string Session::name() const { return "neighbor " + neighbor_.address.to_string(); }

void Session::start() {
    max_prefix_down_ = false;
    max_prefix_warned_ = false;
    if (neighbor_.shutdown) {
        log::notice("bgp {}: administratively shut down, stays Idle", name());
        return;
    }
    feed({neighbor_.passive ? EventType::manual_start_passive : EventType::manual_start, {}, {}}, "start");
}

void Session::stop(std::string_view message) {
    // In Idle the FSM ignores ManualStop: cancel the pending automatic restart here.
    if (fsm_.state() == fsm::State::idle) stop_timer(fsm::Timer::idle_hold);
    fsm::Event e{EventType::manual_stop, make_shutdown(cease::kAdministrativeShutdown, message), {}};
    feed(e, "administrative shutdown");
}

void Session::feed(fsm::Event e, std::string_view why) {
    auto from = fsm_.state();
    auto actions = fsm_.handle(e);
    auto to = fsm_.state();
    // Transitions first, so that a log shows "-> Established" before the routes flow.
    if (from != to)
        observer_.state_changed(*this, from, to, why.empty() ? fsm::to_string(e.type) : why);
    run(actions);
}

void Session::run(const std::vector<fsm::Action>& actions) {
    for (auto& a : actions) {
        if (auto* st = std::get_if<fsm::StartTimer>(&a)) {
            start_timer(st->timer, st->duration);
        } else if (auto* sp = std::get_if<fsm::StopTimer>(&a)) {
            stop_timer(sp->timer);
        } else if (std::holds_alternative<fsm::InitiateConnection>(a)) {
            initiate();
        } else if (std::holds_alternative<fsm::DropConnection>(a)) {
            drop_connections();
        } else if (std::holds_alternative<fsm::SendOpen>(a)) {
            if (primary_) send_on(*primary_, our_open_);
        } else if (std::holds_alternative<fsm::SendKeepalive>(a)) {
            if (primary_) send_on(*primary_, Keepalive{});
        } else if (auto* sn = std::get_if<fsm::SendNotification>(&a)) {
            last_sent_ = sn->notification;
            notification_exchanged_ = true;
            log::info("bgp {}: sending NOTIFICATION {}", name(), describe(sn->notification));
            if (primary_) send_on(*primary_, sn->notification);
        } else if (std::holds_alternative<fsm::SessionUp>(a)) {
            ++established_count_;
            notification_exchanged_ = false;
            if (peer_) observer_.established(*this, *peer_);
        } else if (std::holds_alternative<fsm::SessionDown>(a)) {
            bool graceful = !notification_exchanged_ && peer_ && peer_->graceful_restart.has_value();
            observer_.down(*this, graceful);
        }
    }
    if (fsm_.state() == fsm::State::idle) {
        peer_.reset();
        accepted_.reset();
        peer_open_.reset();
    }
}

void Session::start_timer(fsm::Timer t, fsm::Seconds d) {
    auto i = std::size_t(t);
    auto gen = ++timer_gen_[i];
    auto ms = std::chrono::milliseconds(d);
    // RFC 4271 10: ConnectRetry/Keepalive reduced by a random 0-25%, in milliseconds so
    // that short test timers keep their jitter.
    if (t == fsm::Timer::connect_retry || t == fsm::Timer::keepalive) {
        std::uniform_real_distribution<double> u(options_.jitter_low, 1.0);
        ms = std::chrono::milliseconds(long(double(ms.count()) * u(rng_)));
    }
    if (t == fsm::Timer::idle_hold && max_prefix_down_) {
        // After a max-prefix teardown the configured restart time replaces the backoff;
        // 0 keeps the session down until an operator clears it.
        if (!neighbor_.max_prefixes || neighbor_.max_prefixes->restart_time.count() == 0) return;
        ms = neighbor_.max_prefixes->restart_time;
    }
    timers_[i].expires_after(ms);
    timers_[i].async_wait([w = weak_from_this(), t, gen](const boost::system::error_code& ec) {
        auto self = w.lock();
        if (ec || !self || self->timer_gen_[std::size_t(t)] != gen) return;
        static constexpr EventType events[] = {EventType::connect_retry_expired, EventType::hold_expired,
                                               EventType::keepalive_expired, EventType::idle_hold_expired,
                                               EventType::stable_expired};
        if (t == fsm::Timer::idle_hold) self->max_prefix_down_ = false;
        self->feed({events[std::size_t(t)], {}, {}}, fsm::to_string(t));
    });
}

void Session::stop_timer(fsm::Timer t) {
    ++timer_gen_[std::size_t(t)];
    timers_[std::size_t(t)].cancel();
}

Status<std::string> Session::prepare_socket(tcp::socket& s, bool ipv6) {
    int fd = s.native_handle();
    if (neighbor_.password)
        if (auto r = set_tcp_md5(fd, neighbor_.address, *neighbor_.password); !r) return r;
    auto ttl = ttl_policy(neighbor_.remote_as != local_.asn, neighbor_.multihop, neighbor_.ttl_security);
    if (ttl.ttl)
        if (auto r = set_ttl(fd, ipv6, ttl.ttl); !r) return r;
    if (ttl.min_ttl)
        if (auto r = set_min_ttl(fd, ipv6, ttl.min_ttl); !r) return r;
    return ok_unit;
}

void Session::initiate() {
    bool v6 = neighbor_.address.is_v6();
    auto sock = std::make_shared<tcp::socket>(io_);
    boost::system::error_code ec;
    sock->open(v6 ? tcp::v6() : tcp::v4(), ec);
    if (!ec && neighbor_.update_source) {
        sock->bind(tcp::endpoint(to_asio(*neighbor_.update_source), 0), ec);
        if (ec) log::warning("bgp {}: cannot bind update-source {}: {}", name(), neighbor_.update_source->to_string(),
                             ec.message());
    }
    if (!ec)
        if (auto r = prepare_socket(*sock, v6); !r) log::warning("bgp {}: {}", name(), r.error());
    if (ec) {
        asio::post(io_, [w = weak_from_this()] {
            if (auto self = w.lock()) self->feed({EventType::tcp_connection_fails, {}, {}}, "socket setup failed");
        });
        return;
    }
    dialing_ = sock;
    sock->async_connect(tcp::endpoint(to_asio(neighbor_.address), options_.peer_port),
                        [w = weak_from_this(), sock](const boost::system::error_code& cec) {
                            auto self = w.lock();
                            if (!self || self->dialing_ != sock) return;  // superseded or dropped
                            self->dialing_.reset();
                            if (cec) {
                                log::debug("bgp {}: connect failed: {}", self->name(), cec.message());
                                self->feed({EventType::tcp_connection_fails, {}, {}}, "connect failed");
                                return;
                            }
                            self->adopt(std::make_shared<Connection>(std::move(*sock), true));
                            self->feed({EventType::tcp_connection_confirmed, {}, {}}, "connected");
                        });
}

void Session::accept(tcp::socket socket) {
    auto state = fsm_.state();
    bool v6 = neighbor_.address.is_v6();
    if (auto r = prepare_socket(socket, v6); !r) log::warning("bgp {}: {}", name(), r.error());
    auto conn = std::make_shared<Connection>(std::move(socket), false);
    switch (state) {
        case fsm::State::idle:
            // RFC 4271 8.2.2: Idle refuses connections.
            log::debug("bgp {}: connection refused in Idle", name());
            conn->close();
            return;
        case fsm::State::connect:
        case fsm::State::active:
            if (dialing_) {  // the peer was faster: take its connection, drop our attempt
                boost::system::error_code ec;
                dialing_->close(ec);
                dialing_.reset();
            }
            adopt(conn);
            feed({EventType::tcp_connection_confirmed, {}, {}}, "accepted");
            return;
        case fsm::State::open_sent:
        case fsm::State::open_confirm:
            if (secondary_) secondary_->close();
            // RFC 4271 6.8: run both until the peer's OPEN tells whose identifier is higher.
            secondary_ = conn;
            conn->start(handler());
            send_on(*conn, our_open_);
            return;
        case fsm::State::established:
            // CollisionDetectEstablishedState is off: the established connection stays.
            log::info("bgp {}: connection from the peer while Established, rejected", name());
            send_on(*conn, Notification{uint8_t(ErrorCode::Cease), cease::kConnectionRejected, {}});
            conn->close();
            return;
    }
}

void Session::adopt(Conn c) {
    primary_ = std::move(c);
    primary_->start(handler());
}

Connection::Handler Session::handler() {
    std::weak_ptr<Session> w = weak_from_this();
    Connection::Handler h;
    h.message = [w](Connection& c, std::span<const uint8_t> b) {
        if (auto s = w.lock()) s->on_message(c, b);
    };
    h.framing_error = [w](Connection& c, const DecodeError& e) {
        if (auto s = w.lock()) s->on_framing_error(c, e);
    };
    h.closed = [w](Connection& c, const std::string& why) {
        if (auto s = w.lock()) s->on_closed(c, why);
    };
    return h;
}

void Session::drop_connections() {
    if (dialing_) {
        boost::system::error_code ec;
        dialing_->close(ec);
        dialing_.reset();
    }
    if (primary_) primary_->close();
    if (secondary_) secondary_->close();
    primary_.reset();
    secondary_.reset();
}

void Session::send_on(Connection& c, const Message& m) {
    Context ctx = accepted_ ? accepted_->negotiated.send : Context{};
    auto bytes = encode(m, ctx);
    if (!bytes) {
        log::error("bgp {}: cannot encode {}: {}", name(), int(type_of(m)), bytes.error().reason);
        return;
    }
    c.send(std::move(bytes).value());
}

bool Session::send_raw(std::vector<uint8_t> bytes) {
    if (fsm_.state() != fsm::State::established || !primary_) return false;
    primary_->send(std::move(bytes));
    return true;
}

bool Session::send(const Message& m) {
    if (fsm_.state() != fsm::State::established || !primary_) return false;
    send_on(*primary_, m);
    return true;
}

void Session::on_closed(Connection& c, const std::string& why) {
    if (&c == secondary_.get()) {
        secondary_.reset();
        return;
    }
    if (&c != primary_.get()) return;
    primary_.reset();
    log::info("bgp {}: {}", name(), why);
    feed({EventType::tcp_connection_fails, {}, {}}, why);
}

void Session::on_framing_error(Connection& c, const DecodeError& e) {
    log::warning("bgp {}: bad message header: {}", name(), e.to_string());
    if (&c != primary_.get()) {
        send_on(c, to_notification(e));
        c.close();
        if (&c == secondary_.get()) secondary_.reset();
        return;
    }
    feed({EventType::bgp_header_err, to_notification(e), {}}, "message header error");
}

void Session::on_message(Connection& c, std::span<const uint8_t> bytes) {
    auto type = MessageType(bytes[kHeaderSize - 1]);
    Context ctx = accepted_ ? accepted_->negotiated.receive : Context{};
    auto m = decode(bytes, ctx);
    bool primary = &c == primary_.get();
    if (!m) {
        const auto& e = m.error();
        log::warning("bgp {}: bad {} message: {}", name(), int(type), e.to_string());
        if (!primary) {
            send_on(c, to_notification(e));
            c.close();
            if (&c == secondary_.get()) secondary_.reset();
            return;
        }
        EventType ev = EventType::update_msg_err;
        if (type == MessageType::Open) ev = EventType::bgp_open_msg_err;
        if (type == MessageType::Notification) {
            feed({EventType::notif_msg, {}, {}}, "malformed NOTIFICATION");
            return;
        }
        feed({ev, to_notification(e), {}}, e.reason);
        return;
    }
    if (primary) {
        on_primary(*m, type);
        return;
    }
    // The second connection of a collision: only its OPEN (or its end) matters.
    if (auto* o = std::get_if<Open>(&*m)) {
        on_secondary_open(*o);
    } else {
        if (auto* n = std::get_if<Notification>(&*m))
            log::info("bgp {}: NOTIFICATION {} on the colliding connection", name(), describe(*n));
        c.close();
        if (&c == secondary_.get()) secondary_.reset();
    }
}

void Session::on_primary(const Message& m, MessageType) {
    if (auto* o = std::get_if<Open>(&m)) {
        on_open(*o);
    } else if (std::holds_alternative<Keepalive>(m)) {
        feed({EventType::keepalive_msg, {}, {}}, "KEEPALIVE");
    } else if (auto* n = std::get_if<Notification>(&m)) {
        last_received_ = *n;
        notification_exchanged_ = true;
        log::notice("bgp {}: received NOTIFICATION {}", name(), describe(*n));
        bool version = n->code == uint8_t(ErrorCode::OpenMessage) && n->subcode == open_error::kUnsupportedVersion;
        feed({version ? EventType::notif_msg_ver_err : EventType::notif_msg, {}, {}}, "NOTIFICATION received");
    } else if (auto* u = std::get_if<Update>(&m)) {
        bool established = fsm_.state() == fsm::State::established;
        feed({EventType::update_msg, {}, {}}, "UPDATE");
        if (!established || fsm_.state() != fsm::State::established) return;
        for (auto& e : u->errors)
            log::warning("bgp {}: UPDATE error, RFC 7606 {}: {}", name(), to_string(e.action), e.to_string());
        if (log::enabled(log::Level::debug)) log_update(*u);
        observer_.update(*this, *u);
    } else if (auto* rr = std::get_if<RouteRefresh>(&m)) {
        if (fsm_.state() == fsm::State::established) observer_.route_refresh(*this, *rr);
    }
}

void Session::log_update(const Update& u) const {
    // One line per family and direction, for operators and the interop tests.
    if (auto f = u.end_of_rib()) {
        log::debug("bgp {}: received End-of-RIB {}", name(), afi_safi_of(*f).to_string());
        return;
    }
    if (u.mp_reach) {
        std::string text;
        for (auto& n : u.mp_reach->v6)
            text += fmt::format(" {} label {}", n.prefix.to_string(), n.labels.empty() ? "-" : n.labels.to_string());
        log::debug("bgp {}: received {} next hop {}:{}", name(), afi_safi_of(u.mp_reach->family).to_string(),
                   to_string(u.mp_reach->next_hop), text);
    }
    if (u.mp_unreach) {
        std::string text;
        for (auto& n : u.mp_unreach->v6) text += " " + n.prefix.to_string();
        log::debug("bgp {}: received withdrawal {}:{}", name(), afi_safi_of(u.mp_unreach->family).to_string(), text);
    }
}

void Session::on_open(const Open& o) {
    if (fsm_.state() != fsm::State::open_sent) {
        feed({EventType::bgp_open, {}, {}}, "unexpected OPEN");  // the FSM's error for this state
        return;
    }
    auto a = check_open(our_open_, o, neighbor_, local_);
    if (!a) {
        log::warning("bgp {}: OPEN refused (AS {}, id {}): NOTIFICATION {}", name(), o.asn().to_string(),
                     o.bgp_id.to_string(), describe(a.error()));
        feed({EventType::bgp_open_msg_err, a.error(), {}}, "OPEN refused");
        return;
    }
    remember_open(o, *a);
    feed({EventType::bgp_open, {}, a->hold}, "OPEN accepted");
}

void Session::remember_open(const Open& o, const Accepted& a) {
    accepted_ = a;
    peer_open_ = o;
    PeerInfo p;
    p.address = neighbor_.address;
    if (primary_) p.local_address = from_asio(primary_->local().address());
    p.asn = a.peer_asn;
    p.id = a.peer_id;
    p.ibgp = a.peer_asn == local_.asn;
    p.hold = a.hold;
    p.negotiated = a.negotiated;
    p.negotiated.receive.peer = p.negotiated.send.peer = p.ibgp ? PeerKind::Internal : PeerKind::External;
    accepted_->negotiated = p.negotiated;
    if (primary_) primary_->set_receive_context(p.negotiated.receive);
    if (auto* gr = o.find<GracefulRestartCapability>()) p.graceful_restart = *gr;
    peer_ = p;
}

void Session::on_secondary_open(const Open& o) {
    // RFC 4271 6.8: the connection opened by the side with the higher identifier stays.
    bool keep_ours = keep_locally_initiated(local_.router_id, o.bgp_id);
    bool keep_primary = primary_ && (primary_->outgoing() == keep_ours) && (secondary_->outgoing() != keep_ours);
    Notification collision{uint8_t(ErrorCode::Cease), cease::kConnectionCollision, {}};
    log::info("bgp {}: connection collision (our id {}, theirs {}): keeping the {} connection", name(),
              local_.router_id.to_string(), o.bgp_id.to_string(),
              keep_primary ? (primary_->outgoing() ? "outgoing" : "incoming")
                           : (secondary_->outgoing() ? "outgoing" : "incoming"));
    if (keep_primary) {
        send_on(*secondary_, collision);
        secondary_->close();
        secondary_.reset();
        return;
    }
    // The new connection wins: it replaces the one the FSM runs on, in the same state.
    if (primary_) {
        send_on(*primary_, collision);
        primary_->close();
    }
    primary_ = std::move(secondary_);
    secondary_.reset();
    if (fsm_.state() == fsm::State::open_sent) {
        on_open(o);
        return;
    }
    // OpenConfirm: the FSM already accepted an OPEN and sent its KEEPALIVE on the old
    // connection; the new one gets the same checks and its own KEEPALIVE.
    auto a = check_open(our_open_, o, neighbor_, local_);
    if (!a) {
        feed({EventType::bgp_open_msg_err, a.error(), {}}, "OPEN refused");
        return;
    }
    remember_open(o, *a);
    send_on(*primary_, Keepalive{});
}

void Session::prefixes_received(Family f, std::size_t count) {
    if (!neighbor_.max_prefixes || neighbor_.max_prefixes->limit == 0) return;
    auto& mp = *neighbor_.max_prefixes;
    if (count <= mp.limit) {
        max_prefix_warned_ = false;
        return;
    }
    if (mp.action == config::MaxPrefixes::Action::warn) {
        if (!max_prefix_warned_)
            log::warning("bgp {}: {} prefixes of {} exceed the limit {}", name(), count, afi_safi_of(f).to_string(),
                         mp.limit);
        max_prefix_warned_ = true;
        return;
    }
    if (fsm_.state() != fsm::State::established) return;
    log::warning("bgp {}: {} prefixes of {} exceed the limit {}: tearing the session down", name(), count,
                 afi_safi_of(f).to_string(), mp.limit);
    // RFC 4486 4: data = AFI, SAFI, the upper bound.
    auto as = afi_safi_of(f);
    Notification n{uint8_t(ErrorCode::Cease), cease::kMaxPrefixes,
                   {uint8_t(as.afi >> 8), uint8_t(as.afi), as.safi, uint8_t(mp.limit >> 24), uint8_t(mp.limit >> 16),
                    uint8_t(mp.limit >> 8), uint8_t(mp.limit)}};
    max_prefix_down_ = true;
    feed({EventType::automatic_stop, n, {}}, "max-prefix");
}

}  // namespace isthmus::bgp::session
