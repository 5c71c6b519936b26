#pragma once
// isthmusctl's command line: its own options, then the command words and --options for the daemon.
#include <string>
#include <vector>

#include "daemon/control/protocol.hpp"
#include "lib/result.hpp"

namespace isthmus::ctl {

inline constexpr const char* kDefaultSocket = "/run/isthmus/isthmusd.sock";

struct Args {
    std::string socket = kDefaultSocket;  // --socket, else $ISTHMUS_CONTROL_SOCKET, else the default
    bool json = false;                    // --json: print the daemon's data as JSON
    bool help = false;
    control::Request request;
};

// `env_socket` is $ISTHMUS_CONTROL_SOCKET (empty when unset).
Result<Args, std::string> parse_args(const std::vector<std::string>& argv, const std::string& env_socket);
std::string usage();

}  // namespace isthmus::ctl
