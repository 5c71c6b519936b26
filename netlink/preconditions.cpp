#include "preconditions.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace isthmus::netlink {

std::string Finding::to_string() const {
    return std::string(severity == Severity::error ? "error: " : "warning: ") + problem + (fix.empty() ? "" : "; fix: " + fix);
}

std::optional<std::string> read_system_file(const std::string& path) {
    std::ifstream f(path);
    if (!f) return std::nullopt;
    std::ostringstream s;
    s << f.rdbuf();
    auto text = s.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

namespace {

// A sysctl key as sysctl(8) writes it: dots between levels, so a dot inside an interface name
// (eth0.100) is written as '/'; the /proc/sys path swaps the two back.
std::string sysctl_path(const std::string& key) {
    std::string p = "/proc/sys/";
    for (char c : key) p += c == '.' ? '/' : c == '/' ? '.' : c;
    return p;
}

std::string dev_key(std::string dev) {
    for (char& c : dev)
        if (c == '.') c = '/';
    return dev;
}

std::optional<long> sysctl_number(const FileReader& read, const std::string& key) {
    auto v = read(sysctl_path(key));
    if (!v) return std::nullopt;
    try {
        return std::stol(*v);
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace

std::vector<Finding> check_preconditions(const PreconditionInput& in, const FileReader& read) {
    using S = Finding::Severity;
    std::vector<Finding> out;
    auto platform = sysctl_number(read, "net.mpls.platform_labels");
    if (!platform) {
        out.push_back({S::error, "the kernel has no MPLS forwarding (no net.mpls.platform_labels)",
                       "modprobe mpls_router mpls_iptunnel"});
        return out;  // nothing else under net.mpls exists
    }
    if (!read("/sys/module/mpls_iptunnel"))
        out.push_back({S::warning, "mpls_iptunnel does not look loaded: MPLS encap on routes and nexthops will fail",
                       "modprobe mpls_iptunnel"});
    long wanted = std::max<long>(long(in.highest_label) + 1, 16 + 1);
    if (*platform == 0) {
        out.push_back({S::error, "net.mpls.platform_labels is 0: the kernel forwards no labelled packets",
                       "sysctl -w net.mpls.platform_labels=" + std::to_string(std::max<long>(wanted, 100000))});
    } else if (in.highest_label && *platform < wanted) {
        out.push_back({S::error,
                       "net.mpls.platform_labels is " + std::to_string(*platform) + ": label " +
                           std::to_string(in.highest_label) + " would be refused",
                       "sysctl -w net.mpls.platform_labels=" + std::to_string(wanted)});
    }
    for (auto& name : in.core_interfaces) {
        const auto& dev = name;
        auto k = dev_key(name);
        auto input = sysctl_number(read, "net.mpls.conf." + k + ".input");
        if (!input) {
            out.push_back({S::error, "interface " + dev + " does not exist (no net.mpls.conf." + k + ")", ""});
            continue;
        }
        if (*input != 1)
            out.push_back({S::error, "net.mpls.conf." + k + ".input is 0: labelled packets arriving on " + dev + " are dropped",
                           "sysctl -w net.mpls.conf." + k + ".input=1"});
        if (in.provider_edge) {
            // The kernel refuses the 6PE route otherwise: "IPv6 is disabled on nexthop device".
            for (auto scope : {std::string("all"), k})
                if (sysctl_number(read, "net.ipv6.conf." + scope + ".disable_ipv6").value_or(0) != 0)
                    out.push_back({S::error, "IPv6 is disabled on " + (scope == "all" ? "all interfaces" : dev) +
                                                 ": the kernel refuses 6PE routes through " + dev,
                                   "sysctl -w net.ipv6.conf." + scope + ".disable_ipv6=0"});
        }
    }
    if (in.provider_edge && sysctl_number(read, "net.ipv6.conf.all.forwarding").value_or(0) != 1)
        out.push_back({S::error, "IPv6 forwarding is off: a PE routes IPv6 between CE and core",
                       "sysctl -w net.ipv6.conf.all.forwarding=1"});
    auto compat = sysctl_number(read, "net.ipv4.nexthop_compat_mode");
    if (compat && *compat != 0)
        out.push_back({S::warning,
                       "net.ipv4.nexthop_compat_mode is 1: replacing a nexthop object costs one notification per route "
                       "using it (slow, floods route listeners); 0 is what a router running isthmusd wants, but every "
                       "program in this namespace must then understand nexthop ids (RTA_NH_ID)",
                       "sysctl -w net.ipv4.nexthop_compat_mode=0"});
    return out;
}

Status<std::string> write_sysctl(const std::string& key, const std::string& value) {
    std::ofstream f(sysctl_path(key));
    if (f) f << value << '\n';
    if (f) f.flush();
    if (!f) return err("setting " + key + "=" + value + ": " + std::strerror(errno));
    return ok_unit;
}

std::optional<Status<std::string>> apply_fix(const Finding& f) {
    const std::string prefix = "sysctl -w ";
    if (f.fix.rfind(prefix, 0) != 0) return std::nullopt;
    auto assignment = f.fix.substr(prefix.size());
    auto eq = assignment.find('=');
    if (eq == std::string::npos) return std::nullopt;
    return write_sysctl(assignment.substr(0, eq), assignment.substr(eq + 1));
}

}  // namespace isthmus::netlink
