#include <catch2/catch.hpp>
#include <map>
#include <unordered_set>

#include "lib/prefix.hpp"

using namespace isthmus;

TEST_CASE("prefixes are normalised", "[prefix]") {
    auto p = Ipv4Prefix::parse("10.1.2.3/8");
    REQUIRE(p);
    CHECK(p->to_string() == "10.0.0.0/8");
    CHECK(*p == *Ipv4Prefix::parse("10.0.0.0/8"));
    auto q = Ipv6Prefix::parse("2001:db8:a:b::1/48");
    REQUIRE(q);
    CHECK(q->to_string() == "2001:db8:a::/48");
    CHECK(Ipv6Prefix::parse("2001:db8::1/127")->to_string() == "2001:db8::/127");
    CHECK(Ipv6Prefix::parse("::/0")->to_string() == "::/0");
    CHECK(Ipv4Prefix::parse("10.255.255.255/31")->to_string() == "10.255.255.254/31");
    CHECK(Ipv4Prefix::make(*Ipv4Address::parse("10.0.0.1"), 40).length() == 32);
}

TEST_CASE("strict parsing refuses host bits", "[prefix]") {
    auto p = Ipv6Prefix::parse_strict("2001:db8::1/64");
    REQUIRE_FALSE(p);
    CHECK(p.error() == "\"2001:db8::1/64\" has host bits set (did you mean 2001:db8::/64?)");
    CHECK(Ipv6Prefix::parse_strict("2001:db8::/64"));
}

TEST_CASE("bad prefixes", "[prefix]") {
    CHECK(Ipv4Prefix::parse("10.0.0.0").error() == "\"10.0.0.0\" is not a prefix (missing /length)");
    CHECK(Ipv4Prefix::parse("10.0.0.0/33").error() == "\"10.0.0.0/33\" has a bad prefix length (0..32)");
    CHECK(Ipv6Prefix::parse("::/129").error() == "\"::/129\" has a bad prefix length (0..128)");
    CHECK(Ipv6Prefix::parse("::/").error() == "\"::/\" has a bad prefix length (0..128)");
    CHECK(Ipv6Prefix::parse("::/-1").error() == "\"::/-1\" has a bad prefix length (0..128)");
    CHECK(Ipv6Prefix::parse("::/6x").error() == "\"::/6x\" has a bad prefix length (0..128)");
    CHECK(Ipv4Prefix::parse("10.0.0/8").error() == "\"10.0.0/8\" is not a prefix: \"10.0.0\" is not an IPv4 address");
}

TEST_CASE("contains addresses and prefixes", "[prefix]") {
    auto p = *Ipv6Prefix::parse("2001:db8::/32");
    CHECK(p.contains(*Ipv6Address::parse("2001:db8:ffff::1")));
    CHECK_FALSE(p.contains(*Ipv6Address::parse("2001:db9::1")));
    CHECK(p.contains(*Ipv6Prefix::parse("2001:db8:1::/48")));
    CHECK(p.contains(p));
    CHECK_FALSE(p.contains(*Ipv6Prefix::parse("2001:db8::/31")));
    CHECK(Ipv6Prefix::parse("::/0")->contains(*Ipv6Address::parse("fe80::1")));
    auto v4 = *Ipv4Prefix::parse("10.0.0.0/30");
    CHECK(v4.contains(*Ipv4Address::parse("10.0.0.3")));
    CHECK_FALSE(v4.contains(*Ipv4Address::parse("10.0.0.4")));
    auto host = Ipv4Prefix::host(*Ipv4Address::parse("192.0.2.1"));
    CHECK(host.to_string() == "192.0.2.1/32");
    CHECK(host.contains(*Ipv4Address::parse("192.0.2.1")));
    CHECK_FALSE(host.contains(*Ipv4Address::parse("192.0.2.0")));
}

TEST_CASE("prefixes key ordered and hashed containers", "[prefix]") {
    std::map<Ipv6Prefix, int> m;
    m[*Ipv6Prefix::parse("2001:db8::/48")] = 1;
    m[*Ipv6Prefix::parse("2001:db8::/32")] = 2;
    m[*Ipv6Prefix::parse("2001:db8::1/48")] = 3;  // same network as the first
    CHECK(m.size() == 2);
    CHECK(m.begin()->first.length() == 32);
    std::unordered_set<Ipv4Prefix> s{*Ipv4Prefix::parse("10.0.0.0/8"), *Ipv4Prefix::parse("10.0.0.0/16"),
                                     *Ipv4Prefix::parse("10.9.0.0/8")};
    CHECK(s.size() == 2);
}
