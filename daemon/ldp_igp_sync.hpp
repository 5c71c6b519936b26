#pragma once
// LDP-IGP synchronisation (RFC 5443) without running the IGP: isthmusd decides per LDP interface
// whether LDP there is usable and tells the IGP through a hook (docs/ldp-igp-sync.md), which raises
// or restores the link's cost in BIRD or FRR. An interface is synced when a link adjacency on it
// belongs to a session OPERATIONAL for `delay` (downstream unsolicited has no "all labels sent"
// marker; the delay stands for it). Evaluated on a short timer: cheap, and it catches every way a
// session or adjacency comes and goes.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "daemon/control/protocol.hpp"
#include "ldp/instance/instance.hpp"
#include "netlink/monitor.hpp"

namespace isthmus::daemon {

class LdpIgpSync {
public:
    LdpIgpSync(boost::asio::io_context& io, std::string hook, std::chrono::seconds delay,
               std::vector<std::string> interfaces, const ldp::Instance& ldp, const netlink::Monitor& monitor);
    ~LdpIgpSync();
    // Every interface starts unsynced: the hook runs once for each, then on every change.
    void start();
    void stop();
    // {"interface": {"synced", "since-seconds", "hook-runs", "last-exit"}}
    control::Json state() const;

private:
    struct Port {
        bool synced = false;
        std::optional<bool> reported;  // what the hook was last told
        std::chrono::steady_clock::time_point since{};
        pid_t running = 0;             // a hook still running for this interface
        uint64_t runs = 0;
        int last_exit = -1;
    };
    void tick();
    bool usable(const std::string& name, std::chrono::steady_clock::time_point now) const;
    void report(const std::string& name, Port& p);
    void reap(const std::string& name, Port& p);

    boost::asio::io_context& io_;
    std::string hook_;
    std::chrono::seconds delay_;
    const ldp::Instance& ldp_;
    const netlink::Monitor& monitor_;
    std::map<std::string, Port> ports_;
    std::map<ldp::LdpId, std::chrono::steady_clock::time_point> operational_since_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

}  // namespace isthmus::daemon
