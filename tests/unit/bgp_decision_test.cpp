// The decision process (RFC 4271 9.1): each comparison step alone, then select() with the
// MED rule, multipath and the tie-breaks in RFC order.
#include <catch2/catch.hpp>

#include "bgp/rib/decision.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::rib;

namespace {

AsPath path_of(std::initializer_list<uint32_t> asns) {
    AsPathSegment s{AsPathSegment::Type::Sequence, {}};
    for (auto a : asns) s.asns.push_back(Asn(a));
    return AsPath{{s}};
}

// Attributes live as long as the test: candidates point at them.
struct Attrs {
    std::vector<std::unique_ptr<PathAttributes>> all;
    const PathAttributes* make(std::initializer_list<uint32_t> asns = {65010}) {
        auto a = std::make_unique<PathAttributes>();
        a->origin = Origin::Igp;
        a->as_path = path_of(asns);
        all.push_back(std::move(a));
        return all.back().get();
    }
    PathAttributes* last() { return all.back().get(); }
};

Candidate cand(const PathAttributes* a, uint32_t router_id = 1, const char* peer = "10.0.0.1") {
    Candidate c;
    c.attrs = a;
    c.neighbor_as = Asn(65000);
    if (a->as_path && !a->as_path->segments.empty() && !a->as_path->segments[0].asns.empty())
        c.neighbor_as = a->as_path->segments[0].asns[0];
    c.router_id = RouterId(router_id);
    c.peer_address = *Ipv4Address::parse(peer);
    return c;
}

}  // namespace

TEST_CASE("decision: an unusable next hop loses (9.1.2.1, DECISIONS 2)") {
    Attrs at;
    auto a = cand(at.make()), b = cand(at.make());
    b.next_hop_usable = false;
    CHECK(compare_next_hop_usable(a, b) < 0);
    CHECK(compare_next_hop_usable(b, a) > 0);
    CHECK(compare_next_hop_usable(a, a) == 0);
    // Even the better path on every other step is not eligible.
    b.attrs = at.make();
    at.last()->local_pref = 500;
    auto sel = select(std::vector<Candidate>{a, b}, {});
    REQUIRE(sel == std::vector<std::size_t>{0});
    a.next_hop_usable = false;
    CHECK(select(std::vector<Candidate>{a, b}, {}).empty());
}

TEST_CASE("decision: highest LOCAL_PREF, missing counts as 100") {
    Attrs at;
    auto a = cand(at.make());
    at.last()->local_pref = 200;
    auto b = cand(at.make());
    CHECK(compare_local_pref(a, b) < 0);
    auto c = cand(at.make());
    at.last()->local_pref = 100;
    CHECK(compare_local_pref(b, c) == 0);
    auto d = cand(at.make());
    at.last()->local_pref = 99;
    CHECK(compare_local_pref(d, b) > 0);
}

TEST_CASE("decision: shortest AS path, an AS_SET counts as one") {
    Attrs at;
    auto a = cand(at.make({65010, 65020}));
    auto b = cand(at.make({65010}));
    at.last()->as_path->segments.push_back({AsPathSegment::Type::Set, {Asn(1), Asn(2), Asn(3)}});
    CHECK(compare_as_path_length(a, b) == 0);  // 2 == 1 + 1
    auto c = cand(at.make({65010, 65020, 65030}));
    CHECK(compare_as_path_length(a, c) < 0);
    auto confed = cand(at.make({65010}));
    at.last()->as_path->segments.push_back({AsPathSegment::Type::ConfedSequence, {Asn(7), Asn(8)}});
    CHECK(compare_as_path_length(confed, a) < 0);  // confederation segments count zero
}

TEST_CASE("decision: lowest origin") {
    Attrs at;
    auto igp = cand(at.make());
    auto egp = cand(at.make());
    at.last()->origin = Origin::Egp;
    auto inc = cand(at.make());
    at.last()->origin = Origin::Incomplete;
    CHECK(compare_origin(igp, egp) < 0);
    CHECK(compare_origin(egp, inc) < 0);
    CHECK(compare_origin(inc, igp) > 0);
}

TEST_CASE("decision: MED only between paths from the same neighbouring AS, missing = 0") {
    Attrs at;
    auto a = cand(at.make({65010}));
    at.last()->med = 10;
    auto b = cand(at.make({65010}));  // no MED: 0
    auto c = cand(at.make({65020}));
    at.last()->med = 50;
    CHECK(compare_med(a, b, false) > 0);
    CHECK(compare_med(a, c, false) == 0);  // different neighbour AS
    CHECK(compare_med(c, a, true) > 0);    // always-compare-med
}

TEST_CASE("decision: eBGP over iBGP, then lowest IGP cost") {
    Attrs at;
    auto e = cand(at.make()), i = cand(at.make());
    e.from_ebgp = true;
    CHECK(compare_ebgp_over_ibgp(e, i) < 0);
    auto near = cand(at.make()), far = cand(at.make());
    near.igp_cost = 10;
    far.igp_cost = 20;
    CHECK(compare_igp_cost(near, far) < 0);
    CHECK(compare_igp_cost(far, far) == 0);
}

TEST_CASE("decision: router id / ORIGINATOR_ID, cluster list length, peer address") {
    Attrs at;
    auto a = cand(at.make(), 5), b = cand(at.make(), 9);
    CHECK(compare_router_id(a, b) < 0);
    auto s = cand(at.make());
    at.last()->cluster_list = {RouterId(1)};
    auto l = cand(at.make());
    at.last()->cluster_list = {RouterId(1), RouterId(2)};
    CHECK(compare_cluster_list_length(s, l) < 0);
    auto p1 = cand(at.make(), 1, "10.0.0.1"), p2 = cand(at.make(), 1, "10.0.0.2");
    CHECK(compare_peer_address(p1, p2) < 0);
}

TEST_CASE("decision: select applies the steps in RFC order") {
    Attrs at;
    // Longer path but higher local-pref wins: local-pref comes first.
    auto lp = cand(at.make({1, 2, 3}), 9);
    at.last()->local_pref = 200;
    auto short_path = cand(at.make({1}), 1);
    CHECK(select(std::vector<Candidate>{short_path, lp}, {}) == std::vector<std::size_t>{1});
    // Worse origin, but shorter path: path length comes before origin.
    auto inc = cand(at.make({1}), 9);
    at.last()->origin = Origin::Incomplete;
    auto igp_long = cand(at.make({1, 2}), 1);
    CHECK(select(std::vector<Candidate>{igp_long, inc}, {}) == std::vector<std::size_t>{1});
    // A route of this router beats everything learned.
    auto local = cand(at.make({}), 50);
    local.local = true;
    auto learned = cand(at.make({1}), 1);
    at.last()->local_pref = 1000;
    CHECK(select(std::vector<Candidate>{learned, local}, {}) == std::vector<std::size_t>{1});
}

TEST_CASE("decision: MED elimination per neighbour AS is order independent") {
    // The classic non-transitive trio: A (AS1, MED 10, rid 3), B (AS1, MED 5, rid 2) and
    // C (AS2, MED 0, rid 1... but IGP cost higher). B removes A; B vs C falls to IGP cost.
    Attrs at;
    auto a = cand(at.make({1}), 3);
    at.last()->med = 10;
    auto b = cand(at.make({1}), 2);
    at.last()->med = 5;
    auto c = cand(at.make({2}), 1);
    a.igp_cost = 1;   // A is nearest but loses on MED to B
    b.igp_cost = 5;
    c.igp_cost = 7;
    std::vector<Candidate> v{a, b, c};
    for (int rot = 0; rot < 3; ++rot) {
        auto sel = select(v, {});
        REQUIRE(sel.size() == 1);
        CHECK(v[sel[0]].router_id == RouterId(2));  // B, whatever the order
        std::rotate(v.begin(), v.begin() + 1, v.end());
    }
}

TEST_CASE("decision: multipath groups paths equal up to the IGP cost, ordered by the tie-breaks") {
    Attrs at;
    auto pe1 = cand(at.make({65010}), 3, "10.0.0.3");
    auto pe2 = cand(at.make({65010}), 2, "10.0.0.2");
    auto pe3 = cand(at.make({65010}), 1, "10.0.0.1");
    pe3.igp_cost = 100;  // farther: not in the set
    std::vector<Candidate> v{pe1, pe2, pe3};
    CHECK(select(v, {false, 1}) == std::vector<std::size_t>{1});
    CHECK(select(v, {false, 4}) == std::vector<std::size_t>{1, 0});
    v[2].igp_cost = 0;
    CHECK(select(v, {false, 4}) == std::vector<std::size_t>{2, 1, 0});
    CHECK(select(v, {false, 2}) == std::vector<std::size_t>{2, 1});
    // A different path length is not equal: no multipath with it.
    auto longer = cand(at.make({65010, 65020}), 0, "10.0.0.0");
    v.push_back(longer);
    CHECK(select(v, {false, 8}).size() == 3);
}
