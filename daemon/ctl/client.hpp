#pragma once
// One request over the control socket, blocking: isthmusctl does nothing else meanwhile.
#include <string>

#include "daemon/control/protocol.hpp"
#include "lib/result.hpp"

namespace isthmus::ctl {

struct ClientError {
    bool connect_failed = false;  // no daemon at the path (exit 3) rather than a broken exchange
    std::string message;
};

Result<control::Response, ClientError> call(const std::string& socket_path, const control::Request& request);

}  // namespace isthmus::ctl
