// 6PE label modes: explicit-null, per-prefix, per-nexthop, per-table. Labels come from the
// allocator's bgp range, stay stable across updates, are released when the route goes, and
// each needs an egress LFIB entry reported to the observer.
#include <catch2/catch.hpp>

#include "bgp_rib_fixture.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::rib;
using namespace isthmus::bgp::rib::test;

namespace {

RibConfig with_mode(config::LabelMode m) {
    auto c = base_config();
    c.label_mode = m;
    return c;
}

struct TwoCes : Fixture {
    PeerFacts c1 = ce(1), c2 = ce(2), p9 = pe(9);
    explicit TwoCes(config::LabelMode m) : Fixture(with_mode(m)) {
        up(1, c1);
        up(2, c2);
        up(9, p9);
    }
    Sent to_pe() {
        rib->flush();
        return drain(*rib, PeerId{9}, p9);
    }
};

}  // namespace

TEST_CASE("rib labels: per-prefix gives each prefix its own stable label, popped toward the CE") {
    TwoCes fx(config::LabelMode::per_prefix);
    fx.rib->receive(PeerId{1}, unicast(fx.c1, {"2001:db8:1::/48", "2001:db8:2::/48"}, attrs_with({65101})));
    auto s = fx.to_pe();
    auto l1 = s.table.at(p6("2001:db8:1::/48")).labels, l2 = s.table.at(p6("2001:db8:2::/48")).labels;
    REQUIRE(l1.size() == 1);
    CHECK(fx.alloc.range(LabelClient::bgp).contains(l1.top()));
    CHECK(l1 != l2);
    CHECK(fx.alloc.used(LabelClient::bgp) == 2);
    auto e = fx.obs.lfib.at(l1.top().value());
    CHECK(e.action == EgressLabel::Action::PopToNextHop);
    CHECK(e.next_hop == v6("2001:db8:c1::2"));
    // An update with new attributes keeps the label.
    auto a = attrs_with({65101});
    a.med = 9;
    fx.rib->receive(PeerId{1}, unicast(fx.c1, {"2001:db8:1::/48"}, a));
    CHECK(fx.to_pe().table.at(p6("2001:db8:1::/48")).labels == l1);
    // The same prefix now best via CE2 (shorter path... same length, lower router id wins: CE1);
    // withdraw from CE1 and it moves to CE2 with the same label, the LFIB entry follows.
    fx.rib->receive(PeerId{2}, unicast(fx.c2, {"2001:db8:1::/48"}, attrs_with({65102})));
    fx.rib->receive(PeerId{1}, unreach(Family::Ipv6Unicast, {"2001:db8:1::/48"}));
    CHECK(fx.to_pe().table.at(p6("2001:db8:1::/48")).labels == l1);
    CHECK(fx.obs.lfib.at(l1.top().value()).next_hop == v6("2001:db8:c2::2"));
    // Gone: label released, entry removed.
    fx.rib->receive(PeerId{2}, unreach(Family::Ipv6Unicast, {"2001:db8:1::/48"}));
    fx.to_pe();
    CHECK_FALSE(fx.alloc.in_use(LabelClient::bgp, l1.top()));
    CHECK_FALSE(fx.obs.lfib.count(l1.top().value()));
    CHECK(fx.alloc.used(LabelClient::bgp) == 1);
}

TEST_CASE("rib labels: per-nexthop shares a label per CE next hop") {
    TwoCes fx(config::LabelMode::per_nexthop);
    fx.rib->receive(PeerId{1}, unicast(fx.c1, {"2001:db8:1::/48", "2001:db8:2::/48"}, attrs_with({65101})));
    fx.rib->receive(PeerId{2}, unicast(fx.c2, {"2001:db8:3::/48"}, attrs_with({65102})));
    auto s = fx.to_pe();
    auto l1 = s.table.at(p6("2001:db8:1::/48")).labels.top();
    CHECK(s.table.at(p6("2001:db8:2::/48")).labels.top() == l1);
    auto l3 = s.table.at(p6("2001:db8:3::/48")).labels.top();
    CHECK(l3 != l1);
    CHECK(fx.alloc.used(LabelClient::bgp) == 2);
    CHECK(fx.obs.lfib.at(l3.value()).next_hop == v6("2001:db8:c2::2"));
    fx.rib->receive(PeerId{1}, unreach(Family::Ipv6Unicast, {"2001:db8:1::/48"}));
    CHECK(fx.alloc.in_use(LabelClient::bgp, l1));  // still used by 2001:db8:2::/48
    fx.rib->peer_down(PeerId{1}, false);
    CHECK_FALSE(fx.alloc.in_use(LabelClient::bgp, l1));
    CHECK(fx.obs.lfib.size() == 1);
}

TEST_CASE("rib labels: per-table uses one label that pops and looks up") {
    TwoCes fx(config::LabelMode::per_table);
    fx.rib->receive(PeerId{1}, unicast(fx.c1, {"2001:db8:1::/48"}, attrs_with({65101})));
    fx.rib->receive(PeerId{2}, unicast(fx.c2, {"2001:db8:3::/48"}, attrs_with({65102})));
    auto s = fx.to_pe();
    auto l = s.table.at(p6("2001:db8:1::/48")).labels.top();
    CHECK(s.table.at(p6("2001:db8:3::/48")).labels.top() == l);
    REQUIRE(fx.obs.lfib.size() == 1);
    CHECK(fx.obs.lfib.at(l.value()).action == EgressLabel::Action::PopAndLookup);
    CHECK(fx.rib->advertised_label(p6("2001:db8:1::/48")) == l);
}

TEST_CASE("rib labels: 6PE routes learned from iBGP get no label of ours") {
    TwoCes fx(config::LabelMode::per_prefix);
    auto p8 = pe(8);
    fx.up(8, p8);
    fx.rib->receive(PeerId{8}, six_pe(v4("192.0.2.8"), {"2001:db8:8::/48"}, attrs_with({65208}), label(777)));
    CHECK(fx.alloc.used(LabelClient::bgp) == 0);
    CHECK_FALSE(fx.rib->advertised_label(p6("2001:db8:8::/48")));
}

TEST_CASE("rib labels: a reload changing the label mode relabels and re-advertises") {
    auto cfg = with_mode(config::LabelMode::explicit_null);
    Fixture fx(cfg);
    auto c1 = ce(1), p9 = pe(9);
    fx.up(1, c1);
    fx.up(9, p9);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:1::/48"}, attrs_with({65101})));
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{9}, p9).table.at(p6("2001:db8:1::/48")).labels.top() == MplsLabel::ipv6_explicit_null());
    cfg.label_mode = config::LabelMode::per_prefix;
    fx.rib->reconfigure(cfg);
    fx.rib->flush();
    auto l = drain(*fx.rib, PeerId{9}, p9).table.at(p6("2001:db8:1::/48")).labels.top();
    CHECK_FALSE(l.is_reserved());
    CHECK(fx.obs.lfib.count(l.value()));
}

TEST_CASE("rib labels: an exhausted range falls back to explicit null and says so") {
    auto cfg = with_mode(config::LabelMode::per_prefix);
    Fixture fx(cfg);
    config::LabelRanges tiny;
    tiny.bgp = {label(50000), label(50000)};
    fx.alloc.set_ranges(tiny);
    auto c1 = ce(1), p9 = pe(9);
    fx.up(1, c1);
    fx.up(9, p9);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:1::/48", "2001:db8:2::/48"}, attrs_with({65101})));
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{9}, p9);
    CHECK(s.table.at(p6("2001:db8:1::/48")).labels.top() == label(50000));
    CHECK(s.table.at(p6("2001:db8:2::/48")).labels.top() == MplsLabel::ipv6_explicit_null());
    CHECK(fx.rib->counters().labels_exhausted == 1);
}

TEST_CASE("rib labels: per-nexthop local routes: a gateway gets its label, connected ones the lookup label") {
    auto cfg = with_mode(config::LabelMode::per_nexthop);
    cfg.redistribute.static_routes = true;
    cfg.redistribute.connected = true;
    Fixture fx(cfg);
    auto p9 = pe(9);
    fx.up(9, p9);
    fx.rib->originate({p6("2001:db8:e0::/48"), config::RouteSource::static_route, v6("2001:db8:ff::9"), 0});
    fx.rib->originate({p6("2001:db8:e1::/48"), config::RouteSource::static_route, v6("2001:db8:ff::9"), 0});
    fx.rib->originate({p6("2001:db8:e2::/64"), config::RouteSource::connected, std::nullopt, 0});
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{9}, p9);
    auto gw = s.table.at(p6("2001:db8:e0::/48")).labels.top();
    CHECK(s.table.at(p6("2001:db8:e1::/48")).labels.top() == gw);
    auto conn = s.table.at(p6("2001:db8:e2::/64")).labels.top();
    CHECK(conn != gw);
    CHECK(fx.obs.lfib.at(gw.value()).action == EgressLabel::Action::PopToNextHop);
    CHECK(fx.obs.lfib.at(gw.value()).next_hop == v6("2001:db8:ff::9"));
    CHECK(fx.obs.lfib.at(conn.value()).action == EgressLabel::Action::PopAndLookup);
    CHECK_FALSE(fx.obs.lfib.at(conn.value()).next_hop);
}
