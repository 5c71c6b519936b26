#include "daemon/kernel_check.hpp"

#include <algorithm>

#include "lib/log.hpp"

namespace isthmus::daemon {

netlink::PreconditionInput precondition_input(const config::Config& cfg) {
    netlink::PreconditionInput in;
    if (cfg.ldp)
        for (const auto& i : cfg.ldp->interfaces) in.core_interfaces.push_back(i.name);
    // A PE sends 6PE routes out of its core links; a P router (LDP only) may run without IPv6.
    in.provider_edge = false;
    if (cfg.bgp)
        for (const auto& n : cfg.bgp->neighbors)
            if (std::count(n.families.begin(), n.families.end(), config::Family::ipv6_labeled_unicast))
                in.provider_edge = true;
    in.highest_label = std::max({cfg.labels.ldp.last.value(), cfg.bgp ? cfg.labels.bgp.last.value() : 0u,
                                 cfg.kernel.forwarding == config::ForwardingMode::hierarchical
                                     ? cfg.labels.recirculation.last.value()
                                     : 0u});
    return in;
}

std::vector<netlink::Finding> check_kernel(const config::Config& cfg, bool log_ok) {
    auto in = precondition_input(cfg);
    auto findings = netlink::check_preconditions(in);
    if (cfg.kernel.set_sysctls) {
        bool changed = false;
        for (const auto& f : findings) {
            // The compat mode is only changed when the config names one (below).
            if (f.fix.find("nexthop_compat_mode") != std::string::npos) continue;
            if (auto r = netlink::apply_fix(f)) {
                if (*r) {
                    log::notice("set-sysctls: {}", f.fix.substr(f.fix.find(' ', 7) + 1));
                    changed = true;
                } else {
                    log::error("set-sysctls: {}", r->error());
                }
            }
        }
        if (auto mode = cfg.kernel.nexthop_compat_mode) {
            auto now = netlink::read_system_file("/proc/sys/net/ipv4/nexthop_compat_mode");
            if (now && *now != std::to_string(*mode)) {
                if (auto r = netlink::write_sysctl("net.ipv4.nexthop_compat_mode", std::to_string(*mode)); r) {
                    log::notice("set-sysctls: {}={}", "net.ipv4.nexthop_compat_mode", *mode);
                    changed = true;
                } else {
                    log::error("set-sysctls: {}", r.error());
                }
            }
        }
        if (changed) findings = netlink::check_preconditions(in);
    }
    for (const auto& f : findings) {
        // A configured compat mode of 1 is the administrator's choice: no warning for it.
        if (cfg.kernel.nexthop_compat_mode == 1 && f.fix.find("nexthop_compat_mode") != std::string::npos) continue;
        if (f.severity == netlink::Finding::Severity::error) log::error("{}", f.to_string());
        else log::warning("{}", f.to_string());
    }
    if (findings.empty() && log_ok) log::info("kernel preconditions met");
    return findings;
}

}  // namespace isthmus::daemon
