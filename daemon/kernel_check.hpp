#pragma once
// The kernel preconditions (netlink/preconditions.hpp) for this configuration, checked at start and
// when an LDP interface appears. With "kernel": {"set-sysctls": true} isthmusd fixes the sysctls
// itself first; what is left is logged, one line per finding naming the command that fixes it.
// isthmusd starts either way: sessions come up, and the kernel refuses what it lacks (logged again
// per refused request), so a control-plane-only run on a kernel without MPLS stays possible.
#include <string>
#include <vector>

#include "lib/config/types.hpp"
#include "netlink/preconditions.hpp"

namespace isthmus::daemon {

netlink::PreconditionInput precondition_input(const config::Config& cfg);

// Returns what is still wrong after the fixes (for "show fib").
std::vector<netlink::Finding> check_kernel(const config::Config& cfg, bool log_ok = true);

}  // namespace isthmus::daemon
