#pragma once
// Following the kernel: links, addresses, IPv4 and IPv6 routes of every protocol, IPv4 neighbours
// and nexthop objects, on the daemon's io_context, delivered as typed events (monitor_types.hpp)
// with a queryable view (monitor_view.hpp) so consumers need no copy of their own.
//
//   auto mon = Monitor::open(io).value();
//   mon->subscribe([&](const MonitorEvent& e) { ... std::visit ... });
//   mon->start();   // dumps every table (events with Origin::dump), then SyncEvent{initial = true}
//   ...            // then notifications as they come
//   mon->view().lookup(Ipv4Address::from_uint(0x0a000001));   // the IGP route to 10.0.0.1
//
// No silent gaps: when the kernel drops notifications (ENOBUFS: the socket's buffer overflowed)
// every table is dumped again and only the differences with the view are delivered, followed by a
// SyncEvent naming the tables. A socket filter drops RTM_NEWROUTE notifications of our own
// protocol before they are queued: in nexthop compat mode 1 one replace of a nexthop object makes
// the kernel announce every route using it, which would overflow the socket on every core change
// (KERNEL.md section 4). Deletions of our routes still arrive (drift: an admin's `ip route del`).
// The kernel's silent deletions when a link goes down (nexthop objects on it and the routes using
// them, DECISIONS.md item 13) are derived from the link event and delivered as events too.
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/result.hpp"
#include "netlink/monitor_types.hpp"
#include "netlink/monitor_view.hpp"
#include "netlink/socket.hpp"

namespace isthmus::netlink {

struct MonitorOptions {
    ViewOptions view;
    // Notifications wait here while the loop is busy. SO_RCVBUFFORCE first (CAP_NET_ADMIN), as for
    // the request socket; an overflow costs a resync, not correctness.
    SocketOptions socket{.receive_buffer = 16 << 20, .send_buffer = 64 << 10};
    // Drop RTM_NEWROUTE notifications of view.own_protocol in the kernel (see above).
    bool filter_own_route_updates = true;
};

struct MonitorStats {
    uint64_t messages = 0;   // kernel messages applied (dump parts and notifications)
    uint64_t overruns = 0;   // ENOBUFS seen: notifications were lost
    uint64_t resyncs = 0;    // re-dumps completed after an overrun
    uint64_t malformed = 0;  // messages the view could not decode (logged, skipped)
    uint64_t dump_retries = 0;  // dumps interrupted by concurrent changes (NLM_F_DUMP_INTR) and redone
};

class Monitor {
public:
    using Handler = std::function<void(const MonitorEvent&)>;

    // A netlink socket of its own, joined to the groups for every table followed, filter attached.
    static Result<std::unique_ptr<Monitor>, std::string> open(boost::asio::io_context& io, MonitorOptions options = {});
    // Over any channel (unit tests: a fake kernel that answers dumps and sends notifications).
    static std::unique_ptr<Monitor> over(boost::asio::io_context& io, std::unique_ptr<Channel> channel,
                                         MonitorOptions options = {});
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    // Every handler gets every event, in order, on the io_context, after the view has changed (so
    // a handler may query the view). Subscribe before start() to see the initial dump. A handler
    // must not destroy the Monitor; it may subscribe/unsubscribe.
    std::size_t subscribe(Handler handler);
    void unsubscribe(std::size_t id);

    // Dumps all tables one after another (links first, so addresses and routes name known
    // interfaces), delivering their content as events, then SyncEvent{initial = true}; from then
    // on notifications. Call once.
    void start();
    bool synced() const { return synced_; }

    const MonitorView& view() const { return view_; }
    // Shortcuts into the view.
    const std::map<uint32_t, Link>& links() const { return view_.links(); }
    const Link* link(uint32_t ifindex) const { return view_.link(ifindex); }
    std::vector<Address> addresses_of(uint32_t ifindex) const { return view_.addresses_of(ifindex); }
    const Ipv4RouteInfo* lookup(Ipv4Address dst, uint32_t table = kMainTable) const { return view_.lookup(dst, table); }

    const MonitorStats& stats() const { return stats_; }

private:
    struct Impl;
    Monitor(boost::asio::io_context& io, std::unique_ptr<Channel> channel, MonitorOptions options);
    void deliver(std::vector<MonitorEvent>& events);

    std::unique_ptr<Impl> impl_;
    MonitorView view_;
    MonitorStats stats_;
    bool synced_ = false;
    std::map<std::size_t, Handler> handlers_;
    std::size_t next_handler_ = 1;
    friend struct MonitorAccess;
};

}  // namespace isthmus::netlink
