// "prefix-lists" and "policies": what a valid policy parses into, and the
// messages for bad ones.
#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"

using namespace config_test;
namespace cfg = isthmus::config;

namespace {

cfg::Config parse_ok(const std::function<void(Json&)>& change) {
    auto j = Json::parse(kBasePe);
    change(j);
    auto r = cfg::parse(j.dump());
    if (!r)
        for (const auto& e : r.error()) FAIL(e.to_string());
    return *r;
}

}  // namespace

TEST_CASE("config: a policy with every match and set key", "[config][policy]") {
    auto c = parse_ok([](Json& j) {
        j["prefix-lists"] = {{"nets", {"2001:db8:a::/48 le 64", "10.0.0.0/8 ge 24", "192.0.2.0/24 ge 25 le 26"}}};
        j["policies"]["from-ce"]["terms"] = {{{"name", "all-of-it"},
                                              {"match",
                                               {{"prefixes", {"2001:db8::/32"}},
                                                {"prefix-list", "nets"},
                                                {"protocols", {"bgp", "static"}},
                                                {"neighbors", {"2001:db8:c1::2"}},
                                                {"communities", {"65000:1", "no-export"}},
                                                {"large-communities", {"65000:1:2"}},
                                                {"as-path-contains", {65101, "1.10"}},
                                                {"origin-as", {65101}}}},
                                              {"set",
                                               {{"local-preference", 300},
                                                {"med", 0},
                                                {"add-communities", {"65000:2"}},
                                                {"remove-communities", {"graceful-shutdown"}},
                                                {"add-large-communities", {"65000:3:4"}},
                                                {"remove-large-communities", Json::array()},
                                                {"prepend", 2}}},
                                              {"action", "next-term"}},
                                             {{"action", "accept"}}};
    });
    const auto& list = c.prefix_lists.at("nets");
    REQUIRE(list.size() == 3);
    CHECK(std::get<isthmus::Ipv6Prefix>(list[0].prefix).to_string() == "2001:db8:a::/48");
    CHECK((list[0].ge == 48 && list[0].le == 64));
    CHECK((list[1].ge == 24 && list[1].le == 32));  // "ge" alone runs to the family's maximum
    CHECK((list[2].ge == 25 && list[2].le == 26));

    const auto& p = c.policies.at("from-ce");
    REQUIRE(p.terms.size() == 2);
    const auto& t = p.terms[0];
    CHECK(t.name == "all-of-it");
    CHECK(p.terms[1].name == "#1");
    CHECK(t.action == cfg::TermAction::next_term);
    CHECK((t.match.prefixes[0].ge == 32 && t.match.prefixes[0].le == 32));
    CHECK(t.match.prefix_list == "nets");
    CHECK(t.match.protocols == std::vector{cfg::RouteSource::bgp, cfg::RouteSource::static_route});
    CHECK(t.match.communities ==
          std::vector{cfg::Community{65000u << 16 | 1}, cfg::Community{cfg::Community::kNoExport}});
    CHECK(t.match.large_communities == std::vector{cfg::LargeCommunity{65000, 1, 2}});
    CHECK(t.match.as_path_contains == std::vector{isthmus::Asn(65101), isthmus::Asn(65546)});
    CHECK(t.set.local_preference == 300u);
    CHECK(t.set.med == 0u);
    CHECK(t.set.remove_communities == std::vector{cfg::Community{cfg::Community::kGracefulShutdown}});
    CHECK(t.set.prepend == 2);
    CHECK(p.default_action == cfg::TermAction::reject);
    CHECK(c.policies.at("to-ce").default_action == cfg::TermAction::accept);
}

TEST_CASE("config: prefix match entries", "[config][policy]") {
    auto with_prefixes = [](Json list) {
        return errors_after([&](Json& j) { j["policies"]["from-ce"]["terms"][0]["match"]["prefixes"] = list; });
    };
    CHECK(with_prefixes({"2001:db8::1/32"}) ==
          one("policies.from-ce.terms[0].match.prefixes[0]: \"2001:db8::1/32\" has host bits set (did you mean "
              "2001:db8::/32?)"));
    CHECK(with_prefixes({"2001:db8:a::/48", "2001:db8:b::/48", "2001:db8:a::/48 le 32"}) ==
          one("policies.from-ce.terms[0].match.prefixes[2]: \"2001:db8:a::/48 le 32\": le 32 is less than the prefix "
              "length 48"));
    CHECK(with_prefixes({"10.0.0.0/8 ge 4", "10.0.0.0/8 ge 24 le 16", "10.0.0.0/8 le 33", "10.0.0.0/8 lt 9"}) ==
          std::vector<std::string>{
              "policies.from-ce.terms[0].match.prefixes[0]: \"10.0.0.0/8 ge 4\": ge 4 is less than the prefix length 8",
              "policies.from-ce.terms[0].match.prefixes[1]: \"10.0.0.0/8 ge 24 le 16\": le 16 is less than ge 24",
              "policies.from-ce.terms[0].match.prefixes[2]: \"10.0.0.0/8 le 33\": 33 is not a prefix length (0..32)",
              "policies.from-ce.terms[0].match.prefixes[3]: \"10.0.0.0/8 lt 9\": expected \"ge N\" and/or \"le N\" "
              "after the prefix"});
    CHECK(with_prefixes(Json::array()) ==
          one("policies.from-ce.terms[0].match.prefixes: must not be empty (leave the key out to match any route)"));
}

TEST_CASE("config: references to prefix lists and neighbors", "[config][policy]") {
    CHECK(errors_after([](Json& j) {
              auto& m = j["policies"]["from-ce"]["terms"][0]["match"];
              m["prefix-list"] = "nets";
              m["neighbors"] = {"2001:db8:c1::2", "192.0.2.99"};
          }) == std::vector<std::string>{
                    "policies.from-ce.terms[0].match.prefix-list: prefix-list \"nets\" is not defined",
                    "policies.from-ce.terms[0].match.neighbors[1]: 192.0.2.99 is not a configured BGP neighbor"});
}

TEST_CASE("config: terms need an action, and reject takes no set", "[config][policy]") {
    CHECK(errors_after([](Json& j) {
              j["policies"]["to-ce"]["terms"] = {
                  {{"match", {{"protocols", {"bgp"}}}}},
                  {{"set", {{"med", 10}}}, {"action", "reject"}},
                  {{"action", "drop"}},
              };
          }) ==
          std::vector<std::string>{"policies.to-ce.terms[0].action: required key is missing",
                                   "policies.to-ce.terms[1].set: has no effect when \"action\" is \"reject\"",
                                   "policies.to-ce.terms[2].action: \"drop\" is not one of accept, reject, next-term"});
}

TEST_CASE("config: bad values inside match and set", "[config][policy]") {
    CHECK(errors_after([](Json& j) {
              auto& t = j["policies"]["from-ce"]["terms"][0];
              t["match"]["communities"] = {"65536:1"};
              t["match"]["large-communities"] = {"1:2"};
              t["match"]["protocols"] = {"ospf"};
              t["set"] = {{"prepend", 11}, {"local-pref", 100}};
          }) ==
          std::vector<std::string>{
              "policies.from-ce.terms[0].match.protocols[0]: \"ospf\" is not one of bgp, static, connected, kernel",
              "policies.from-ce.terms[0].match.communities[0]: \"65536:1\" is not a community (A:B with 0..65535 "
              "each, no-export, no-advertise, no-export-subconfed or graceful-shutdown)",
              "policies.from-ce.terms[0].match.large-communities[0]: \"1:2\" is not a large community (A:B:C with "
              "0..4294967295 each)",
              "policies.from-ce.terms[0].set.local-pref: unknown key (did you mean \"local-preference\"?)",
              "policies.from-ce.terms[0].set.prepend: 11 is out of range (1..10)"});
}

TEST_CASE("config: policy, prefix-list and term names", "[config][policy]") {
    CHECK(errors_after([](Json& j) {
              j["policies"]["from.ce"] = {{"default-action", "next-term"}};
              j["prefix-lists"] = {{"", Json::array()}};
              j["policies"]["to-ce"]["terms"] = {{{"name", "a"}, {"action", "accept"}},
                                                 {{"name", "a"}, {"action", "accept"}}};
          }) ==
          std::vector<std::string>{
              "prefix-lists[\"\"]: \"\" is not a valid prefix-list name (letters, digits, '-' and '_', starting with a "
              "letter or "
              "digit, at most 63)",
              "policies.to-ce.terms[1].name: \"a\" is already the name of policies.to-ce.terms[0]",
              "policies[\"from.ce\"]: \"from.ce\" is not a valid policy name (letters, digits, '-' and '_', starting "
              "with a letter or digit, at most 63)",
              "policies[\"from.ce\"].default-action: \"next-term\" is not one of accept, reject"});
}
