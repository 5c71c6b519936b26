#include "notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <string>

namespace isthmus::daemon {

namespace {
void send(const std::string& state) { sd_notify(0, state.c_str()); }
}  // namespace

void notify_ready() { send("READY=1"); }
void notify_reloading() { send("RELOADING=1"); }
void notify_stopping() { send("STOPPING=1"); }
void notify_status(std::string_view status) { send("STATUS=" + std::string(status)); }
void notify_watchdog() { send("WATCHDOG=1"); }

std::optional<std::chrono::microseconds> watchdog_interval() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::microseconds(usec);
}

}  // namespace isthmus::daemon
