#pragma once
// systemd's notify protocol (READY/RELOADING/STOPPING/STATUS). A no-op when
// NOTIFY_SOCKET is not set, so the daemon runs the same outside systemd.
#include <string_view>

namespace isthmus::daemon {

void notify_ready();
void notify_reloading();
void notify_stopping();
void notify_status(std::string_view status);

}  // namespace isthmus::daemon
