// Policy evaluation (bgp/policy): each match condition, each set action, term flow and defaults.
#include <catch2/catch.hpp>

#include "bgp/policy/policy.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::policy;

namespace {

Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }

config::PrefixMatch pm(const char* s, int ge, int le) { return {p6(s), ge, le}; }

AsPath path_of(std::initializer_list<uint32_t> asns) {
    AsPathSegment s{AsPathSegment::Type::Sequence, {}};
    for (auto a : asns) s.asns.push_back(Asn(a));
    return AsPath{{s}};
}

PathAttributes attrs() {
    PathAttributes a;
    a.origin = Origin::Igp;
    a.as_path = path_of({65010, 65020});
    a.communities = {Community::make(65000, 1)};
    a.large_communities = {LargeCommunity{65000, 1, 2}};
    return a;
}

RouteFacts facts(const char* prefix = "2001:db8:1::/48") {
    return {p6(prefix), config::RouteSource::bgp, IpAddress(*Ipv6Address::parse("2001:db8:ff::1"))};
}

}  // namespace

TEST_CASE("policy: prefix match exact, ge, le; other family never matches") {
    CHECK(prefix_matches(pm("2001:db8::/32", 32, 32), p6("2001:db8::/32")));
    CHECK_FALSE(prefix_matches(pm("2001:db8::/32", 32, 32), p6("2001:db8::/48")));
    CHECK(prefix_matches(pm("2001:db8::/32", 32, 48), p6("2001:db8:1::/48")));
    CHECK_FALSE(prefix_matches(pm("2001:db8::/32", 32, 48), p6("2001:db8:1:1::/64")));
    CHECK(prefix_matches(pm("2001:db8::/32", 40, 128), p6("2001:db8:1:1::/64")));
    CHECK_FALSE(prefix_matches(pm("2001:db8::/32", 40, 128), p6("2001:db8::/32")));
    CHECK_FALSE(prefix_matches(pm("2001:db8::/32", 32, 128), p6("2001:db9::/48")));  // outside
    config::PrefixMatch v4{*Ipv4Prefix::parse("0.0.0.0/0"), 0, 32};
    CHECK_FALSE(prefix_matches(v4, p6("::/0")));
}

TEST_CASE("policy: each match condition") {
    Environment env;
    std::map<std::string, config::PrefixList, std::less<>> lists{{"cust", {pm("2001:db8::/32", 32, 64)}}};
    env.prefix_lists = &lists;
    auto a = attrs();
    config::PolicyMatch m;
    CHECK(matches(m, facts(), a, env));  // empty match: every route

    m = {};
    m.prefix_list = "cust";
    CHECK(matches(m, facts(), a, env));
    CHECK_FALSE(matches(m, facts("2001:db9::/48"), a, env));

    m = {};
    m.protocols = {config::RouteSource::static_route, config::RouteSource::connected};
    CHECK_FALSE(matches(m, facts(), a, env));
    auto local = facts();
    local.source = config::RouteSource::connected;
    local.neighbor.reset();
    CHECK(matches(m, local, a, env));

    m = {};
    m.neighbors = {IpAddress(*Ipv6Address::parse("2001:db8:ff::1"))};
    CHECK(matches(m, facts(), a, env));
    CHECK_FALSE(matches(m, local, a, env));  // no neighbor

    m = {};
    m.communities = {config::Community{Community::make(65000, 2).value}, config::Community{Community::make(65000, 1).value}};
    CHECK(matches(m, facts(), a, env));
    m.communities = {config::Community{config::Community::kNoExport}};
    CHECK_FALSE(matches(m, facts(), a, env));

    m = {};
    m.large_communities = {config::LargeCommunity{65000, 1, 2}};
    CHECK(matches(m, facts(), a, env));
    m.large_communities = {config::LargeCommunity{65000, 1, 3}};
    CHECK_FALSE(matches(m, facts(), a, env));

    m = {};
    m.as_path_contains = {Asn(65010)};
    CHECK(matches(m, facts(), a, env));
    m.as_path_contains = {Asn(65030)};
    CHECK_FALSE(matches(m, facts(), a, env));

    m = {};
    m.origin_as = {Asn(65020)};
    CHECK(matches(m, facts(), a, env));
    m.origin_as = {Asn(65010)};  // in the path, but not the origin
    CHECK_FALSE(matches(m, facts(), a, env));

    // All conditions must hold.
    m = {};
    m.origin_as = {Asn(65020)};
    m.prefixes = {pm("2001:db9::/32", 32, 128)};
    CHECK_FALSE(matches(m, facts(), a, env));
}

TEST_CASE("policy: origin AS is the last ASN of a final sequence") {
    CHECK(origin_as(path_of({1, 2, 3})) == Asn(3));
    CHECK_FALSE(origin_as(AsPath{}));
    AsPath with_set = path_of({1});
    with_set.segments.push_back({AsPathSegment::Type::Set, {Asn(7), Asn(8)}});
    CHECK_FALSE(origin_as(with_set));
}

TEST_CASE("policy: set actions") {
    Environment env;
    env.local_as = Asn(65000);
    config::PolicySet s;
    s.local_preference = 250;
    s.med = 7;
    s.add_communities = {config::Community{Community::make(65000, 9).value}, config::Community{Community::make(65000, 1).value}};
    s.remove_communities = {config::Community{Community::make(65000, 1).value}};
    s.add_large_communities = {config::LargeCommunity{1, 2, 3}};
    s.remove_large_communities = {config::LargeCommunity{65000, 1, 2}};
    s.prepend = 2;
    auto a = attrs();
    apply_set(s, Direction::export_, env, a);
    CHECK(a.local_pref == 250u);
    CHECK(a.med == 7u);
    // Removed first, then added: 65000:1 is added back once; no duplicates.
    CHECK(a.communities == std::vector<Community>{Community::make(65000, 9), Community::make(65000, 1)});
    CHECK(a.large_communities == std::vector<LargeCommunity>{{1, 2, 3}});
    CHECK(a.as_path->to_string() == "65000 65000 65010 65020");

    auto b = attrs();
    apply_set(s, Direction::import, env, b);
    CHECK(b.as_path->to_string() == "65010 65020");  // prepend acts on export only
}

TEST_CASE("policy: terms in order, next-term accumulates, default action") {
    Environment env;
    config::Policy pol;
    config::PolicyTerm tag{"tag", {}, {}, config::TermAction::next_term};
    tag.set.med = 5;
    config::PolicyTerm drop_long{"drop-long", {}, {}, config::TermAction::reject};
    drop_long.match.prefixes = {pm("::/0", 49, 128)};
    config::PolicyTerm ok{"ok", {}, {}, config::TermAction::accept};
    ok.match.prefixes = {pm("2001:db8::/32", 32, 48)};
    ok.set.local_preference = 300;
    pol.terms = {tag, drop_long, ok};
    pol.default_action = config::TermAction::reject;

    auto r = evaluate(pol, Direction::import, facts("2001:db8:1::/48"), attrs(), env);
    CHECK(r.accepted);
    CHECK(r.decided_by == "ok");
    CHECK(r.attrs.med == 5u);
    CHECK(r.attrs.local_pref == 300u);

    r = evaluate(pol, Direction::import, facts("2001:db8:1:1::/64"), attrs(), env);
    CHECK_FALSE(r.accepted);
    CHECK(r.decided_by == "drop-long");

    r = evaluate(pol, Direction::import, facts("2001:db9::/32"), attrs(), env);
    CHECK_FALSE(r.accepted);
    CHECK(r.decided_by == "default-action");

    pol.default_action = config::TermAction::accept;
    r = evaluate(pol, Direction::import, facts("2001:db9::/32"), attrs(), env);
    CHECK(r.accepted);
    CHECK(r.attrs.med == 5u);  // the next-term set stays
}
