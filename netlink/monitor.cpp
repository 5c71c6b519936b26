#include "monitor.hpp"

#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <deque>

#include "lib/log.hpp"
#include "netlink/errors.hpp"
#include "netlink/message_builder.hpp"
#include "netlink/monitor_filter.hpp"

namespace isthmus::netlink {

namespace {

// Dump sequence numbers start far from the request socket's (which counts from 1), so a
// notification echoing one of its requests' numbers is not mistaken for a dump part.
constexpr uint32_t kFirstDumpSeq = 0x4d000000;

// The order of a full sync: links first, so everything after names known interfaces; nexthop
// objects last, after the routes that may use them have been seen.
constexpr Table kAllTables[] = {Table::links,      Table::addresses, Table::ipv4_routes, Table::ipv6_routes,
                                Table::neighbours, Table::nexthops,  Table::label_routes};

std::vector<uint8_t> table_dump_request(Table t, uint32_t seq) {
    std::vector<uint8_t> out;
    switch (t) {
        case Table::links: {
            MessageBuilder m(out, RTM_GETLINK, NLM_F_DUMP);
            m.header(ifinfomsg{});
            m.finish();
            break;
        }
        case Table::addresses: {
            MessageBuilder m(out, RTM_GETADDR, NLM_F_DUMP);
            m.header(ifaddrmsg{});  // AF_UNSPEC: both families
            m.finish();
            break;
        }
        case Table::ipv4_routes:
        case Table::ipv6_routes:
        case Table::label_routes: {
            MessageBuilder m(out, RTM_GETROUTE, NLM_F_DUMP);
            rtmsg h{};
            h.rtm_family = t == Table::ipv4_routes ? AF_INET : t == Table::ipv6_routes ? AF_INET6 : AF_MPLS;
            m.header(h);
            m.finish();
            break;
        }
        case Table::neighbours: {
            MessageBuilder m(out, RTM_GETNEIGH, NLM_F_DUMP);
            ndmsg h{};
            h.ndm_family = AF_INET;
            m.header(h);
            m.finish();
            break;
        }
        case Table::nexthops: {
            MessageBuilder m(out, RTM_GETNEXTHOP, NLM_F_DUMP);
            m.header(nhmsg{});
            m.finish();
            break;
        }
    }
    reinterpret_cast<nlmsghdr*>(out.data())->nlmsg_seq = seq;
    return out;
}

constexpr unsigned kGroups[] = {RTNLGRP_LINK,       RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE,
                                RTNLGRP_IPV6_ROUTE, RTNLGRP_NEIGH,       RTNLGRP_NEXTHOP,     RTNLGRP_MPLS_ROUTE};

}  // namespace

struct Monitor::Impl {
    Impl(boost::asio::io_context& io, std::unique_ptr<Channel> c)
        : channel(std::move(c)), descriptor(io, channel->fd()), retry(io), rx(256 * 1024) {}
    ~Impl() { descriptor.release(); }  // the channel closes its own fd

    std::unique_ptr<Channel> channel;
    boost::asio::posix::stream_descriptor descriptor;
    boost::asio::steady_timer retry;
    std::vector<uint8_t> rx;
    std::deque<Table> pending;   // tables still to dump in this round
    std::vector<Table> round;    // tables dumped in this round (for the SyncEvent)
    std::optional<Table> current;
    uint32_t seq = kFirstDumpSeq;
    bool interrupted = false;
    bool started = false;
    bool nexthops_unsupported = false;
    bool mpls_unsupported = false;
    bool retry_waiting = false;  // a failed dump waits for its retry timer
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

struct MonitorAccess {
    static void wait(Monitor& m);
    static void on_readable(Monitor& m);
    static void next_dump(Monitor& m, std::vector<MonitorEvent>& events);
    static void resync_all(Monitor& m);
    static void on_message(Monitor& m, std::span<const uint8_t> msg, std::vector<MonitorEvent>& events);
    static void dump_done(Monitor& m, std::vector<MonitorEvent>& events);
    static void dump_failed(Monitor& m, int code, const std::string& why, std::vector<MonitorEvent>& events);
    static void table_complete(Monitor& m, Table t, std::vector<MonitorEvent>& events);
};

Result<std::unique_ptr<Monitor>, std::string> Monitor::open(boost::asio::io_context& io, MonitorOptions options) {
    auto sock = NetlinkSocket::open(options.socket);
    if (!sock) return err("monitor: " + sock.error());
    for (unsigned g : kGroups)
        if (auto s = sock->join_group(g); !s) {
            // Kernels without nexthop objects have no RTNLGRP_NEXTHOP: then there is nothing to follow.
            if (g == RTNLGRP_NEXTHOP) log::warning("monitor: {} (no nexthop objects in this kernel?)", s.error());
            else if (g == RTNLGRP_MPLS_ROUTE) log::warning("monitor: {} (no MPLS in this kernel?)", s.error());
            else return err("monitor: " + s.error());
        }
    if (options.filter_own_route_updates) {
        auto program = own_route_update_filter(options.view.own_protocol);
        if (auto s = sock->attach_filter(program); !s) return err("monitor: " + s.error());
    }
    return over(io, std::make_unique<NetlinkSocket>(std::move(*sock)), options);
}

std::unique_ptr<Monitor> Monitor::over(boost::asio::io_context& io, std::unique_ptr<Channel> channel,
                                       MonitorOptions options) {
    return std::unique_ptr<Monitor>(new Monitor(io, std::move(channel), options));
}

Monitor::Monitor(boost::asio::io_context& io, std::unique_ptr<Channel> channel, MonitorOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(channel))), view_(options.view) {}

Monitor::~Monitor() { *impl_->alive = false; }

std::size_t Monitor::subscribe(Handler handler) {
    handlers_.emplace(next_handler_, std::move(handler));
    return next_handler_++;
}

void Monitor::unsubscribe(std::size_t id) { handlers_.erase(id); }

void Monitor::deliver(std::vector<MonitorEvent>& events) {
    for (const auto& e : events) {
        // Handlers may (un)subscribe while we iterate: walk ids, re-checking each.
        std::vector<std::size_t> ids;
        ids.reserve(handlers_.size());
        for (const auto& [id, h] : handlers_) ids.push_back(id);
        for (auto id : ids)
            if (auto it = handlers_.find(id); it != handlers_.end()) it->second(e);
    }
    events.clear();
}

void Monitor::start() {
    if (impl_->started) return;
    impl_->started = true;
    for (auto t : kAllTables) impl_->pending.push_back(t);
    std::vector<MonitorEvent> events;
    MonitorAccess::next_dump(*this, events);
    deliver(events);
    MonitorAccess::wait(*this);
}

void MonitorAccess::wait(Monitor& m) {
    auto alive = m.impl_->alive;
    m.impl_->descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                   [&m, alive](const boost::system::error_code& ec) {
                                       if (!*alive || ec) return;
                                       on_readable(m);
                                       if (*alive) wait(m);
                                   });
}

void MonitorAccess::next_dump(Monitor& m, std::vector<MonitorEvent>& events) {
    auto& s = *m.impl_;
    if (s.current || s.retry_waiting) return;
    if (s.pending.empty()) return;
    Table t = s.pending.front();
    s.pending.pop_front();
    s.current = t;
    s.interrupted = false;
    ++s.seq;
    m.view_.begin_resync(t);
    if (int e = s.channel->send(table_dump_request(t, s.seq)); e != 0) {
        dump_failed(m, e, std::string("sending the dump request: ") + std::strerror(e), events);
    }
}

void MonitorAccess::resync_all(Monitor& m) {
    auto& s = *m.impl_;
    // The table being dumped may have lost notifications for entries already read: dump it again.
    for (auto t : kAllTables)
        if (std::find(s.pending.begin(), s.pending.end(), t) == s.pending.end()) s.pending.push_back(t);
}

void MonitorAccess::on_readable(Monitor& m) {
    auto& s = *m.impl_;
    std::vector<MonitorEvent> events;
    auto alive = s.alive;
    // Bounded: the loop gets control back after a while even under a flood.
    for (int datagrams = 0; datagrams < 256; ++datagrams) {
        long n = s.channel->receive(s.rx);
        if (n == 0) break;
        if (n == -ENOBUFS) {
            // The kernel dropped notifications: which ones is unknown, so every table is re-read.
            ++m.stats_.overruns;
            log::warning("monitor: kernel notifications lost (socket buffer full); re-reading all tables");
            resync_all(m);
            continue;
        }
        if (n < 0) {
            log::error("monitor: receive: {}", std::strerror(int(-n)));
            break;
        }
        std::span<const uint8_t> buf(s.rx.data(), std::size_t(n));
        while (buf.size() >= NLMSG_HDRLEN) {
            nlmsghdr h;
            std::memcpy(&h, buf.data(), sizeof h);
            if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > buf.size()) {
                ++m.stats_.malformed;
                log::error("monitor: truncated netlink message ({} bytes of {})", buf.size(), h.nlmsg_len);
                break;
            }
            on_message(m, buf.first(h.nlmsg_len), events);
            buf = buf.subspan(std::min<std::size_t>(NLMSG_ALIGN(h.nlmsg_len), buf.size()));
        }
        m.deliver(events);
        if (!*alive) return;
    }
    if (!s.current) next_dump(m, events);
    m.deliver(events);
}

void MonitorAccess::on_message(Monitor& m, std::span<const uint8_t> msg, std::vector<MonitorEvent>& events) {
    auto& s = *m.impl_;
    nlmsghdr h;
    std::memcpy(&h, msg.data(), sizeof h);
    // Dump parts carry our number and NLM_F_MULTI; a dump's error is an NLMSG_ERROR with our number.
    // Notifications never are NLMSG_ERROR and never carry NLM_F_MULTI.
    bool dump_part = s.current && h.nlmsg_seq == s.seq &&
                     ((h.nlmsg_flags & NLM_F_MULTI) || h.nlmsg_type == NLMSG_ERROR || h.nlmsg_type == NLMSG_DONE);
    if (dump_part) {
        if (h.nlmsg_flags & NLM_F_DUMP_INTR) s.interrupted = true;
        if (h.nlmsg_type == NLMSG_DONE) return dump_done(m, events);
        if (h.nlmsg_type == NLMSG_ERROR) {
            ErrorReply e;
            if (!decode_error_reply(msg, e)) e.code = EPROTO;
            if (e.code == 0) return;  // an ack: not expected for a dump, harmless
            return dump_failed(m, e.code, std::strerror(e.code) + (e.extack.empty() ? "" : " (" + e.extack + ")"),
                               events);
        }
    } else if (h.nlmsg_type == NLMSG_ERROR || h.nlmsg_type == NLMSG_DONE) {
        return;  // a stale reply to an abandoned dump
    }
    ++m.stats_.messages;
    if (auto problem = m.view_.apply(msg, events)) {
        ++m.stats_.malformed;
        log::warning("monitor: skipped a kernel message: {}", *problem);
    }
}

void MonitorAccess::dump_done(Monitor& m, std::vector<MonitorEvent>& events) {
    auto& s = *m.impl_;
    Table t = *s.current;
    s.current.reset();
    if (s.interrupted) {
        // The table changed while being dumped: the copy may be inconsistent. Read it again.
        ++m.stats_.dump_retries;
        m.view_.abort_resync(t);
        s.pending.push_front(t);
        return next_dump(m, events);
    }
    m.view_.end_resync(t, events);
    table_complete(m, t, events);
}

void MonitorAccess::table_complete(Monitor& m, Table t, std::vector<MonitorEvent>& events) {
    auto& s = *m.impl_;
    if (std::find(s.round.begin(), s.round.end(), t) == s.round.end()) s.round.push_back(t);
    if (!s.pending.empty()) return next_dump(m, events);
    SyncEvent done{!m.synced_, std::move(s.round)};
    s.round.clear();
    if (!m.synced_) {
        m.synced_ = true;
        log::info("monitor: initial sync complete ({} links, {} IPv4 routes, {} IPv6 routes, {} nexthop objects)",
                  m.view_.links().size(), m.view_.ipv4_routes().size(), m.view_.ipv6_routes().size(),
                  m.view_.nexthops().size());
    } else {
        ++m.stats_.resyncs;
        log::notice("monitor: resync complete");
    }
    events.push_back(std::move(done));
}

void MonitorAccess::dump_failed(Monitor& m, int code, const std::string& why, std::vector<MonitorEvent>& events) {
    auto& s = *m.impl_;
    Table t = *s.current;
    s.current.reset();
    m.view_.abort_resync(t);
    if ((t == Table::nexthops || t == Table::label_routes) &&
        (code == EOPNOTSUPP || code == EINVAL || code == EAFNOSUPPORT)) {
        // No nexthop objects (or no MPLS) in this kernel: the table stays empty, which is the truth.
        bool& said = t == Table::nexthops ? s.nexthops_unsupported : s.mpls_unsupported;
        if (!said) log::warning("monitor: this kernel has no {} ({})", to_string(t), why);
        said = true;
        return table_complete(m, t, events);
    }
    log::error("monitor: dumping {} failed: {}; retrying in 1 s", to_string(t), why);
    s.pending.push_front(t);
    s.retry_waiting = true;
    auto alive = s.alive;
    s.retry.expires_after(std::chrono::seconds(1));
    s.retry.async_wait([&m, alive](const boost::system::error_code& ec) {
        if (!*alive || ec) return;
        m.impl_->retry_waiting = false;
        std::vector<MonitorEvent> later;
        next_dump(m, later);
        m.deliver(later);
    });
}

}  // namespace isthmus::netlink
