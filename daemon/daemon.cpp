#include "daemon.hpp"

#include <csignal>

#include "daemon/notify.hpp"
#include "lib/log.hpp"

namespace isthmus::daemon {

Daemon::Daemon(std::string config_path, config::Config initial)
    : signals_(io_, SIGTERM, SIGINT, SIGHUP),
      config_path_(std::move(config_path)),
      config_(std::make_shared<const config::Config>(std::move(initial))) {}

int Daemon::run() {
    wait_for_signal();
    log::notice("isthmusd {} started with {}", ISTHMUS_VERSION, config_path_);
    notify_ready();
    notify_status("running");
    io_.run();
    log::notice("isthmusd stopped");
    return 0;
}

void Daemon::wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
        if (ec) return;  // the set was cancelled: we are stopping
        on_signal(signo);
    });
}

void Daemon::on_signal(int signo) {
    if (signo == SIGHUP) {
        reload();
        wait_for_signal();
        return;
    }
    log::notice("received {}, stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
    notify_stopping();
    signals_.cancel();
    io_.stop();
}

void Daemon::reload() {
    notify_reloading();
    log::info("SIGHUP: reload requested, reading {}", config_path_);
    auto next = config::load_file(config_path_);
    if (!next) {
        log::error("reload rejected, the running configuration stays: {} error(s) in {}", next.error().size(),
                   config_path_);
        for (const auto& e : next.error()) log::error("  {}", e.to_string());
    } else {
        config_ = std::make_shared<const config::Config>(std::move(next).value());
        log::set_level(config_->log_level);
        // Protocol sessions do not exist yet; later issues diff and apply the new snapshot here.
        log::notice("reload: new configuration validated and adopted (log level {})",
                    log::level_name(config_->log_level));
    }
    notify_ready();
}

}  // namespace isthmus::daemon
