#pragma once
// The running daemon: one io_context owns all routing state (STYLE.md 7).
// Protocols and the kernel layer are wired in here as their issues land.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <string>

#include "lib/config/config.hpp"

namespace isthmus::daemon {

class Daemon {
public:
    Daemon(std::string config_path, config::Config initial);
    // Runs until SIGTERM/SIGINT; returns the process exit status.
    int run();

    const config::Config& config() const { return *config_; }

private:
    void wait_for_signal();
    void on_signal(int signo);
    void reload();

    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
    std::string config_path_;
    // Whole immutable snapshots: a reload swaps the pointer or keeps the old one.
    std::shared_ptr<const config::Config> config_;
};

}  // namespace isthmus::daemon
