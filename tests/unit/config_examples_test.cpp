// Valid configs: the shipped examples, the smallest P router, the defaults a
// config leaves out, and what summary() says about them.
#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"

using namespace config_test;
namespace cfg = isthmus::config;

namespace {

const std::string kExamples = std::string(ISTHMUS_SOURCE_DIR) + "/docs/examples/";

cfg::Config load_ok(const std::string& path) {
    auto r = cfg::load_file(path);
    if (!r)
        for (const auto& e : r.error()) FAIL(e.to_string());
    return *r;
}

cfg::Config parse_ok(std::string_view text) {
    auto r = cfg::parse(text);
    if (!r)
        for (const auto& e : r.error()) FAIL(e.to_string());
    return *r;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("config: every shipped example parses", "[config][examples]") {
    for (const char* name : {"pe1.json", "pe2.json", "p.json", "rr.json"}) {
        INFO(name);
        CHECK(cfg::load_file(kExamples + name).ok());
    }
}

TEST_CASE("config: the PE example", "[config][examples]") {
    auto c = load_ok(kExamples + "pe1.json");
    CHECK(c.router_id.to_string() == "192.0.2.1");
    CHECK(c.log_level == isthmus::log::Level::info);
    CHECK(c.control_socket == "/run/isthmus/isthmusd.sock");
    REQUIRE(c.bgp);
    CHECK(c.bgp->local_as == isthmus::Asn(65000));
    CHECK(c.bgp->label_mode == cfg::LabelMode::explicit_null);
    REQUIRE(c.bgp->neighbors.size() == 2);
    const auto& pe2 = c.bgp->neighbors[0];
    CHECK(pe2.address.to_string() == "192.0.2.2");
    CHECK(c.bgp->is_ibgp(pe2));
    CHECK(pe2.families == std::vector{cfg::Family::ipv6_labeled_unicast});
    CHECK(pe2.timers.hold_time == cfg::Seconds(90));
    CHECK(pe2.timers.keepalive_time == cfg::Seconds(30));
    CHECK(pe2.timers.connect_retry_time == cfg::Seconds(30));
    const auto& ce1 = c.bgp->neighbors[1];
    CHECK_FALSE(c.bgp->is_ibgp(ce1));
    CHECK(ce1.import_policy == "from-ce1");
    CHECK(ce1.ttl_security == 1);
    REQUIRE(ce1.max_prefixes);
    CHECK(ce1.max_prefixes->limit == 1000);
    CHECK(ce1.max_prefixes->restart_time == cfg::Seconds(300));
    CHECK(c.bgp->redistribute.static_routes);
    REQUIRE(c.bgp->igp_cost_overrides.size() == 1);
    CHECK(c.bgp->igp_cost_overrides[0].cost == 10);
    REQUIRE(c.ldp);
    CHECK(c.ldp->transport_address.to_string() == "192.0.2.1");
    REQUIRE(c.static_routes.size() == 1);
    CHECK(c.static_routes[0].next_hop->to_string() == "2001:db8:c1::2");
    CHECK(c.policies.size() == 3);
    CHECK(cfg::role(c) == "PE");
}

TEST_CASE("config: the P router example has no BGP", "[config][examples]") {
    auto c = load_ok(kExamples + "p.json");
    CHECK_FALSE(c.bgp);
    REQUIRE(c.ldp);
    CHECK(c.ldp->interfaces.size() == 2);
    CHECK(c.ldp->graceful_restart.mode == cfg::GracefulRestartMode::helper);
    CHECK(c.kernel.set_sysctls);
    CHECK(cfg::role(c) == "P (LDP only)");
}

TEST_CASE("config: the route reflector example", "[config][examples]") {
    auto c = load_ok(kExamples + "rr.json");
    CHECK(cfg::role(c) == "route reflector, kernel programming off");
    CHECK_FALSE(c.kernel.install);
}

TEST_CASE("config: the smallest P router and its defaults", "[config]") {
    auto c = parse_ok(R"({"version": 1, "router-id": "192.0.2.3", "ldp": {"interfaces": [{"name": "eth0"}]}})");
    CHECK(c.log_level == isthmus::log::Level::info);
    CHECK(c.control_socket == "/run/isthmus/isthmusd.sock");
    CHECK(c.labels.ldp.to_string() == "16..49999");
    CHECK(c.labels.bgp.to_string() == "50000..89999");
    CHECK(c.labels.recirculation.to_string() == "90000..99999");
    CHECK(c.kernel.install);
    CHECK(c.kernel.forwarding == cfg::ForwardingMode::flat);
    CHECK_FALSE(c.kernel.set_sysctls);
    CHECK_FALSE(c.kernel.nexthop_compat_mode);
    REQUIRE(c.ldp);
    CHECK(c.ldp->transport_address.to_string() == "192.0.2.3");
    CHECK(c.ldp->interfaces[0].hello_interval == cfg::Seconds(5));
    CHECK(c.ldp->interfaces[0].hello_hold_time == cfg::Seconds(15));
    CHECK(c.ldp->egress_label == cfg::LdpEgressLabel::implicit_null);
    CHECK(c.ldp->control_mode == cfg::LdpControlMode::ordered);
    CHECK(c.ldp->session_hold_time == cfg::Seconds(180));
    CHECK(c.ldp->ttl_security);
    CHECK_FALSE(c.ldp->fec_policy);
    CHECK(c.ldp->graceful_restart.mode == cfg::GracefulRestartMode::off);
}

TEST_CASE("config: neighbor defaults follow the session's address family", "[config]") {
    auto c = parse_ok(R"({"version": 1, "router-id": "192.0.2.1", "bgp": {"local-as": "0.65000", "neighbors": [
        {"address": "192.0.2.2", "remote-as": 65000, "timers": {"hold-time": 9}},
        {"address": "2001:db8::2", "remote-as": "1.10", "timers": {"hold-time": 0}}]}})");
    REQUIRE(c.bgp);
    CHECK(c.bgp->local_as == isthmus::Asn(65000));
    const auto& v4 = c.bgp->neighbors[0];
    CHECK(v4.families == std::vector{cfg::Family::ipv6_labeled_unicast});
    CHECK(v4.timers.keepalive_time == cfg::Seconds(3));  // hold / 3
    CHECK_FALSE(v4.passive);
    const auto& v6 = c.bgp->neighbors[1];
    CHECK(v6.families == std::vector{cfg::Family::ipv6_unicast});
    CHECK(v6.remote_as == isthmus::Asn(65546));
    CHECK(v6.timers.keepalive_time == cfg::Seconds(0));
    CHECK(c.bgp->graceful_restart.mode == cfg::GracefulRestartMode::helper);
    CHECK(c.bgp->graceful_restart.restart_time == cfg::Seconds(120));
    CHECK(c.bgp->max_paths == 1);
    CHECK(cfg::role(c) == "PE");
}

TEST_CASE("config: redistribution by protocol name and id", "[config]") {
    auto c = parse_ok(R"({"version": 1, "router-id": "192.0.2.1", "bgp": {"local-as": 65000,
        "redistribute": {"connected": true, "kernel-protocols": ["bird", 189, "static"]}}})");
    REQUIRE(c.bgp);
    CHECK(c.bgp->redistribute.connected);
    CHECK(c.bgp->redistribute.kernel_protocols == std::vector<uint8_t>{12, 189, 4});
}

TEST_CASE("config: summary names the role, neighbors, interfaces, labels and policies", "[config]") {
    auto s = cfg::summary(load_ok(kExamples + "pe1.json"));
    INFO(s);
    CHECK(contains(s, "role:            PE\n"));
    CHECK(contains(s, "router id:       192.0.2.1\n"));
    CHECK(contains(s, "bgp:             AS 65000, label mode explicit-null"));
    CHECK(contains(s, "neighbor 192.0.2.2              AS 65000      iBGP ipv6-labeled-unicast"));
    CHECK(contains(s, "neighbor 2001:db8:c1::2         AS 65101      eBGP ipv6-unicast"));
    CHECK(contains(s, "interface      core0 (hello 5s/15s)\n"));
    CHECK(contains(s, "labels:          ldp 16..49999, bgp 50000..89999, recirculation 90000..99999\n"));
    CHECK(contains(s, "policies:        3 (from-ce1, local-routes, to-ce1), prefix lists 1\n"));
}

TEST_CASE("config: summary warns about RFC 8212 and hides passwords", "[config]") {
    auto s = cfg::summary(parse_ok(R"({"version": 1, "router-id": "192.0.2.1", "bgp": {"local-as": 65000,
        "neighbors": [{"address": "2001:db8::2", "remote-as": 65001, "password": "s3cret"}]}})"));
    INFO(s);
    CHECK(contains(s, "md5 (RFC 8212: no policy = reject)"));
    CHECK_FALSE(contains(s, "s3cret"));
}
