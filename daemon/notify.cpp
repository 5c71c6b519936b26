#include "notify.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace isthmus::daemon {

namespace {
void send(const std::string& state) { sd_notify(0, state.c_str()); }
}  // namespace

void notify_ready() { send("READY=1"); }
void notify_reloading() { send("RELOADING=1"); }
void notify_stopping() { send("STOPPING=1"); }
void notify_status(std::string_view status) { send("STATUS=" + std::string(status)); }

}  // namespace isthmus::daemon
