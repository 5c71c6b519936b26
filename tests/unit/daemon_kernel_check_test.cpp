// What the start-up kernel check asks of the kernel for a given configuration.
#include <catch2/catch.hpp>

#include "daemon/kernel_check.hpp"
#include "lib/config/config.hpp"

using namespace isthmus;

namespace {

config::Config load(const std::string& text) {
    auto c = config::parse(text);
    REQUIRE(c);
    return *c;
}

}  // namespace

TEST_CASE("kernel check: a P router (LDP only) needs MPLS input on its LDP interfaces, not IPv6") {
    auto cfg = load(R"({"version": 1, "router-id": "192.0.2.3",
        "ldp": {"interfaces": [{"name": "to-pe1"}, {"name": "to-pe2"}]}})");
    auto in = daemon::precondition_input(cfg);
    CHECK(in.core_interfaces == std::vector<std::string>{"to-pe1", "to-pe2"});
    CHECK_FALSE(in.provider_edge);
    CHECK(in.highest_label == 49999);  // the LDP range's end; no BGP labels without BGP
}

TEST_CASE("kernel check: a PE with a 6PE neighbor needs IPv6 on the core and room for its BGP labels") {
    auto cfg = load(R"({"version": 1, "router-id": "192.0.2.1",
        "ldp": {"interfaces": [{"name": "core"}]},
        "bgp": {"local-as": 65000, "neighbors": [
            {"address": "192.0.2.2", "remote-as": 65000, "families": ["ipv6-labeled-unicast"]}]}})");
    auto in = daemon::precondition_input(cfg);
    CHECK(in.provider_edge);
    CHECK(in.highest_label == 89999);

    auto findings = netlink::check_preconditions(in, [](const std::string& path) -> std::optional<std::string> {
        if (path == "/proc/sys/net/mpls/platform_labels") return "50000";
        if (path == "/proc/sys/net/mpls/conf/core/input") return "1";
        if (path == "/proc/sys/net/ipv6/conf/all/forwarding") return "1";
        if (path == "/sys/module/mpls_iptunnel") return "";
        return std::nullopt;
    });
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].fix == "sysctl -w net.mpls.platform_labels=90000");
}

TEST_CASE("kernel check: a CE-only BGP speaker is no PE") {
    auto cfg = load(R"({"version": 1, "router-id": "192.0.2.9",
        "bgp": {"local-as": 65000, "neighbors": [
            {"address": "2001:db8::2", "remote-as": 65101, "families": ["ipv6-unicast"]}]}})");
    auto in = daemon::precondition_input(cfg);
    CHECK_FALSE(in.provider_edge);
    CHECK(in.core_interfaces.empty());
}

TEST_CASE("kernel check: only sysctl fixes are applied, module loads are not") {
    netlink::Finding modprobe{netlink::Finding::Severity::error, "no MPLS", "modprobe mpls_router"};
    CHECK_FALSE(netlink::apply_fix(modprobe).has_value());
    netlink::Finding none{netlink::Finding::Severity::error, "interface x does not exist", ""};
    CHECK_FALSE(netlink::apply_fix(none).has_value());
}
