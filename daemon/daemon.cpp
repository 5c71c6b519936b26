#include "daemon.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>

#include "daemon/notify.hpp"
#include "lib/log.hpp"

namespace isthmus::daemon {

Daemon::Daemon(std::string config_path, config::Config initial)
    : signals_(io_, SIGTERM, SIGINT, SIGHUP),
      config_path_(std::move(config_path)),
      config_(std::make_shared<const config::Config>(std::move(initial))),
      labels_(config_->labels) {}

int Daemon::run() {
    add_builtin_commands();
    if (auto opened = control_.open(config_->control_socket); !opened) {
        log::critical("{}", opened.error());
        return 1;
    }
    if (auto started = start_protocols(); !started) {
        log::critical("{}", started.error());
        return 1;
    }
    wait_for_signal();
    log::notice("isthmusd {} started with {}", ISTHMUS_VERSION, config_path_);
    notify_ready();
    if (auto interval = watchdog_interval()) {
        watchdog_ = true;
        tick_interval_ = std::min(tick_interval_, std::chrono::duration_cast<std::chrono::milliseconds>(*interval / 2));
        log::info("systemd watchdog every {} ms", tick_interval_.count());
    }
    tick();
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
        (void)reload();
        wait_for_signal();
        return;
    }
    log::notice("received {}, stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
    stop();
}

Status<std::string> Daemon::start_protocols() {
    if (!config_->ldp && !config_->bgp) return ok_unit;
    auto f = Forwarder::open(io_, *config_, labels_);
    if (!f) return err(f.error());
    forwarder_ = std::move(f).value();
    if (config_->ldp) {
        using config::GracefulRestartMode;
        bool restarting = config_->ldp->graceful_restart.mode == GracefulRestartMode::full;
        bool bgp_holds = config_->bgp && config_->bgp->graceful_restart.mode == GracefulRestartMode::full;
        auto preserved = restarting ? forwarder_->previous_lfib() : std::vector<ldp::label::LfibEntry>{};
        // With BGP graceful restart too, the hold's own timer ends the sweep (End-of-RIB tracking
        // of the restarting speaker is not in yet).
        auto recovered = [this, bgp_holds] {
            log::info("ldp: recovery complete");
            if (!bgp_holds) forwarder_->release_sweep();
        };
        auto ldp = LdpService::start(io_, *config_, labels_, forwarder_->monitor(), forwarder_->fib(),
                                     std::move(preserved), recovered);
        if (!ldp) return err(ldp.error());
        ldp_ = std::move(ldp).value();
        ldp_->on_lsp_change([this](const auto& changes) { forwarder_->lsp_changed(changes); });
        ldp_->add_commands(registry_);
    }
    if (config_->bgp) {
        BgpOutputs out;
        out.best_changed = [this](const auto& set) { forwarder_->best_changed(set); };
        out.egress_label_added = [this](const auto& e) { forwarder_->egress_label_added(e); };
        out.egress_label_removed = [this](MplsLabel l) { forwarder_->egress_label_removed(l); };
        out.forwarding_of = [this](const Ipv6Prefix& p) { return forwarding_of(p); };
        auto bgp = BgpService::start(io_, *config_, labels_, forwarder_->next_hops(), std::move(out));
        if (!bgp) return err(bgp.error());
        bgp_ = std::move(bgp).value();
        bgp_->add_commands(registry_);
        forwarder_->on_next_hops_changed([this] { bgp_->next_hops_changed(); });
    }
    forwarder_->add_commands(registry_);
    forwarder_->start();
    return ok_unit;
}

control::Json Daemon::forwarding_of(const Ipv6Prefix& p) const {
    auto st = forwarder_->resolver().prefix(p);
    if (!st) return control::Json{{"installed", false}};
    control::Json paths = control::Json::array();
    for (const auto& path : st->paths) paths.push_back(netlink::to_string(path.forwarding));
    return control::Json{{"installed", st->installed}, {"paths", paths}, {"unresolved", st->unresolved}};
}

void Daemon::stop() {
    notify_stopping();
    tick_timer_.cancel();
    control_.close();
    using config::GracefulRestartMode;
    // Graceful restart configured as "full": forwarding outlives the process (DECISIONS 6).
    bool keep_ldp = config_->ldp && config_->ldp->graceful_restart.mode == GracefulRestartMode::full;
    bool keep_bgp = config_->bgp && config_->bgp->graceful_restart.mode == GracefulRestartMode::full;
    if (ldp_) ldp_->stop(keep_ldp);  // Shutdown Notifications and LFIB removal, or neither
    // Cease/Administrative Shutdown to every BGP peer; or, restarting gracefully, no NOTIFICATION:
    // the sessions just close with the process, so the peers' helpers keep our routes (RFC 4724).
    if (bgp_) keep_bgp ? bgp_->abandon() : bgp_->stop();
    auto end = [this] {
        signals_.cancel();
        io_.stop();
    };
    // Our routes leave the kernel with us, unless graceful restart keeps them for the next run.
    if (forwarder_) forwarder_->withdraw_all(end, std::chrono::seconds(3), keep_bgp);
    else end();
}

Result<std::string, std::vector<std::string>> Daemon::reload() {
    notify_reloading();
    log::info("reload requested, reading {}", config_path_);
    auto next = config::load_file(config_path_);
    if (!next) {
        std::vector<std::string> errors;
        log::error("reload rejected, the running configuration stays: {} error(s) in {}", next.error().size(),
                   config_path_);
        for (const auto& e : next.error()) {
            errors.push_back(e.to_string());
            log::error("  {}", errors.back());
        }
        notify_ready();
        return err(std::move(errors));
    }
    auto adopted = std::make_shared<const config::Config>(std::move(next).value());
    if (auto applied = apply(*config_, *adopted); !applied) {
        log::error("reload rejected, the running configuration stays: {}", applied.error());
        notify_ready();
        return err(std::vector<std::string>{applied.error()});
    }
    config_ = std::move(adopted);
    log::set_level(config_->log_level);
    log::notice("reload: new configuration validated and adopted (log level {})", log::level_name(config_->log_level));
    notify_ready();
    return std::string("configuration reloaded from " + config_path_);
}

Status<std::string> Daemon::apply(const config::Config& was, const config::Config& now) {
    if (bool(was.bgp) != bool(now.bgp) || bool(was.ldp) != bool(now.ldp))
        return err(std::string("adding or removing the bgp or ldp section needs a restart"));
    // Checked first: a refused reload changes nothing.
    if (bgp_)
        if (auto r = bgp_->reconfigure(was, now); !r) return r;
    if (was.ldp && !(*was.ldp == *now.ldp)) log::warning("reload: ldp changes take effect at the next restart");
    if (!(was.kernel == now.kernel) || !(was.labels == now.labels))
        log::warning("reload: kernel and label-range changes take effect at the next restart");
    if (was.control_socket != now.control_socket)
        log::warning("reload: a new control-socket path takes effect at the next restart");
    return ok_unit;
}

void Daemon::tick() {
    if (watchdog_) notify_watchdog();
    if (auto line = status_line(); line != last_status_) {
        notify_status(line);
        last_status_ = std::move(line);
    }
    tick_timer_.expires_after(tick_interval_);
    tick_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) tick();
    });
}

std::string Daemon::status_line() const {
    // What `systemctl status` shows: how many sessions are up out of how many exist.
    std::string line = "running";
    if (bgp_) {
        const auto& sessions = bgp_->speaker().sessions();
        auto up = std::count_if(sessions.begin(), sessions.end(),
                                [](const auto& s) { return s->state() == bgp::fsm::State::established; });
        line += fmt::format(", BGP {}/{} established", up, sessions.size());
    }
    if (ldp_) {
        const auto& sessions = ldp_->instance().sessions();
        auto up = std::count_if(sessions.begin(), sessions.end(), [](const auto& kv) {
            return kv.second->state() == ldp::session::State::operational;
        });
        line += fmt::format(", LDP {}/{} operational", up, sessions.size());
    }
    if (!bgp_ && !ldp_) line += ", no protocols configured";
    return line;
}

void Daemon::add_builtin_commands() {
    using control::Call;
    using control::Json;
    auto add = [this](control::Command c) {
        if (auto r = registry_.add(std::move(c)); !r) log::error("control: {}", r.error());
    };
    add({"help", "", "list the commands", 0, 0, {}, [this](const Call&) -> Result<Json, std::string> {
             return registry_.help();
         }});
    add({"show version", "", "version, router id, uptime and config file", 0, 0, {},
         [this](const Call&) -> Result<Json, std::string> {
             Json j;
             j["version"] = ISTHMUS_VERSION;
             j["router-id"] = config_->router_id.to_string();
             j["pid"] = ::getpid();
             j["uptime-seconds"] = std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::steady_clock::now() - started_).count();
             j["config-file"] = config_path_;
             return j;
         }});
    add({"reload", "", "validate the config file again and apply it (the running one stays if it is invalid)", 0, 0,
         {}, [this](const Call&) -> Result<Json, std::string> {
             auto r = reload();
             if (r) return Json{{"result", *r}};
             std::string text = "reload rejected, the running configuration stays:";
             for (const auto& e : r.error()) text += "\n  " + e;
             return err(text);
         }});
}

}  // namespace isthmus::daemon
