// "kernel": how (and whether) isthmusd programs the kernel.
#include "sections.hpp"

namespace isthmus::config::detail {

void parse_kernel(const Node& n, Kernel& out) {
    auto o = ObjectNode::open(n, {"install", "forwarding", "set-sysctls", "nexthop-compat-mode"});
    if (!o) return;
    o->read("install", out.install);
    o->read_enum("forwarding", out.forwarding, kForwardingModeNames);
    o->read("set-sysctls", out.set_sysctls);
    o->read_int("nexthop-compat-mode", out.nexthop_compat_mode, 0, 1);
}

}  // namespace isthmus::config::detail
