// Kernel preconditions, with a map standing in for /proc/sys and /sys.
#include <catch2/catch.hpp>

#include <map>

#include "netlink/preconditions.hpp"

using namespace isthmus::netlink;

namespace {

struct FakeSystem {
    std::map<std::string, std::string> files;
    std::optional<std::string> operator()(const std::string& path) const {
        auto it = files.find(path);
        if (it == files.end()) return std::nullopt;
        return it->second;
    }
};

FakeSystem good_pe() {
    return {{{"/proc/sys/net/mpls/platform_labels", "100000"},
             {"/sys/module/mpls_iptunnel", ""},
             {"/proc/sys/net/mpls/conf/core/input", "1"},
             {"/proc/sys/net/mpls/conf/eth0.100/input", "1"},
             {"/proc/sys/net/ipv6/conf/all/disable_ipv6", "0"},
             {"/proc/sys/net/ipv6/conf/core/disable_ipv6", "0"},
             {"/proc/sys/net/ipv6/conf/eth0.100/disable_ipv6", "0"},
             {"/proc/sys/net/ipv6/conf/all/forwarding", "1"},
             {"/proc/sys/net/ipv4/nexthop_compat_mode", "0"}}};
}

std::vector<std::string> texts(const std::vector<Finding>& f) {
    std::vector<std::string> out;
    for (auto& x : f) out.push_back(x.to_string());
    return out;
}

}  // namespace

TEST_CASE("a well prepared PE has no findings", "[netlink]") {
    CHECK(check_preconditions({{"core", "eth0.100"}, true, 1000}, good_pe()).empty());
}

TEST_CASE("each missing precondition names the sysctl that fixes it", "[netlink]") {
    auto sys = good_pe();
    sys.files["/proc/sys/net/mpls/conf/eth0.100/input"] = "0";
    sys.files["/proc/sys/net/ipv6/conf/core/disable_ipv6"] = "1";
    sys.files["/proc/sys/net/ipv6/conf/all/forwarding"] = "0";
    sys.files["/proc/sys/net/ipv4/nexthop_compat_mode"] = "1";
    sys.files["/proc/sys/net/mpls/platform_labels"] = "1000";
    auto f = texts(check_preconditions({{"core", "eth0.100"}, true, 1000}, sys));
    REQUIRE(f.size() == 5);
    CHECK(f[0] == "error: net.mpls.platform_labels is 1000: label 1000 would be refused; fix: sysctl -w net.mpls.platform_labels=1001");
    CHECK(f[1] == "error: IPv6 is disabled on core: the kernel refuses 6PE routes through core; fix: sysctl -w net.ipv6.conf.core.disable_ipv6=0");
    CHECK(f[2] == "error: net.mpls.conf.eth0/100.input is 0: labelled packets arriving on eth0.100 are dropped; fix: sysctl -w net.mpls.conf.eth0/100.input=1");
    CHECK(f[3] == "error: IPv6 forwarding is off: a PE routes IPv6 between CE and core; fix: sysctl -w net.ipv6.conf.all.forwarding=1");
    CHECK(f[4].starts_with("warning: net.ipv4.nexthop_compat_mode is 1"));
    CHECK(f[4].ends_with("; fix: sysctl -w net.ipv4.nexthop_compat_mode=0"));
}

TEST_CASE("a P router needs MPLS input but no IPv6", "[netlink]") {
    auto sys = good_pe();
    sys.files["/proc/sys/net/ipv6/conf/all/disable_ipv6"] = "1";
    sys.files["/proc/sys/net/ipv6/conf/all/forwarding"] = "0";
    CHECK(check_preconditions({{"core"}, false, 0}, sys).empty());
}

TEST_CASE("no MPLS at all, MPLS off, a missing interface", "[netlink]") {
    auto none = texts(check_preconditions({{"core"}, true, 0}, FakeSystem{}));
    REQUIRE(none.size() == 1);
    CHECK(none[0] == "error: the kernel has no MPLS forwarding (no net.mpls.platform_labels); fix: modprobe mpls_router mpls_iptunnel");

    auto sys = good_pe();
    sys.files["/proc/sys/net/mpls/platform_labels"] = "0";
    sys.files.erase("/sys/module/mpls_iptunnel");
    auto f = texts(check_preconditions({{"core", "nosuch"}, true, 0}, sys));
    REQUIRE(f.size() == 3);
    CHECK(f[0] == "warning: mpls_iptunnel does not look loaded: MPLS encap on routes and nexthops will fail; fix: modprobe mpls_iptunnel");
    CHECK(f[1] == "error: net.mpls.platform_labels is 0: the kernel forwards no labelled packets; fix: sysctl -w net.mpls.platform_labels=100000");
    CHECK(f[2] == "error: interface nosuch does not exist (no net.mpls.conf.nosuch)");
}
