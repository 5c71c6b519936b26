#pragma once
// LDP's fec-policy (docs/config.md): which IPv4 routes of the kernel's table become FECs. A named
// policy evaluated on the prefix alone: a term matches when its `prefixes` and `prefix-list` (those
// present) match; a term with conditions a kernel route cannot meet (communities, AS path,
// neighbors, protocols) never matches. First matching accept/reject decides, then the default.
#include <functional>
#include <string>
#include <vector>

#include "lib/config/types.hpp"

namespace isthmus::daemon {

// Empty function when the config names no fec-policy (ldp/ then takes the /32 host routes).
// `warnings` gets one line per term that can never match.
std::function<bool(const Ipv4Prefix&)> fec_filter(const config::Config& cfg, std::vector<std::string>& warnings);

}  // namespace isthmus::daemon
