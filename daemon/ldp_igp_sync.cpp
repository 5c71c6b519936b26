#include "daemon/ldp_igp_sync.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

#include "lib/log.hpp"

extern char** environ;

namespace isthmus::daemon {

using Clock = std::chrono::steady_clock;

LdpIgpSync::LdpIgpSync(boost::asio::io_context& io, std::string hook, std::chrono::seconds delay,
                       std::vector<std::string> interfaces, const ldp::Instance& ldp, const netlink::Monitor& monitor)
    : io_(io), hook_(std::move(hook)), delay_(delay), ldp_(ldp), monitor_(monitor), timer_(io) {
    for (auto& i : interfaces) ports_[i].since = Clock::now();
}

LdpIgpSync::~LdpIgpSync() { stop(); }

void LdpIgpSync::start() {
    for (auto& [name, p] : ports_) report(name, p);
    tick();
}

void LdpIgpSync::stop() {
    stopped_ = true;
    timer_.cancel();
}

bool LdpIgpSync::usable(const std::string& name, Clock::time_point now) const {
    const auto* link = monitor_.view().link(std::string_view(name));
    if (!link || !link->oper_up) return false;
    for (const auto& [key, adj] : ldp_.adjacencies().adjacencies()) {
        if (key.source.targeted || key.source.ifindex != link->ifindex) continue;
        auto since = operational_since_.find(key.lsr);
        if (since != operational_since_.end() && now - since->second >= delay_) return true;
    }
    return false;
}

void LdpIgpSync::tick() {
    if (stopped_) return;
    auto now = Clock::now();
    // When each session became OPERATIONAL, as seen from here (within one tick).
    std::map<ldp::LdpId, Clock::time_point> since;
    for (const auto& [lsr, s] : ldp_.sessions()) {
        if (s->state() != ldp::session::State::operational) continue;
        auto it = operational_since_.find(lsr);
        since[lsr] = it == operational_since_.end() ? now : it->second;
    }
    operational_since_ = std::move(since);
    for (auto& [name, p] : ports_) {
        reap(name, p);
        bool now_synced = usable(name, now);
        if (now_synced != p.synced) {
            log::notice("ldp: igp-sync: {} {}", name, now_synced ? "synced (LDP usable)" : "unsynced (LDP not usable)");
            p.synced = now_synced;
            p.since = now;
        }
        report(name, p);
    }
    timer_.expires_after(std::chrono::milliseconds(250));
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) tick();
    });
}

void LdpIgpSync::reap(const std::string& name, Port& p) {
    if (!p.running) return;
    int status = 0;
    pid_t r = ::waitpid(p.running, &status, WNOHANG);
    if (r == 0) return;  // still running
    p.running = 0;
    p.last_exit = r < 0 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (p.last_exit != 0)
        log::warning("ldp: igp-sync hook {} {} exited with status {}", hook_, name, p.last_exit);
}

// One hook at a time per interface; what changed meanwhile is reported when it has finished.
void LdpIgpSync::report(const std::string& name, Port& p) {
    if (p.running || (p.reported && *p.reported == p.synced)) return;
    std::string state = p.synced ? "synced" : "unsynced";
    std::vector<char*> argv{hook_.data(), const_cast<char*>(name.c_str()), state.data(), nullptr};
    pid_t pid = 0;
    if (int e = ::posix_spawn(&pid, hook_.c_str(), nullptr, nullptr, argv.data(), environ); e != 0) {
        log::error("ldp: igp-sync hook {}: {}", hook_, std::strerror(e));
        p.reported = p.synced;  // not retried on every tick; the next change tries again
        return;
    }
    p.running = pid;
    p.reported = p.synced;
    ++p.runs;
}

control::Json LdpIgpSync::state() const {
    control::Json j = control::Json::object();
    auto now = Clock::now();
    for (const auto& [name, p] : ports_)
        j[name] = {{"synced", p.synced},
                   {"since-seconds", std::chrono::duration_cast<std::chrono::seconds>(now - p.since).count()},
                   {"hook-runs", p.runs},
                   {"last-exit", p.last_exit}};
    return j;
}

}  // namespace isthmus::daemon
