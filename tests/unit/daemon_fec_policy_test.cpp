// LDP's fec-policy: which kernel IPv4 routes become FECs.
#include <catch2/catch.hpp>

#include "daemon/fec_policy.hpp"
#include "lib/config/config.hpp"

using namespace isthmus;

namespace {

Ipv4Prefix p4(const char* s) { return *Ipv4Prefix::parse(s); }

config::Config load(const std::string& ldp_extra, const std::string& rest) {
    auto c = config::parse(R"({"version": 1, "router-id": "192.0.2.1",
        "ldp": {"interfaces": [{"name": "core"}])" + ldp_extra + "}" + rest + "}");
    if (!c)
        for (const auto& e : c.error()) FAIL(e.to_string());
    REQUIRE(c);
    return *c;
}

}  // namespace

TEST_CASE("fec-policy: no policy, no filter (ldp/ keeps its /32 default)") {
    std::vector<std::string> warnings;
    CHECK_FALSE(daemon::fec_filter(load("", ""), warnings));
}

TEST_CASE("fec-policy: prefix lists and prefixes decide, first matching term wins, then the default") {
    auto cfg = load(R"(, "fec-policy": "fecs")", R"(,
        "prefix-lists": {"loopbacks": ["192.0.2.0/24 ge 32 le 32"], "v6": ["2001:db8::/32 le 128"]},
        "policies": {"fecs": {"terms": [
            {"name": "no-lab", "match": {"prefixes": ["192.0.2.128/25 le 32"]}, "action": "reject"},
            {"name": "loops", "match": {"prefix-list": "loopbacks"}, "action": "accept"},
            {"name": "core", "match": {"prefixes": ["10.0.0.0/8 ge 30 le 30"]}, "action": "accept"},
            {"name": "six", "match": {"prefix-list": "v6"}, "action": "accept"}],
          "default-action": "reject"}})");
    std::vector<std::string> warnings;
    auto accept = daemon::fec_filter(cfg, warnings);
    REQUIRE(accept);
    CHECK(warnings.empty());
    CHECK(accept(p4("192.0.2.4/32")));
    CHECK_FALSE(accept(p4("192.0.2.200/32")));  // the earlier reject term
    CHECK_FALSE(accept(p4("192.0.2.0/24")));    // ge 32 in the list
    CHECK(accept(p4("10.0.1.0/30")));
    CHECK_FALSE(accept(p4("10.0.1.0/24")));
    CHECK_FALSE(accept(p4("198.51.100.1/32")));  // IPv6 entries never match IPv4: the default
}

TEST_CASE("fec-policy: a term testing BGP attributes never matches and is reported") {
    auto cfg = load(R"(, "fec-policy": "fecs")", R"(,
        "policies": {"fecs": {"terms": [
            {"name": "tagged", "match": {"prefixes": ["0.0.0.0/0 le 32"], "communities": ["65000:1"]}, "action": "reject"}],
          "default-action": "accept"}})");
    std::vector<std::string> warnings;
    auto accept = daemon::fec_filter(cfg, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("\"tagged\"") != std::string::npos);
    CHECK(accept(p4("192.0.2.4/32")));
}
