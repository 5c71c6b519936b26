#include <catch2/catch.hpp>

#include "lib/mpls_label.hpp"

using namespace isthmus;

TEST_CASE("labels are 20-bit and checked", "[label]") {
    CHECK(MplsLabel::from_value(0xFFFFF));
    CHECK_FALSE(MplsLabel::from_value(0x100000));
    CHECK(MplsLabel::checked(16).value() == 16);
    CHECK_THROWS_AS(MplsLabel::checked(1u << 20), std::out_of_range);
    CHECK(MplsLabel::parse("1048576").error() == "MPLS label 1048576 is larger than 1048575 (20 bits)");
    CHECK(MplsLabel::parse("-1").error() == "\"-1\" is not an MPLS label");
    CHECK(MplsLabel::parse("").error() == "\"\" is not an MPLS label");
    CHECK(MplsLabel::parse("16x").error() == "\"16x\" is not an MPLS label");
}

TEST_CASE("reserved labels have names", "[label]") {
    CHECK(MplsLabel::ipv4_explicit_null().value() == 0);
    CHECK(MplsLabel::router_alert().value() == 1);
    CHECK(MplsLabel::ipv6_explicit_null().value() == 2);
    CHECK(MplsLabel::implicit_null().value() == 3);
    CHECK(MplsLabel::implicit_null().is_implicit_null());
    CHECK(MplsLabel::ipv6_explicit_null().is_explicit_null());
    CHECK(MplsLabel::ipv4_explicit_null().is_explicit_null());
    CHECK_FALSE(MplsLabel::router_alert().is_explicit_null());
    CHECK(MplsLabel::checked(15).is_reserved());
    CHECK_FALSE(MplsLabel::checked(16).is_reserved());
    CHECK(MplsLabel::ipv6_explicit_null().to_string() == "ipv6-explicit-null");
    CHECK(MplsLabel::checked(300).to_string() == "300");
    CHECK(*MplsLabel::parse("implicit-null") == MplsLabel::implicit_null());
    CHECK(*MplsLabel::parse("ipv6-explicit-null") == MplsLabel::ipv6_explicit_null());
}

TEST_CASE("label stacks are outer first", "[label]") {
    LabelStack s{MplsLabel::checked(200), MplsLabel::ipv6_explicit_null()};
    CHECK(s.size() == 2);
    CHECK(s.top().value() == 200);
    CHECK(s.bottom() == MplsLabel::ipv6_explicit_null());
    CHECK(s.to_string() == "200/2");
    auto p = LabelStack::parse("200/2");
    REQUIRE(p);
    CHECK(*p == s);
    CHECK(LabelStack::parse("200/x").error() == "\"x\" is not an MPLS label");
    CHECK(LabelStack().empty());
    CHECK(LabelStack().to_string().empty());
    CHECK(LabelStack{MplsLabel::checked(16)} < s);
}

TEST_CASE("label stacks are bounded", "[label]") {
    LabelStack s;
    for (std::size_t i = 0; i < LabelStack::kCapacity; ++i) REQUIRE(s.push_back(MplsLabel::checked(16 + i)));
    CHECK_FALSE(s.push_back(MplsLabel::checked(100)));
    CHECK(s.size() == LabelStack::kCapacity);
    CHECK(LabelStack::parse("16/17/18/19/20/21/22/23/24").error() == "label stack deeper than 8");
    std::size_t n = 0;
    for (auto l : s) CHECK(l.value() == 16 + n++);
    CHECK(n == LabelStack::kCapacity);
}
