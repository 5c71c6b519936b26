#include <catch2/catch.hpp>
#include <unordered_set>

#include "lib/ip_address.hpp"

using namespace isthmus;

TEST_CASE("IPv4 addresses parse and print", "[address]") {
    auto a = Ipv4Address::parse("10.0.1.2");
    REQUIRE(a);
    CHECK(a->to_string() == "10.0.1.2");
    CHECK(a->to_uint() == 0x0a000102u);
    CHECK(Ipv4Address::from_uint(0x0a000102u) == *a);
    CHECK(a->bytes() == Ipv4Address::Bytes{10, 0, 1, 2});
}

TEST_CASE("IPv4 parse rejects what is not an address", "[address]") {
    for (auto bad : {"", "10.0.0.300", "10.0.0", "10.0.0.1.2", "::1", "10.0.0.1 ", "a.b.c.d"}) {
        auto a = Ipv4Address::parse(bad);
        REQUIRE_FALSE(a);
        CHECK(a.error() == "\"" + std::string(bad) + "\" is not an IPv4 address");
    }
}

TEST_CASE("IPv6 addresses print in RFC 5952 form", "[address]") {
    auto a = Ipv6Address::parse("2001:0DB8:0000:0000:0000:0000:0000:0001");
    REQUIRE(a);
    CHECK(a->to_string() == "2001:db8::1");
    CHECK(Ipv6Address::parse("fe80::1")->is_link_local());
    CHECK_FALSE(a->is_link_local());
    CHECK(Ipv6Address().is_unspecified());
    CHECK_FALSE(Ipv6Address::parse("2001:db8::g"));
    CHECK(Ipv6Address::parse("2001:db8::g").error() == "\"2001:db8::g\" is not an IPv6 address");
}

TEST_CASE("v4-mapped conversion both ways", "[address]") {
    auto v4 = *Ipv4Address::parse("192.0.2.7");
    auto mapped = Ipv6Address::v4_mapped(v4);
    CHECK(mapped.to_string() == "::ffff:192.0.2.7");
    CHECK(mapped.is_v4_mapped());
    REQUIRE(mapped.to_v4());
    CHECK(*mapped.to_v4() == v4);
    CHECK(*Ipv6Address::parse("::ffff:192.0.2.7") == mapped);
    // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 are not mapped.
    CHECK_FALSE(Ipv6Address::parse("::192.0.2.7")->is_v4_mapped());
    CHECK_FALSE(Ipv6Address::parse("64:ff9b::192.0.2.7")->to_v4());
    CHECK_FALSE(Ipv6Address::parse("2001:db8::ffff:c000:207")->to_v4());
}

TEST_CASE("IpAddress takes either family", "[address]") {
    auto a = IpAddress::parse("10.0.0.1");
    REQUIRE(a);
    CHECK(a->is_v4());
    auto b = IpAddress::parse("2001:db8::1");
    REQUIRE(b);
    CHECK(b->is_v6());
    CHECK(b->to_string() == "2001:db8::1");
    CHECK(IpAddress::parse("10.0.0.300").error() == "\"10.0.0.300\" is not an IPv4 or IPv6 address");
    CHECK(*a < *b);  // all IPv4 sort before IPv6
}

TEST_CASE("addresses order and hash", "[address]") {
    auto a = *Ipv4Address::parse("10.0.0.1"), b = *Ipv4Address::parse("10.0.0.2");
    CHECK(a < b);
    std::unordered_set<Ipv6Address> set{Ipv6Address::v4_mapped(a), Ipv6Address::v4_mapped(b),
                                        Ipv6Address::v4_mapped(a)};
    CHECK(set.size() == 2);
}
