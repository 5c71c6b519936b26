#pragma once
// The running daemon: one io_context owns all routing state (STYLE.md 7).
// Protocols and the kernel layer are wired in here as their issues land.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "daemon/control/registry.hpp"
#include "daemon/control/server.hpp"
#include "daemon/bgp_service.hpp"
#include "daemon/forwarder.hpp"
#include "daemon/ldp_service.hpp"
#include "lib/config/config.hpp"
#include "lib/label_allocator.hpp"

namespace isthmus::daemon {

class Daemon {
public:
    Daemon(std::string config_path, config::Config initial);
    // Runs until SIGTERM/SIGINT; returns the process exit status.
    int run();

    const config::Config& config() const { return *config_; }
    // Services add their control commands here (docs/control.md).
    control::Registry& control() { return registry_; }

private:
    void wait_for_signal();
    void on_signal(int signo);
    // Validates and adopts the file's new contents; the errors when it is refused (the old config stays).
    Result<std::string, std::vector<std::string>> reload();
    void add_builtin_commands();
    // The kernel view and forwarding shared by LDP and BGP, then the protocols on top of it.
    Status<std::string> start_protocols();
    // What a reload changes in the running services; an error refuses the reload (nothing changed).
    Status<std::string> apply(const config::Config& was, const config::Config& now);
    control::Json forwarding_of(const Ipv6Prefix& p) const;
    void stop();
    // WATCHDOG=1 at half the unit's WatchdogSec, from the loop itself (a stuck loop misses it), and
    // STATUS= whenever the summary of the sessions changes.
    void tick();
    std::string status_line() const;

    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
    std::string config_path_;
    // Whole immutable snapshots: a reload swaps the pointer or keeps the old one.
    std::shared_ptr<const config::Config> config_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    control::Registry registry_;
    // The one label allocator (DECISIONS 1): LDP and BGP draw from their sub-ranges of it. Declared
    // before the services, so it outlives them.
    LabelAllocator labels_;
    boost::asio::steady_timer tick_timer_{io_};
    std::chrono::milliseconds tick_interval_{2000};
    bool watchdog_ = false;
    std::string last_status_;
    control::Server control_{io_, registry_};
    std::unique_ptr<Forwarder> forwarder_;  // while any protocol runs; outlives them
    std::unique_ptr<LdpService> ldp_;  // while the config has an "ldp" section
    std::unique_ptr<BgpService> bgp_;  // while the config has a "bgp" section
};

}  // namespace isthmus::daemon
