#include "ldp/instance/instance.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "ldp/codec/pdu.hpp"
#include "ldp/io/socket_options.hpp"
#include "lib/log.hpp"

namespace isthmus::ldp {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

discovery::DiscoveryConfig discovery_config(const config::Ldp& c, const LdpId& self) {
    discovery::DiscoveryConfig d;
    d.self = self;
    // One proposal for link adjacencies: the longest configured (each Hello still carries its own).
    uint16_t link = 0;
    for (const auto& i : c.interfaces) link = std::max<uint16_t>(link, uint16_t(i.hello_hold_time.count()));
    if (link) d.link_hold_time = link;
    uint16_t targeted = 0;
    for (const auto& t : c.targeted_neighbors) {
        targeted = std::max<uint16_t>(targeted, uint16_t(t.hello_hold_time.count()));
        d.targeted_neighbors.insert(t.address);
    }
    if (targeted) d.targeted_hold_time = targeted;
    d.accept_targeted_hellos = true;  // extended discovery answers LSRs that ask (R bit)
    return d;
}

label::LabelBaseConfig label_config(const config::Ldp& c, const InstanceOptions& o) {
    label::LabelBaseConfig l;
    l.explicit_null = c.egress_label == config::LdpEgressLabel::explicit_null;
    l.independent = c.control_mode == config::LdpControlMode::independent;
    l.accept_fec = o.accept_fec;
    return l;
}

Ipv4Address from_asio(const asio::ip::address& a) {
    return a.is_v4() ? Ipv4Address::from_uint(a.to_v4().to_uint()) : Ipv4Address();
}

}  // namespace

Instance::Instance(asio::io_context& io, const config::Ldp& cfg, RouterId router_id, LabelAllocator& labels,
                   InstanceOutputs out, InstanceOptions options)
    : io_(io),
      config_(cfg),
      self_{router_id, 0},
      transport_(cfg.transport_address.is_unspecified() ? router_id.to_address() : cfg.transport_address),
      out_(std::move(out)),
      options_(std::move(options)),
      table_(discovery_config(cfg, self_)),
      label_(label_config(cfg, options_), labels),
      expiry_(io),
      gr_(gr::config_of(cfg.graceful_restart, options_.restarting), gr::Clock::now()),
      gr_timer_(io),
      protection_({cfg.session_protection, cfg.session_protection_duration}),
      protection_timer_(io) {
    for (const auto& t : cfg.targeted_neighbors) {
        Targeted& x = targeted_[t.address];
        x.address = t.address;
        x.interval = t.hello_interval;
        x.hold_time = uint16_t(t.hello_hold_time.count());
        x.configured = true;
    }
}

Instance::~Instance() {
    *alive_ = false;
    if (running_) stop();
}

Status<std::string> Instance::start() {
    auto udp = io::DiscoverySocket::open(
        io_, [this, alive = alive_](const io::Datagram& d) { if (*alive) on_datagram(d); }, options_.port);
    if (!udp) return err(udp.error());
    udp_ = std::move(udp).value();
    boost::system::error_code ec;
    acceptor_.emplace(io_);
    acceptor_->open(tcp::v4(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind({asio::ip::address_v4::any(), options_.port}, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return err("LDP session listener on TCP " + std::to_string(options_.port) + ": " + ec.message());
    // RFC 6720: a GTSM peer accepts only TTL 255, from the SYN-ACK on, which the listener sends.
    if (config_.ttl_security) {
        if (auto s = io::set_ttl(acceptor_->native_handle(), 255); !s) return err("LDP session listener: " + s.error());
    }
    running_ = true;
    if (gr_.recovering()) {
        // RFC 3478 3.5.1: the preserved entries stay in the kernel; their labels are ours again
        // when the neighbours' mappings show which FEC each served.
        std::size_t n = label_.preserve(options_.preserved_lfib);
        log::notice("ldp: graceful restart: {} preserved LFIB entr{} to re-learn within {} s", n,
                    n == 1 ? "y" : "ies", config_.graceful_restart.recovery_time.count());
        rearm_gr();
        check_recovery();
    } else {
        asio::post(io_, [this, alive = alive_] {
            if (*alive && running_) finish_recovery();
        });
    }
    accept();
    for (auto& [address, t] : targeted_) schedule_targeted_hello(address, 0ms);
    for (auto& [ifindex, i] : interfaces_)
        if (i.up && i.config) enable_interface(ifindex, i);
    log::notice("ldp: started, LSR id {}, transport address {}, {} interface(s), {} targeted neighbour(s)",
                self_.to_string(), transport_.to_string(), config_.interfaces.size(),
                config_.targeted_neighbors.size());
    return ok_unit;
}

void Instance::stop() { stop(false); }

void Instance::stop_keeping_forwarding() { stop(true); }

void Instance::stop(bool keep_forwarding) {
    if (!running_) return;
    running_ = false;
    // Sessions first (each sends Shutdown, or just closes for a graceful restart); the label base
    // then drops the LFIB and the labels.
    auto sessions = std::move(sessions_);
    sessions_.clear();
    for (auto& [lsr, s] : sessions) keep_forwarding ? s->abandon() : s->stop();
    auto last = label_.shutdown();
    if (keep_forwarding) {
        last.lfib.clear();  // the next incarnation finds them in the kernel and re-learns them
        last.lsp.clear();
    }
    apply(std::move(last));
    gr_timer_.cancel();
    protection_timer_.cancel();
    for (auto& [ifindex, i] : interfaces_) i.hello_timer.reset();
    for (auto& [a, t] : targeted_) t.timer.reset();
    expiry_.cancel();
    boost::system::error_code ec;
    if (acceptor_) acceptor_->close(ec);
    udp_.reset();
    log::notice("ldp: stopped");
}

// ---- the kernel's view ----

void Instance::interface_changed(uint32_t ifindex, const std::string& name, bool up) {
    Interface& i = interfaces_[ifindex];
    bool was_enabled = i.up && i.config;
    i.name = name;
    i.up = up;
    i.config = nullptr;
    for (const auto& c : config_.interfaces)
        if (c.name == name) i.config = &c;
    bool enabled = i.up && i.config;
    if (!running_ || enabled == was_enabled) return;
    enabled ? enable_interface(ifindex, i) : disable_interface(ifindex, i);
}

void Instance::interface_removed(uint32_t ifindex) {
    auto it = interfaces_.find(ifindex);
    if (it == interfaces_.end()) return;
    if (running_ && it->second.up && it->second.config) disable_interface(ifindex, it->second);
    interfaces_.erase(it);
}

void Instance::address_added(const label::LocalAddress& a) { apply(label_.address_added(a)); }
void Instance::address_removed(const label::LocalAddress& a) { apply(label_.address_removed(a)); }
void Instance::route_changed(const label::Route& r) { apply(label_.route_changed(r)); }
void Instance::route_removed(const Ipv4Prefix& p) { apply(label_.route_removed(p)); }

void Instance::apply(label::Effects e) {
    std::map<LdpId, std::vector<MessageBody>> by_peer;
    for (auto& m : e.messages) by_peer[m.peer].push_back(std::move(m.body));
    for (auto& [peer, bodies] : by_peer) {
        auto it = sessions_.find(peer);
        if (it == sessions_.end()) continue;
        if (it->second->state() == session::State::operational) {
            PeerCounters& c = counters_[peer];
            for (const auto& b : bodies) {
                c.label_mappings_sent += std::holds_alternative<LabelMapping>(b);
                c.label_withdraws_sent += std::holds_alternative<LabelWithdraw>(b);
            }
        }
        it->second->send(bodies);
    }
    for (const auto& l : e.lfib) log::debug("ldp: lfib {}", label::to_string(l));
    if (!e.lfib.empty() && out_.lfib) out_.lfib(e.lfib);
    if (!e.lsp.empty() && out_.lsp) out_.lsp(e.lsp);
}

// ---- discovery ----

std::chrono::milliseconds Instance::jittered(std::chrono::seconds interval) {
    // Up to 25% early, so Hellos of routers started together drift apart.
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(interval);
    std::uniform_int_distribution<long> d(0, ms.count() / 4);
    return ms - std::chrono::milliseconds(d(rng_));
}

std::vector<uint8_t> Instance::hello_pdu(uint16_t hold_time, bool targeted, bool gtsm) {
    Hello h;
    h.params.hold_time = hold_time;
    h.params.targeted = targeted;
    h.params.request_targeted = targeted;
    h.params.gtsm = gtsm;
    h.transport_v4 = transport_;
    Message m{++message_id_, h, false};
    ByteWriter w;
    (void)encode_pdu(self_, std::span<const Message>(&m, 1), w);
    return w.take();
}

void Instance::enable_interface(uint32_t ifindex, Interface& i) {
    if (auto s = udp_->join(ifindex); !s) log::warning("ldp: interface {}: {}", i.name, s.error());
    log::info("ldp: link Hellos on {} every {} s", i.name, i.config->hello_interval.count());
    i.hello_timer = std::make_unique<asio::steady_timer>(io_);
    schedule_link_hello(ifindex, 0ms);
}

void Instance::disable_interface(uint32_t ifindex, Interface& i) {
    i.hello_timer.reset();
    if (udp_) (void)udp_->leave(ifindex);
    handle_discovery(table_.interface_down(ifindex));
}

void Instance::schedule_link_hello(uint32_t ifindex, std::chrono::milliseconds after) {
    auto it = interfaces_.find(ifindex);
    if (it == interfaces_.end() || !it->second.hello_timer) return;
    auto* t = it->second.hello_timer.get();
    t->expires_after(after);
    t->async_wait([this, alive = alive_, ifindex](const boost::system::error_code& ec) {
        if (ec || !*alive || !running_) return;
        auto i = interfaces_.find(ifindex);
        if (i == interfaces_.end() || !i->second.config) return;
        send_link_hello(ifindex);
        schedule_link_hello(ifindex, jittered(i->second.config->hello_interval));
    });
}

void Instance::send_link_hello(uint32_t ifindex) {
    const Interface& i = interfaces_.at(ifindex);
    // A protected session may go multi-hop when the link fails: no GTSM (RFC 6720 is single-hop).
    auto pdu = hello_pdu(uint16_t(i.config->hello_hold_time.count()), false,
                         config_.ttl_security && !config_.session_protection);
    if (auto s = udp_->send_link(ifindex, pdu, options_.port); !s)
        log::warning("ldp: link Hello on {}: {}", i.name, s.error());
}

void Instance::schedule_targeted_hello(Ipv4Address to, std::chrono::milliseconds after) {
    auto it = targeted_.find(to);
    if (it == targeted_.end()) return;
    if (!it->second.timer) it->second.timer = std::make_unique<asio::steady_timer>(io_);
    it->second.timer->expires_after(after);
    it->second.timer->async_wait([this, alive = alive_, to](const boost::system::error_code& ec) {
        if (ec || !*alive || !running_) return;
        auto t = targeted_.find(to);
        if (t == targeted_.end()) return;
        send_targeted_hello(to);
        schedule_targeted_hello(to, jittered(t->second.interval));
    });
}

void Instance::send_targeted_hello(Ipv4Address to) {
    const Targeted& t = targeted_.at(to);
    auto pdu = hello_pdu(t.hold_time, true, false);
    if (auto s = udp_->send_targeted(to, pdu, transport_, options_.port); !s)
        log::warning("ldp: targeted Hello to {}: {}", to.to_string(), s.error());
}

void Instance::on_datagram(const io::Datagram& d) {
    auto pdu = decode_pdu(d.bytes);
    if (!pdu) {
        log::debug("ldp: bad Hello PDU from {}: {}", d.source.to_string(), pdu.error().to_string());
        return;
    }
    for (const auto& m : pdu->messages) {
        if (!m) continue;
        const auto* hello = std::get_if<Hello>(&m->body);
        if (!hello) continue;
        bool multicast = d.destination == Ipv4Address::from_uint(0xE0000002);
        if (!hello->params.targeted) {
            // RFC 5036 2.4.1: link Hellos count only on interfaces LDP runs on, to the group.
            auto it = interfaces_.find(d.ifindex);
            if (!multicast || it == interfaces_.end() || !it->second.up || !it->second.config) continue;
            peer_gtsm_[pdu->header.ldp_id] = hello->params.gtsm;
        } else if (multicast) {
            continue;
        }
        discovery::ReceivedHello h{pdu->header.ldp_id, d.source, hello->params.targeted ? 0 : d.ifindex, *hello};
        handle_discovery(table_.hello_received(h, discovery::Clock::now()));
    }
}

void Instance::handle_discovery(std::vector<discovery::Output> outputs) {
    for (const auto& o : outputs) {
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, discovery::AdjacencyUp>) {
                    log::info("ldp: adjacency with {} ({}) up, hold {} s", x.key.lsr.to_string(),
                              x.key.source.targeted ? "targeted " + x.key.source.address.to_string()
                                                    : "link " + std::to_string(x.key.source.ifindex),
                              x.hold_time);
                    // A Hello at once in reply: the peer learns us now, not up to an interval later,
                    // so the active side's first connection is not refused for want of an adjacency
                    // (which would cost it the 15 s initialization backoff).
                    if (!x.key.source.targeted) {
                        auto i = interfaces_.find(x.key.source.ifindex);
                        if (i != interfaces_.end() && i->second.config && i->second.up)
                            send_link_hello(x.key.source.ifindex);
                        protect(x.key.lsr, x.transport);
                    }
                    // Answer an accepted targeted Hello with our own (extended discovery).
                    if (x.key.source.targeted && !targeted_.contains(x.key.source.address)) {
                        auto a = table_.adjacencies().find(x.key);
                        if (a != table_.adjacencies().end() && a->second.send_targeted) {
                            Targeted& t = targeted_[x.key.source.address];
                            t.address = x.key.source.address;
                            t.hold_time = x.hold_time;
                            t.interval = std::chrono::seconds(std::max(1, x.hold_time / 3));
                            schedule_targeted_hello(t.address, 0ms);
                        }
                    }
                } else if constexpr (std::is_same_v<T, discovery::AdjacencyDown>) {
                    log::info("ldp: adjacency with {} down", x.key.lsr.to_string());
                    if (x.key.source.targeted) {
                        auto t = targeted_.find(x.key.source.address);
                        if (t != targeted_.end() && !t->second.configured && !t->second.protection) targeted_.erase(t);
                    } else {
                        protect(x.key.lsr, std::nullopt);
                    }
                } else if constexpr (std::is_same_v<T, discovery::SessionNeeded>) {
                    create_session(x.lsr, x.transport);
                } else if constexpr (std::is_same_v<T, discovery::SessionNotNeeded>) {
                    remove_session(x.lsr);
                } else if constexpr (std::is_same_v<T, discovery::HelloIgnored>) {
                    log::debug("ldp: Hello ignored: {}", x.reason);
                }
            },
            o);
    }
    rearm_expiry();
}

void Instance::rearm_expiry() {
    auto next = table_.next_expiry();
    if (!next) {
        expiry_.cancel();
        return;
    }
    expiry_.expires_at(*next);
    expiry_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive || !running_) return;
        handle_discovery(table_.expire(discovery::Clock::now()));
    });
}

// ---- sessions ----

std::optional<std::string> Instance::password_for(const LdpId& lsr) const {
    for (const auto& n : config_.neighbors)
        if (n.lsr_id == lsr.lsr_id && n.password) return n.password;
    return std::nullopt;
}

bool Instance::single_hop(const LdpId& lsr) const {
    for (const auto& [key, a] : table_.adjacencies())
        if (key.lsr == lsr && !key.source.targeted) return true;
    return false;
}

void Instance::create_session(const LdpId& lsr, Ipv4Address transport) {
    if (sessions_.contains(lsr)) return;
    io::SessionParams p;
    p.peer = lsr;
    p.local_transport = transport_;
    p.peer_transport = transport;
    p.local.id = self_;
    p.local.keepalive_time = uint16_t(config_.session_hold_time.count());
    p.fsm = options_.session;
    p.fsm.role = session::role_for(transport_, transport);
    p.md5_key = password_for(lsr);
    // RFC 6720 3: GTSM only for single-hop sessions and only when both sides said so.
    auto g = peer_gtsm_.find(lsr);
    p.gtsm = config_.ttl_security && !config_.session_protection && single_hop(lsr) && g != peer_gtsm_.end() &&
             g->second;
    p.port = options_.port;
    p.ft = [this, alive = alive_]() -> std::optional<FtSessionParams> {
        if (!*alive) return std::nullopt;
        return gr_.ft_tlv(gr::Clock::now());
    };
    if (p.md5_key && p.fsm.role == session::Role::passive && acceptor_) {
        if (auto s = io::set_tcp_md5(acceptor_->native_handle(), transport, *p.md5_key); !s)
            log::error("ldp: listener key for {}: {}", transport.to_string(), s.error());
    }
    log::info("ldp: session with {} at {} needed, {} role{}{}", lsr.to_string(), transport.to_string(),
              p.fsm.role == session::Role::active ? "active" : "passive", p.md5_key ? ", TCP-MD5" : "",
              p.gtsm ? ", GTSM" : "");
    auto s = io::Session::create(io_, std::move(p), this);
    sessions_[lsr] = s;
    s->start();
}

void Instance::remove_session(const LdpId& lsr) {
    auto it = sessions_.find(lsr);
    if (it == sessions_.end()) return;
    auto s = it->second;
    sessions_.erase(it);
    log::info("ldp: session with {} no longer needed", lsr.to_string());
    s->stop();
    if (s->params().md5_key && s->role() == session::Role::passive && acceptor_)
        (void)io::set_tcp_md5(acceptor_->native_handle(), s->params().peer_transport, "");
}

void Instance::accept() {
    acceptor_->async_accept([this, alive = alive_](const boost::system::error_code& ec, tcp::socket socket) {
        if (!*alive || !running_) return;
        if (!ec) on_accepted(std::move(socket));
        if (ec != asio::error::operation_aborted) accept();
    });
}

// RFC 5036 2.5.2: a connection is accepted only from an LSR we have an adjacency with, at its
// transport address, when we are the passive side.
void Instance::on_accepted(tcp::socket socket) {
    boost::system::error_code ec;
    auto remote = socket.remote_endpoint(ec);
    Ipv4Address from = ec ? Ipv4Address() : from_asio(remote.address());
    for (auto& [lsr, s] : sessions_) {
        if (s->params().peer_transport != from) continue;
        if (!s->adopt(std::move(socket)))
            log::info("ldp: connection from {} refused: session in state {}", from.to_string(),
                      session::to_string(s->state()));
        return;
    }
    log::info("ldp: connection from {} refused: no adjacency with that transport address", from.to_string());
    socket.close(ec);
}

void Instance::session_up(io::Session& s, const session::NegotiatedSession& n) {
    const LdpId& lsr = s.peer();
    ++counters_[lsr].sessions_up;
    switch (gr_.session_up(lsr, n.peer_ft, gr::Clock::now())) {
        case gr::UpOutcome::nothing_stale: break;
        case gr::UpOutcome::drop_stale:
            log::notice("ldp: graceful restart: {} back without preserved state, its stale bindings go",
                        lsr.to_string());
            apply(label_.drop_stale(lsr));
            break;
        case gr::UpOutcome::recovering:
            log::notice("ldp: graceful restart: {} back, keeping its {} stale binding(s) while it re-sends them",
                        lsr.to_string(), label_.stale_count(lsr));
            break;
    }
    apply(label_.session_up(lsr, n.unrecognized_notification));
    check_refreshed(lsr);
    rearm_gr();
    apply_protection(protection_.session_state(lsr, true));
}

void Instance::session_down(io::Session& s, const std::string&) {
    const LdpId& lsr = s.peer();
    // Our own stop is no neighbour restart: nothing to keep for later.
    bool retain = running_ && gr_.session_down(lsr, gr::Clock::now());
    apply(label_.session_down(lsr, retain));
    if (retain)
        log::notice("ldp: graceful restart: keeping {}'s {} binding(s) and address(es), stale, for up to {} ms",
                    lsr.to_string(), label_.stale_count(lsr),
                    std::chrono::duration_cast<std::chrono::milliseconds>(*gr_.deadline(lsr) - gr::Clock::now()).count());
    rearm_gr();
    if (running_) apply_protection(protection_.session_state(lsr, false));
}

void Instance::session_message(io::Session& s, const Message& m) {
    const LdpId& lsr = s.peer();
    PeerCounters& c = counters_[lsr];
    c.label_mappings_received += std::holds_alternative<LabelMapping>(m.body);
    c.label_withdraws_received += std::holds_alternative<LabelWithdraw>(m.body);
    apply(label_.message_received(lsr, m));
    check_refreshed(lsr);
    check_recovery();
}

// ---- session protection ----

bool Instance::operational(const LdpId& lsr) const {
    auto it = sessions_.find(lsr);
    return it != sessions_.end() && it->second->state() == session::State::operational;
}

// A link adjacency of lsr came or went: protection follows its count of link adjacencies.
void Instance::protect(const LdpId& lsr, std::optional<Ipv4Address> transport) {
    if (!protection_.config().enabled) return;
    std::size_t links = 0;
    for (const auto& [key, a] : table_.adjacencies()) links += key.lsr == lsr && !key.source.targeted;
    Ipv4Address t = transport.value_or(table_.session_transport(lsr).value_or(Ipv4Address()));
    apply_protection(protection_.link_adjacencies(lsr, links, t, operational(lsr), discovery::Clock::now()));
}

void Instance::apply_protection(const std::vector<discovery::ProtectionOutput>& outputs) {
    for (const auto& o : outputs) {
        if (const auto* start = std::get_if<discovery::ProtectionStart>(&o)) {
            log::info("ldp: session protection for {}: targeted Hellos to {}", start->lsr.to_string(),
                      start->address.to_string());
            Targeted& t = targeted_[start->address];
            t.address = start->address;
            t.protection = true;
            if (!t.timer && running_) schedule_targeted_hello(t.address, 0ms);
        } else if (const auto* stop = std::get_if<discovery::ProtectionStop>(&o)) {
            log::info("ldp: session protection for {} ends", stop->lsr.to_string());
            auto t = targeted_.find(stop->address);
            if (t == targeted_.end()) continue;
            t->second.protection = false;
            if (t->second.configured) continue;
            // Still answering the LSR's own targeted Hellos (R bit): that adjacency ends it.
            bool asked = false;
            for (const auto& [key, a] : table_.adjacencies())
                asked |= key.source.targeted && key.source.address == stop->address && a.send_targeted;
            if (!asked) targeted_.erase(t);
        }
    }
    rearm_protection();
}

void Instance::rearm_protection() {
    auto next = protection_.next_expiry();
    if (!next) {
        protection_timer_.cancel();
        return;
    }
    protection_timer_.expires_at(*next);
    protection_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive || !running_) return;
        apply_protection(protection_.expire(discovery::Clock::now()));
    });
}

// ---- graceful restart ----

// Everything the neighbour had was refreshed before its recovery time: nothing left to time out.
void Instance::check_refreshed(const LdpId& lsr) {
    if (gr_.state(lsr) == gr::NeighborState::recovering && label_.stale_count(lsr) == 0) {
        log::info("ldp: graceful restart: {} re-sent everything", lsr.to_string());
        gr_.stale_cleared(lsr);
        rearm_gr();
    }
}

// Restarting: every preserved entry re-learnt means the sweep would delete none of ours.
void Instance::check_recovery() {
    if (label_.recovering() && label_.preserved_left() == 0) finish_recovery();
}

void Instance::finish_recovery() {
    if (label_.recovering()) {
        std::size_t left = label_.preserved_left();
        apply(label_.end_recovery());
        log::notice("ldp: graceful restart: recovery complete, {} preserved LFIB entr{} not re-learnt", left,
                    left == 1 ? "y" : "ies");
    }
    if (recovery_signalled_) return;
    recovery_signalled_ = true;
    if (out_.recovery_complete) out_.recovery_complete();
}

void Instance::rearm_gr() {
    auto next = gr_.next_expiry();
    if (!next) {
        gr_timer_.cancel();
        return;
    }
    gr_timer_.expires_at(*next);
    gr_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive || !running_) return;
        on_gr_timer();
    });
}

void Instance::on_gr_timer() {
    auto ex = gr_.expire(gr::Clock::now());
    for (const auto& lsr : ex.drop_stale) {
        log::notice("ldp: graceful restart: {}'s time is over, its {} stale binding(s) and address(es) go",
                    lsr.to_string(), label_.stale_count(lsr));
        apply(label_.drop_stale(lsr));
    }
    if (ex.recovery_complete) finish_recovery();
    rearm_gr();
}

PeerCounters Instance::counters(const LdpId& lsr) const {
    auto it = counters_.find(lsr);
    return it == counters_.end() ? PeerCounters{} : it->second;
}

PeerGracefulRestart Instance::graceful_restart(const LdpId& lsr) const {
    PeerGracefulRestart g;
    g.state = gr_.state(lsr);
    if (auto d = gr_.deadline(lsr))
        g.remaining = std::max(std::chrono::milliseconds(0),
                               std::chrono::duration_cast<std::chrono::milliseconds>(*d - gr::Clock::now()));
    g.peer_ft = gr_.peer_ft(lsr);
    g.stale = label_.stale_count(lsr);
    return g;
}

}  // namespace isthmus::ldp
