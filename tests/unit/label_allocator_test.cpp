// The one label allocator (DECISIONS.md item 1): ranges per client, reuse order, reserve, reload.
#include <catch2/catch.hpp>

#include <set>

#include "lib/label_allocator.hpp"

using namespace isthmus;

namespace {
config::LabelRanges small_ranges() {
    config::LabelRanges r;
    r.ldp = {MplsLabel::checked(16), MplsLabel::checked(19)};
    r.bgp = {MplsLabel::checked(100), MplsLabel::checked(101)};
    r.recirculation = {MplsLabel::checked(200), MplsLabel::checked(200)};
    return r;
}
}  // namespace

TEST_CASE("each client draws from its own range until it is exhausted", "[label-allocator]") {
    LabelAllocator a(small_ranges());
    std::set<uint32_t> ldp;
    for (int i = 0; i < 4; ++i) ldp.insert(a.allocate(LabelClient::ldp)->value());
    CHECK(ldp == std::set<uint32_t>{16, 17, 18, 19});
    CHECK_FALSE(a.allocate(LabelClient::ldp).has_value());
    CHECK(a.used(LabelClient::ldp) == 4);
    CHECK(a.allocate(LabelClient::bgp)->value() == 100);
    CHECK(a.allocate(LabelClient::recirculation)->value() == 200);
    CHECK_FALSE(a.allocate(LabelClient::recirculation).has_value());
}

TEST_CASE("released labels are reused oldest first, only after fresh ones", "[label-allocator]") {
    LabelAllocator a(small_ranges());
    auto l16 = *a.allocate(LabelClient::ldp);
    auto l17 = *a.allocate(LabelClient::ldp);
    CHECK(a.release(LabelClient::ldp, l17));
    CHECK(a.release(LabelClient::ldp, l16));
    // 18 and 19 were never used: they come first, then 17 (released first), then 16.
    CHECK(a.allocate(LabelClient::ldp)->value() == 18);
    CHECK(a.allocate(LabelClient::ldp)->value() == 19);
    CHECK(a.allocate(LabelClient::ldp)->value() == 17);
    CHECK(a.allocate(LabelClient::ldp)->value() == 16);
    CHECK_FALSE(a.allocate(LabelClient::ldp).has_value());
}

TEST_CASE("release of a label the client does not hold is refused", "[label-allocator]") {
    LabelAllocator a(small_ranges());
    CHECK_FALSE(a.release(LabelClient::ldp, MplsLabel::checked(16)));
    auto l = *a.allocate(LabelClient::ldp);
    CHECK_FALSE(a.release(LabelClient::bgp, l));
    CHECK(a.release(LabelClient::ldp, l));
    CHECK_FALSE(a.release(LabelClient::ldp, l));
    CHECK(a.used(LabelClient::ldp) == 0);
}

TEST_CASE("reserve takes a given label; allocate steps over it", "[label-allocator]") {
    LabelAllocator a(small_ranges());
    REQUIRE(a.reserve(LabelClient::ldp, MplsLabel::checked(17)).ok());
    auto dup = a.reserve(LabelClient::ldp, MplsLabel::checked(17));
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error() == "ldp label 17 is already in use");
    auto outside = a.reserve(LabelClient::bgp, MplsLabel::checked(17));
    REQUIRE_FALSE(outside.ok());
    CHECK(outside.error() == "bgp label 17 is outside its range 100..101");
    CHECK(a.allocate(LabelClient::ldp)->value() == 16);
    CHECK(a.allocate(LabelClient::ldp)->value() == 18);
    // A released label reserved again before reuse is not handed out twice.
    auto l18 = MplsLabel::checked(18);
    CHECK(a.release(LabelClient::ldp, l18));
    REQUIRE(a.reserve(LabelClient::ldp, l18).ok());
    CHECK(a.allocate(LabelClient::ldp)->value() == 19);
    CHECK_FALSE(a.allocate(LabelClient::ldp).has_value());
}

TEST_CASE("a reload moves the range; labels left outside it stay until released", "[label-allocator]") {
    LabelAllocator a(small_ranges());
    auto old = *a.allocate(LabelClient::bgp);  // 100
    auto r = small_ranges();
    r.bgp = {MplsLabel::checked(101), MplsLabel::checked(102)};
    a.set_ranges(r);
    CHECK(a.in_use(LabelClient::bgp, old));
    CHECK(a.allocate(LabelClient::bgp)->value() == 101);
    CHECK(a.allocate(LabelClient::bgp)->value() == 102);
    CHECK(a.release(LabelClient::bgp, old));
    // 100 is outside the range now: never handed out again.
    CHECK_FALSE(a.allocate(LabelClient::bgp).has_value());
}

TEST_CASE("a full range of labels is allocated and released at table scale", "[label-allocator]") {
    config::LabelRanges r;
    LabelAllocator a(r);
    std::vector<MplsLabel> got;
    while (auto l = a.allocate(LabelClient::bgp)) got.push_back(*l);
    CHECK(got.size() == r.bgp.size());
    for (auto l : got) REQUIRE(a.release(LabelClient::bgp, l));
    CHECK(a.used(LabelClient::bgp) == 0);
    CHECK(a.allocate(LabelClient::bgp)->value() == r.bgp.first.value());
}
