#pragma once
// systemd's notify protocol (READY/RELOADING/STOPPING/STATUS/WATCHDOG). A no-op when
// NOTIFY_SOCKET is not set, so the daemon runs the same outside systemd.
#include <chrono>
#include <optional>
#include <string_view>

namespace isthmus::daemon {

void notify_ready();
void notify_reloading();
void notify_stopping();
void notify_status(std::string_view status);
void notify_watchdog();

// The unit's WatchdogSec as systemd passed it (WATCHDOG_USEC, for this pid), or nullopt.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace isthmus::daemon
