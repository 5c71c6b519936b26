#include <catch2/catch.hpp>
#include <string>

#include "lib/asn.hpp"
#include "lib/result.hpp"

using namespace isthmus;

TEST_CASE("AS numbers in asplain and asdot", "[asn]") {
    CHECK(Asn::parse("65001")->value() == 65001);
    CHECK(Asn::parse("4200000000")->value() == 4200000000u);
    CHECK(Asn::parse("1.10")->value() == 65546u);
    CHECK(Asn::parse("0").error() == "AS number 0 is reserved (RFC 7607)");
    CHECK(Asn::parse("4294967296").error() == "\"4294967296\" is not an AS number (1..4294967295 or asdot x.y)");
    CHECK(Asn::parse("1.65536").error() == "\"1.65536\" is not an AS number (1..4294967295 or asdot x.y)");
    CHECK(Asn::parse("as1").error() == "\"as1\" is not an AS number (1..4294967295 or asdot x.y)");
}

TEST_CASE("AS_TRANS stands in for 4-octet ASNs", "[asn]") {
    CHECK(Asn(65001).as_two_octet() == 65001);
    CHECK(Asn(65536).is_four_octet());
    CHECK(Asn(65536).as_two_octet() == Asn::kTrans);
    CHECK(Asn(64512).is_private());
    CHECK(Asn(4200000000u).is_private());
    CHECK_FALSE(Asn(3320).is_private());
    CHECK(Asn(3320).to_string() == "3320");
}

TEST_CASE("router ids", "[asn]") {
    auto id = RouterId::parse("192.0.2.1");
    REQUIRE(id);
    CHECK(id->value() == 0xc0000201u);
    CHECK(id->to_string() == "192.0.2.1");
    CHECK(id->to_address() == *Ipv4Address::parse("192.0.2.1"));
    CHECK(RouterId::parse("0.0.0.0").error() == "router id 0.0.0.0 is not allowed");
    CHECK(RouterId::parse("1.2.3").error() == "\"1.2.3\" is not a router id (dotted quad)");
    CHECK(RouterId(1) < RouterId(2));
}

TEST_CASE("Result holds a value or an error", "[result]") {
    Result<int, std::string> good = 5;
    Result<int, std::string> bad = err(std::string("boom"));
    CHECK(good.ok());
    CHECK(*good == 5);
    CHECK(good.value_or(7) == 5);
    CHECK_FALSE(bad);
    CHECK(bad.error() == "boom");
    CHECK(bad.value_or(7) == 7);
    CHECK_THROWS_AS(bad.value(), std::logic_error);
    CHECK_THROWS_AS(good.error(), std::logic_error);
    Status<std::string> s = ok_unit;
    CHECK(s);
    Result<std::string, int> moved = std::string("abc");
    std::string taken = std::move(moved).value();
    CHECK(taken == "abc");
}
