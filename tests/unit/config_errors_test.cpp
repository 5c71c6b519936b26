// Bad configs outside "bgp" and "policies": the document, the version, the
// router-wide keys, ldp, labels, kernel and static routes; and a file with
// many errors reporting all of them.
#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"

using namespace config_test;

TEST_CASE("config: JSON syntax errors give line and column", "[config]") {
    CHECK(errors_of("{\n  \"version\": 1,\n}") ==
          one("line 3, column 1: syntax error while parsing object key - unexpected '}'; expected string literal"));
    CHECK(errors_of("") == one("line 1, column 1: syntax error while parsing value - unexpected end of input; "
                               "expected '[', '{', or a literal"));
}

TEST_CASE("config: the document must be an object", "[config]") {
    CHECK(errors_of("[1, 2]") == one("expected a JSON object at the top level, got an array"));
}

TEST_CASE("config: a key given twice in one object", "[config]") {
    CHECK(errors_of(R"({"version": 1, "router-id": "192.0.2.1", "ldp": {},
                        "ldp": {"interfaces": [{"name": "a", "name": "b"}]}})") ==
          std::vector<std::string>{"ldp: duplicate key", "ldp.interfaces[0].name: duplicate key"});
}

TEST_CASE("config: version is required", "[config]") {
    CHECK(errors_after([](Json& j) { j.erase("version"); }) ==
          one("version: required key is missing (this isthmusd reads \"version\": 1)"));
    CHECK(errors_after([](Json& j) { j["version"] = "1"; }) ==
          one("version: expected the integer 1, got string \"1\""));
}

TEST_CASE("config: another version is rejected alone, without v1 noise", "[config]") {
    CHECK(errors_after([](Json& j) {
              j["version"] = 2;
              j["bgp"]["color"] = "blue";
          }) == one("version: 2 is not supported (this isthmusd reads version 1)"));
}

TEST_CASE("config: an unknown top-level key lists the known ones", "[config]") {
    CHECK(errors_after([](Json& j) { j["colour"] = "blue"; }) ==
          one("colour: unknown key (expected one of version, router-id, log-level, control-socket, labels, kernel, "
              "static-routes, prefix-lists, policies, ldp, bgp)"));
}

TEST_CASE("config: router-id is required and not 0.0.0.0", "[config]") {
    CHECK(errors_after([](Json& j) { j.erase("router-id"); }) == one("router-id: required key is missing"));
    CHECK(errors_after([](Json& j) { j["router-id"] = "0.0.0.0"; }) ==
          one("router-id: router id 0.0.0.0 is not allowed"));
}

TEST_CASE("config: log level and control socket", "[config]") {
    CHECK(errors_after([](Json& j) {
              j["log-level"] = "verbose";
              j["control-socket"] = "isthmusd.sock";
          }) == std::vector<std::string>{
                    "log-level: \"verbose\" is not a log level (debug, info, notice, warning, error, critical)",
                    "control-socket: \"isthmusd.sock\" is not an absolute path"});
    CHECK(errors_after([](Json& j) { j["control-socket"] = "/" + std::string(107, 's'); }) ==
          one("control-socket: is longer than 107 bytes, the limit of a Unix socket path"));
}

TEST_CASE("config: label sub-ranges overlap", "[config][labels]") {
    CHECK(errors_after([](Json& j) {
              j["labels"] = {{"bgp", {{"first", 40000}, {"last", 60000}}}};
          }) == one("labels.bgp: 40000..60000 overlaps labels.ldp (16..49999, the default)"));
    CHECK(errors_after([](Json& j) {
              j["labels"] = {{"ldp", {{"first", 100}, {"last", 200}}},
                             {"recirculation", {{"first", 150}, {"last", 300}}}};
          }) == one("labels.recirculation: 150..300 overlaps labels.ldp (100..200)"));
}

TEST_CASE("config: label ranges out of bounds or reversed", "[config][labels]") {
    CHECK(errors_after([](Json& j) {
              j["labels"] = {{"ldp", {{"first", 3}, {"last", 1048576}}},
                             {"bgp", {{"first", 80000}, {"last", 70000}}},
                             {"recirculation", {{"first", 90000}}}};
          }) == std::vector<std::string>{"labels.ldp.first: 3 is out of range (16..1048575)",
                                         "labels.ldp.last: 1048576 is out of range (16..1048575)",
                                         "labels.bgp: first 80000 is greater than last 70000",
                                         "labels.recirculation.last: required key is missing"});
}

TEST_CASE("config: kernel options", "[config][kernel]") {
    CHECK(errors_after([](Json& j) {
              j["kernel"] = {{"forwarding", "hierarchic"}, {"nexthop-compat-mode", 2}, {"install", 1}};
          }) ==
          std::vector<std::string>{
              "kernel.install: expected a boolean, got integer 1",
              "kernel.forwarding: \"hierarchic\" is not one of flat, hierarchical (did you mean \"hierarchical\"?)",
              "kernel.nexthop-compat-mode: 2 is out of range (0..1)"});
}

TEST_CASE("config: ldp interfaces", "[config][ldp]") {
    CHECK(errors_after([](Json& j) {
              j["ldp"]["interfaces"] = {{{"name", "core0"}},
                                        {{"name", "core0"}},
                                        {{"name", "a-very-long-interface-name"}},
                                        {{"name", "core1"}, {"hello-interval", 20}},
                                        {{"interface", "core2"}}};
          }) == std::vector<std::string>{
                    "ldp.interfaces[1].name: \"core0\" is already listed at ldp.interfaces[0]",
                    "ldp.interfaces[2].name: \"a-very-long-interface-name\" is not an interface name (1-15 "
                    "characters, no '/', ':' or whitespace)",
                    "ldp.interfaces[3].hello-interval: hello-interval 20 must be less than hello-hold-time 15",
                    "ldp.interfaces[4].interface: unknown key (expected one of name, hello-interval, hello-hold-time)",
                    "ldp.interfaces[4].name: required key is missing"});
}

TEST_CASE("config: ldp session settings", "[config][ldp]") {
    CHECK(errors_after([](Json& j) {
              j["ldp"]["transport-address"] = "2001:db8::1";
              j["ldp"]["egress-label"] = "explicit";
              j["ldp"]["targeted-neighbors"] = {{{"address", "192.0.2.2"}, {"hello-hold-time", 2}}};
              j["ldp"]["neighbors"] = {{{"lsr-id", "192.0.2.2"}, {"password", ""}}};
              j["ldp"]["fec-policy"] = "loopbacks";
          }) == std::vector<std::string>{
                    "ldp.transport-address: \"2001:db8::1\" is not an IPv4 address",
                    "ldp.targeted-neighbors[0].hello-hold-time: 2 is out of range (3..65535)",
                    "ldp.neighbors[0].password: must not be empty (leave the key out for no password)",
                    "ldp.egress-label: \"explicit\" is not one of implicit-null, explicit-null (did you mean "
                    "\"explicit-null\"?)",
                    "ldp.fec-policy: policy \"loopbacks\" is not defined"});
}

TEST_CASE("config: an ldp section with nothing to talk to", "[config][ldp]") {
    CHECK(errors_after([](Json& j) { j["ldp"] = Json::object(); }) ==
          one("ldp: has no \"interfaces\" and no \"targeted-neighbors\", so LDP would find no neighbor"));
}

TEST_CASE("config: LDP without kernel programming", "[config][kernel]") {
    CHECK(errors_after([](Json& j) {
              j["kernel"] = {{"install", false}};
          }) == one("kernel.install: false cannot be combined with \"ldp\" (LDP peers would send labelled traffic that "
                    "this router does not forward)"));
}

TEST_CASE("config: static routes", "[config][static]") {
    CHECK(errors_after([](Json& j) {
              j["static-routes"] = {{{"prefix", "2001:db8:a::/48"}, {"next-hop", "fe80::1"}},
                                    {{"prefix", "2001:db8:a::/48"}, {"blackhole", true}, {"interface", "ce0"}},
                                    {{"prefix", "10.0.0.0/8"}},
                                    {{"prefix", "2001:db8:b::/48"}, {"next-hop", "::ffff:10.0.0.1"}}};
          }) == std::vector<std::string>{
                    "static-routes[0].next-hop: fe80::1 is link-local and needs \"interface\"",
                    "static-routes[1].prefix: 2001:db8:a::/48 is already routed by static-routes[0]",
                    "static-routes[1].blackhole: a blackhole route takes no \"next-hop\" or \"interface\"",
                    "static-routes[2].prefix: \"10.0.0.0/8\" is not a prefix: \"10.0.0.0\" is not an IPv6 address",
                    "static-routes[2]: needs \"next-hop\", \"interface\" or \"blackhole\": true",
                    "static-routes[3].next-hop: ::ffff:10.0.0.1 is not a usable next hop (unicast, not IPv4-mapped)"});
}

TEST_CASE("config: every error of a file is reported in one pass", "[config]") {
    CHECK(errors_of(R"({
  "version": 1,
  "router-id": "192.0.2.300",
  "log-level": "loud",
  "ldp": { "interfaces": [{ "name": "core0", "hello-hold-time": "15" }] },
  "labels": { "bgp": { "first": 10, "last": 20 } },
  "bgp": {
    "local-as": 65000,
    "neighbors": [
      { "address": "192.0.2.2", "remote-as": 65000, "timers": { "hold-time": 1 } },
      { "address": "10.0.0.300", "remote-as": 65101, "export-policy": "to-ce" },
      { "address": "192.0.2.2", "remote-as": 65000, "passive": "no" }
    ]
  }
})") == std::vector<std::string>{
            "router-id: \"192.0.2.300\" is not a router id (dotted quad)",
            "log-level: \"loud\" is not a log level (debug, info, notice, warning, error, critical)",
            "labels.bgp.first: 10 is out of range (16..1048575)",
            "ldp.interfaces[0].hello-hold-time: expected an integer, got string \"15\"",
            "bgp.neighbors[0].timers.hold-time: 1 is out of range (0 or 3..65535)",
            "bgp.neighbors[1].address: \"10.0.0.300\" is not an IPv4 or IPv6 address",
            "bgp.neighbors[2].passive: expected a boolean, got string \"no\"",
            "bgp.neighbors[2].address: 192.0.2.2 is already used by bgp.neighbors[0]",
            "bgp.neighbors[1].export-policy: policy \"to-ce\" is not defined"});
}
