// Bad "bgp" sections: each test breaks the base PE in one place and asserts
// the exact messages a user gets.
#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"

using namespace config_test;

TEST_CASE("config: a neighbor address that is not an address", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][1]["address"] = "10.0.0.300"; }) ==
          one("bgp.neighbors[1].address: \"10.0.0.300\" is not an IPv4 or IPv6 address"));
}

TEST_CASE("config: a misspelt neighbor key gets a suggestion and the real key is missing", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              auto& n = j["bgp"]["neighbors"][0];
              n["remote-asn"] = n["remote-as"];
              n.erase("remote-as");
          }) == std::vector<std::string>{"bgp.neighbors[0].remote-asn: unknown key (did you mean \"remote-as\"?)",
                                         "bgp.neighbors[0].remote-as: required key is missing"});
}

TEST_CASE("config: a boolean given as a string", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][0]["passive"] = "yes"; }) ==
          one("bgp.neighbors[0].passive: expected a boolean, got string \"yes\""));
}

TEST_CASE("config: hold time 1 and 2 are not allowed", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["timers"] = {{"hold-time", 2}};
          }) == one("bgp.neighbors[0].timers.hold-time: 2 is out of range (0 or 3..65535)"));
}

TEST_CASE("config: keepalive must be shorter than the hold time", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["timers"] = {{"hold-time", 30}, {"keepalive-time", 30}};
          }) == one("bgp.neighbors[0].timers.keepalive-time: 30 is out of range (1..29, below hold-time 30)"));
}

TEST_CASE("config: no keepalives with hold time 0", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["timers"] = {{"hold-time", 0}, {"keepalive-time", 10}};
          }) ==
          one("bgp.neighbors[0].timers.keepalive-time: 10 must be 0 when hold-time is 0 (no keepalives are sent)"));
}

TEST_CASE("config: a fractional number where an integer belongs", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["timers"] = {{"connect-retry-time", 1.5}};
          }) == one("bgp.neighbors[0].timers.connect-retry-time: expected an integer, got number 1.5"));
}

TEST_CASE("config: two neighbors with one address", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"].push_back({{"address", "192.0.2.2"}, {"remote-as", 65000}});
          }) == one("bgp.neighbors[2].address: 192.0.2.2 is already used by bgp.neighbors[0]"));
}

TEST_CASE("config: 6PE over an IPv6 session", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              auto& n = j["bgp"]["neighbors"][1];
              n["remote-as"] = 65000;
              n["families"] = {"ipv6-labeled-unicast"};
          }) == one("bgp.neighbors[1].families[0]: \"ipv6-labeled-unicast\" (6PE) runs over IPv4 sessions; "
                    "2001:db8:c1::2 is IPv6"));
}

TEST_CASE("config: IPv6 unicast over an IPv4 session is not 6PE", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][0]["families"] = {"ipv6-unicast"}; }) ==
          one("bgp.neighbors[0].families[0]: \"ipv6-unicast\" needs an IPv6 session; over IPv4 (192.0.2.2) use "
              "\"ipv6-labeled-unicast\" (6PE)"));
}

TEST_CASE("config: 6PE to another AS", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][0]["remote-as"] = 65001; }) ==
          one("bgp.neighbors[0].remote-as: 65001 is not the local AS 65000, but ipv6-labeled-unicast (6PE, the "
              "family of an IPv4 neighbor) runs over iBGP only"));
}

TEST_CASE("config: families listed twice or not at all", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["families"] = {"ipv6-labeled-unicast", "ipv6-labeled-unicast"};
              j["bgp"]["neighbors"][1]["families"] = Json::array();
          }) ==
          std::vector<std::string>{"bgp.neighbors[0].families[1]: \"ipv6-labeled-unicast\" is listed twice",
                                   "bgp.neighbors[1].families: must not be empty (leave the key out for the default)"});
}

TEST_CASE("config: an undefined policy, with a suggestion", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][1]["import-policy"] = "from-cee"; }) ==
          one("bgp.neighbors[1].import-policy: policy \"from-cee\" is not defined (did you mean \"from-ce\"?)"));
}

TEST_CASE("config: an AS number of 0 and a malformed one", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["local-as"] = 0;
              j["bgp"]["neighbors"][1]["remote-as"] = "AS65101";
          }) == std::vector<std::string>{
                    "bgp.local-as: AS number 0 is reserved (RFC 7607)",
                    "bgp.neighbors[1].remote-as: \"AS65101\" is not an AS number (1..4294967295 or asdot x.y)"});
}

TEST_CASE("config: an unknown label mode, with a suggestion", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["label-mode"] = "per-prefx"; }) ==
          one("bgp.label-mode: \"per-prefx\" is not one of explicit-null, per-prefix, per-nexthop, per-table (did "
              "you mean \"per-prefix\"?)"));
}

TEST_CASE("config: multihop and ttl-security rules", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["multihop"] = 3;
              j["bgp"]["neighbors"][1]["multihop"] = 3;
              j["bgp"]["neighbors"][1]["ttl-security"] = 1;
          }) == std::vector<std::string>{
                    "bgp.neighbors[0].multihop: applies to eBGP only (iBGP sessions are not limited to one hop)",
                    "bgp.neighbors[1].ttl-security: cannot be combined with \"multihop\" (it sets the accepted hop "
                    "count itself)"});
}

TEST_CASE("config: route-reflector-client on an eBGP neighbor", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][1]["route-reflector-client"] = true; }) ==
          one("bgp.neighbors[1].route-reflector-client: applies to iBGP neighbors only"));
}

TEST_CASE("config: update-source of the other family", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"][0]["update-source"] = "2001:db8::1"; }) ==
          one("bgp.neighbors[0].update-source: 2001:db8::1 is IPv6 but the neighbor address 192.0.2.2 is IPv4"));
}

TEST_CASE("config: neighbor addresses that cannot carry a session", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["address"] = "::ffff:192.0.2.2";
              j["bgp"]["neighbors"][1]["address"] = "fe80::2";
          }) == std::vector<std::string>{
                    "bgp.neighbors[0].address: ::ffff:192.0.2.2 is IPv4-mapped; write the IPv4 address 192.0.2.2",
                    "bgp.neighbors[1].address: fe80::2 is link-local; v1 needs a global address for a BGP session"});
}

TEST_CASE("config: a password is never echoed", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["password"] = std::string(81, 'x');
              j["bgp"]["neighbors"][1]["password"] = 1234;
          }) == std::vector<std::string>{"bgp.neighbors[0].password: is longer than 80 bytes, the TCP-MD5 key limit",
                                         "bgp.neighbors[1].password: expected a string"});
}

TEST_CASE("config: max-prefixes needs a limit; restart-time only with teardown", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["neighbors"][0]["max-prefixes"] = {{"action", "warn"}};
              j["bgp"]["neighbors"][1]["max-prefixes"] = {{"limit", 10}, {"action", "warn"}, {"restart-time", 60}};
          }) == std::vector<std::string>{
                    "bgp.neighbors[0].max-prefixes.limit: required key is missing",
                    "bgp.neighbors[1].max-prefixes.restart-time: applies to \"action\": \"teardown\" only"});
}

TEST_CASE("config: redistributing the kernel's own routes or an unknown protocol", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["redistribute"] = {{"kernel-protocols", {"kernel", "brid", 12, 12, 300}}};
          }) ==
          std::vector<std::string>{
              "bgp.redistribute.kernel-protocols[0]: \"kernel\" is the kernel's own routes; use \"connected\": true",
              "bgp.redistribute.kernel-protocols[1]: \"brid\" is not one of boot, static, ra, zebra, bird, dhcp, "
              "keepalived, babel, openr, bgp, isis, ospf, rip, eigrp (did you mean \"bird\"?)",
              "bgp.redistribute.kernel-protocols[3]: protocol 12 is listed twice",
              "bgp.redistribute.kernel-protocols[4]: 300 is out of range (0..255)"});
}

TEST_CASE("config: igp cost overrides take IPv4 next hops once each", "[config][bgp]") {
    CHECK(errors_after([](Json& j) {
              j["bgp"]["igp-cost-overrides"] = {{{"next-hop", "192.0.2.2"}, {"igp-cost", 5}},
                                                {{"next-hop", "192.0.2.2"}, {"igp-cost", 6}},
                                                {{"next-hop", "2001:db8::2"}, {"igp-cost", -1}}};
          }) == std::vector<std::string>{
                    "bgp.igp-cost-overrides[1].next-hop: 192.0.2.2 is already listed at bgp.igp-cost-overrides[0]",
                    "bgp.igp-cost-overrides[2].next-hop: \"2001:db8::2\" is not an IPv4 address",
                    "bgp.igp-cost-overrides[2].igp-cost: -1 is out of range (0..4294967295)"});
}

TEST_CASE("config: bgp sections of the wrong shape", "[config][bgp]") {
    CHECK(errors_after([](Json& j) { j["bgp"]["neighbors"] = Json::object(); }) ==
          one("bgp.neighbors: expected an array, got an object"));
    CHECK(errors_after([](Json& j) { j["bgp"] = Json::array(); }) == one("bgp: expected an object, got an array"));
}
