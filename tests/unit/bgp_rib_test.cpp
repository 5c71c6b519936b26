// The RIB end to end with fakes: CE routes into 6PE, 6PE routes to CEs, the decision with the
// next-hop view, multipath, loop checks, ignored families, graceful restart, route refresh.
#include <catch2/catch.hpp>

#include "bgp/rib/attr_store.hpp"
#include "bgp_rib_fixture.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::rib;
using namespace isthmus::bgp::rib::test;

TEST_CASE("rib: attribute sets are interned and freed with their last user") {
    AttrStore store;
    auto a = store.intern(attrs_with({1, 2}));
    auto b = store.intern(attrs_with({1, 2}));
    auto c = store.intern(attrs_with({1, 3}));
    CHECK(a.get() == b.get());
    CHECK(a.get() != c.get());
    CHECK(store.size() == 2);
    a.reset();
    CHECK(store.size() == 2);  // b still uses it
    b.reset();
    CHECK(store.size() == 1);
    // A handle outliving the store is still safe to drop.
    Attrs kept;
    {
        AttrStore s2;
        kept = s2.intern(attrs_with({9}));
    }
    kept.reset();
}

TEST_CASE("rib: a CE route goes to 6PE peers as AFI 2/SAFI 4 with ::ffff:<update-source> and label 2") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2), p3 = pe(3);
    fx.up(1, c1);
    fx.up(2, p2);
    fx.up(3, p3);
    auto a = attrs_with({65101});
    a.med = 20;
    a.local_pref = 999;  // from eBGP: ignored
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:100::/48", "2001:db8:101::/48"}, a));
    REQUIRE(fx.obs.best.count(p6("2001:db8:100::/48")));
    CHECK(fx.obs.best.at(p6("2001:db8:100::/48")).paths.at(0).from_ebgp);
    CHECK_FALSE(fx.rib->has_output(PeerId{2}));  // batched until flush (MRAI)
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{2}, p2);
    REQUIRE(s.table.size() == 2);
    auto& r = s.table.at(p6("2001:db8:100::/48"));
    CHECK(r.next_hop == NextHop{MappedNextHop{v4("192.0.2.1")}});
    CHECK(r.labels == LabelStack{MplsLabel::ipv6_explicit_null()});
    CHECK(r.attrs.local_pref == 100u);             // ours, not the CE's 999
    CHECK(r.attrs.as_path->to_string() == "65101");  // no prepend toward iBGP
    CHECK(r.attrs.med == 20u);                     // a MED may go into our AS
    CHECK(s.updates.size() == 1);                  // both prefixes packed in one UPDATE
    CHECK(fx.obs.lfib.empty());                    // explicit null: nothing to install
    // The other 6PE peer is in the same update group: same bytes.
    auto s3 = drain(*fx.rib, PeerId{3}, p3);
    CHECK(s3.updates == s.updates);
    // Not back to the CE it came from.
    CHECK(drain(*fx.rib, PeerId{1}, c1).table.empty());
}

TEST_CASE("rib: RFC 8212, an eBGP session without policies takes and sends nothing") {
    Fixture fx;
    auto bare = ce(1, false), p2 = pe(2);
    fx.up(1, bare);
    fx.up(2, p2);
    fx.rib->receive(PeerId{1}, unicast(bare, {"2001:db8:100::/48"}, attrs_with({65101})));
    CHECK(fx.rib->loc_rib_size() == 0);
    CHECK(fx.rib->counters().import_rejected == 1);
    // iBGP passes without policy; the bare CE still gets nothing.
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:200::/48"}, attrs_with({65202})));
    fx.rib->flush();
    CHECK(fx.rib->loc_rib_size() == 1);
    CHECK(drain(*fx.rib, PeerId{1}, bare).table.empty());
}

TEST_CASE("rib: a 6PE route goes to CEs as IPv6 unicast with next-hop-self and our AS prepended") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    fx.up(1, c1);
    fx.up(2, p2);
    auto a = attrs_with({65202});
    a.med = 5;
    a.originator_id = RouterId(7);
    a.cluster_list = {RouterId(8)};
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:200::/48"}, a, label(3)));
    auto best = fx.obs.best.at(p6("2001:db8:200::/48"));
    CHECK(best.paths.at(0).next_hop.mapped == v4("192.0.2.2"));
    CHECK(best.paths.at(0).labels == LabelStack{label(3)});  // for the resolver (DECISIONS 5)
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{1}, c1);
    REQUIRE(s.table.size() == 1);
    auto& r = s.table.at(p6("2001:db8:200::/48"));
    CHECK(r.next_hop == NextHop{Ipv6NextHop{v6("2001:db8:c1::1"), std::nullopt}});
    CHECK(r.attrs.as_path->to_string() == "65000 65202");
    CHECK_FALSE(r.attrs.local_pref);
    CHECK_FALSE(r.attrs.med);  // never on to another AS
    CHECK_FALSE(r.attrs.originator_id);
    CHECK(r.attrs.cluster_list.empty());
    // Not advertised back into iBGP to the peer it came from (non-client).
    CHECK(drain(*fx.rib, PeerId{2}, p2).table.empty());
    // Withdrawal reaches the CE.
    fx.rib->receive(PeerId{2}, unreach(Family::Ipv6Labeled, {"2001:db8:200::/48"}));
    CHECK(fx.obs.best.empty());
    fx.rib->flush();
    s = drain(*fx.rib, PeerId{1}, c1);
    CHECK(s.withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:200::/48")});
}

TEST_CASE("rib: an unresolvable 6PE next hop is not eligible; best path re-runs when it resolves") {
    Fixture fx;
    auto p2 = pe(2), p3 = pe(3);
    fx.up(2, p2);
    fx.up(3, p3);
    fx.view.pe[v4("192.0.2.2")] = {false, 0, "no LSP"};
    auto pref = attrs_with({65300});
    pref.local_pref = 200;  // would win if eligible
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:300::/48"}, pref));
    CHECK(fx.obs.best.empty());
    fx.rib->receive(PeerId{3}, six_pe(v4("192.0.2.3"), {"2001:db8:300::/48"}, attrs_with({65300})));
    CHECK(fx.obs.best.at(p6("2001:db8:300::/48")).paths.at(0).next_hop.mapped == v4("192.0.2.3"));
    fx.view.pe[v4("192.0.2.2")] = {true, 10, {}};
    fx.rib->next_hops_changed();
    CHECK(fx.obs.best.at(p6("2001:db8:300::/48")).paths.at(0).next_hop.mapped == v4("192.0.2.2"));
    fx.view.pe[v4("192.0.2.2")] = {false, 0, "LSP gone"};
    fx.view.pe[v4("192.0.2.3")] = {false, 0, "LSP gone"};
    fx.rib->next_hops_changed();
    CHECK(fx.obs.best.empty());
}

TEST_CASE("rib: multipath across egress PEs, IGP cost and its overrides") {
    auto cfg = base_config();
    cfg.max_paths = 4;
    Fixture fx(cfg);
    auto p2 = pe(2), p3 = pe(3), p4 = pe(4);
    fx.up(2, p2);
    fx.up(3, p3);
    fx.up(4, p4);
    fx.view.pe[v4("192.0.2.4")] = {true, 30, {}};
    for (int i = 2; i <= 4; ++i)
        fx.rib->receive(PeerId{uint32_t(i)}, six_pe(Ipv4Address::from_uint(0xC0000200u + uint32_t(i)),
                                                    {"2001:db8:400::/48"}, attrs_with({65400})));
    auto& set = fx.obs.best.at(p6("2001:db8:400::/48")).paths;
    REQUIRE(set.size() == 2);  // PE4 is farther
    CHECK(set[0].next_hop.mapped == v4("192.0.2.2"));  // lowest router id first
    CHECK(set[1].next_hop.mapped == v4("192.0.2.3"));
    // FRR writes metric 20 for everything: the override decides instead.
    cfg.igp_cost_overrides = {{v4("192.0.2.2"), 50}, {v4("192.0.2.4"), 10}};
    fx.rib->reconfigure(cfg);
    auto& set2 = fx.obs.best.at(p6("2001:db8:400::/48")).paths;
    REQUIRE(set2.size() == 2);
    CHECK(set2[0].next_hop.mapped == v4("192.0.2.3"));
    CHECK(set2[1].next_hop.mapped == v4("192.0.2.4"));
    // Only the best path is advertised (no add-path): a CE sees one route.
}

TEST_CASE("rib: loop detection on import (AS_PATH, ORIGINATOR_ID, CLUSTER_LIST)") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    fx.up(1, c1);
    fx.up(2, p2);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:500::/48"}, attrs_with({65101, kLocalAs, 65102})));
    CHECK(fx.rib->counters().as_path_loops == 1);
    auto a = attrs_with({65202});
    a.originator_id = RouterId::from_address(v4("192.0.2.1"));
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:501::/48"}, a));
    CHECK(fx.rib->counters().originator_loops == 1);
    auto b = attrs_with({65202});
    b.cluster_list = {RouterId(5), RouterId::from_address(v4("192.0.2.1"))};
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:502::/48"}, b));
    CHECK(fx.rib->counters().cluster_loops == 1);
    CHECK(fx.rib->loc_rib_size() == 0);
    // A looped re-announcement withdraws the earlier good path.
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:503::/48"}, attrs_with({65101})));
    CHECK(fx.rib->loc_rib_size() == 1);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:503::/48"}, attrs_with({65101, kLocalAs})));
    CHECK(fx.rib->loc_rib_size() == 0);
}

TEST_CASE("rib: next-hop validation and families that are not 6PE are refused and counted") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    p2.negotiated.families.push_back(Family::Ipv6Unicast);
    fx.up(1, c1);
    fx.up(2, p2);
    // Plain IPv6 unicast over the IPv4 iBGP session.
    Update u = unicast(c1, {"2001:db8:600::/48"}, attrs_with({}));
    u.mp_reach->next_hop = MappedNextHop{v4("192.0.2.2")};
    fx.rib->receive(PeerId{2}, u);
    CHECK(fx.rib->counters().ignored_unicast_from_ipv4_ibgp == 1);
    // Labeled IPv6 with a native IPv6 next hop is not 6PE.
    Update l = six_pe(v4("192.0.2.2"), {"2001:db8:601::/48"}, attrs_with({}));
    l.mp_reach->next_hop = Ipv6NextHop{v6("2001:db8::2"), std::nullopt};
    fx.rib->receive(PeerId{2}, l);
    CHECK(fx.rib->counters().ignored_unlabeled_6pe == 1);
    // IPv4 unicast, and IPv4 NLRI with an RFC 8950 next hop.
    Update v4u;
    v4u.attrs = attrs_with({65101});
    v4u.attrs.next_hop = v4("10.0.0.2");
    v4u.nlri.push_back({*Ipv4Prefix::parse("10.1.0.0/16"), 0, {}});
    fx.rib->receive(PeerId{1}, v4u);
    Update enh;
    enh.attrs = attrs_with({65101});
    enh.mp_reach = MpReach{Family::Ipv4Unicast, Ipv6NextHop{v6("2001:db8:c1::2"), std::nullopt}, {{*Ipv4Prefix::parse("10.2.0.0/16"), 0, {}}}, {}};
    fx.rib->receive(PeerId{1}, enh);
    CHECK(fx.rib->counters().ignored_ipv4 == 2);
    // Bad next hops: our own address, a 6PE next hop of 0.0.0.0, a link-local global.
    Update self = unicast(c1, {"2001:db8:602::/48"}, attrs_with({65101}));
    self.mp_reach->next_hop = Ipv6NextHop{v6("2001:db8:c1::1"), std::nullopt};
    fx.rib->receive(PeerId{1}, self);
    fx.rib->receive(PeerId{2}, six_pe(v4("0.0.0.0"), {"2001:db8:603::/48"}, attrs_with({})));
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.1"), {"2001:db8:604::/48"}, attrs_with({})));
    Update ll = unicast(c1, {"2001:db8:605::/48"}, attrs_with({65101}));
    ll.mp_reach->next_hop = Ipv6NextHop{v6("fe80::2"), std::nullopt};
    fx.rib->receive(PeerId{1}, ll);
    CHECK(fx.rib->counters().bad_next_hops == 4);
    CHECK(fx.rib->loc_rib_size() == 0);
    // The sessions still work for good routes.
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:606::/48"}, attrs_with({65101})));
    CHECK(fx.rib->loc_rib_size() == 1);
}

TEST_CASE("rib: RFC 7606 treat-as-withdraw and AFI/SAFI disable") {
    Fixture fx;
    auto c1 = ce(1);
    fx.up(1, c1);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:700::/48", "2001:db8:701::/48"}, attrs_with({65101})));
    CHECK(fx.rib->loc_rib_size() == 2);
    auto bad = unicast(c1, {"2001:db8:700::/48"}, attrs_with({65101}));
    bad.errors.push_back(make_error(ErrorCode::UpdateMessage, update_error::kMalformedAsPath,
                                    ErrorAction::TreatAsWithdraw, 0, "test"));
    fx.rib->receive(PeerId{1}, bad);
    CHECK(fx.rib->loc_rib_size() == 1);
    CHECK(fx.rib->counters().treat_as_withdraw == 1);
    Update dis;
    auto e = make_error(ErrorCode::UpdateMessage, update_error::kOptionalAttributeError, ErrorAction::AfiSafiDisable, 0, "test");
    e.afi_safi = afi_safi_of(Family::Ipv6Unicast);
    dis.errors.push_back(e);
    fx.rib->receive(PeerId{1}, dis);
    CHECK(fx.rib->loc_rib_size() == 0);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:702::/48"}, attrs_with({65101})));
    CHECK(fx.rib->loc_rib_size() == 0);  // ignored until the session restarts
    fx.rib->peer_down(PeerId{1}, false);
    fx.up(1, c1);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:702::/48"}, attrs_with({65101})));
    CHECK(fx.rib->loc_rib_size() == 1);
}

TEST_CASE("rib: withdrawals come before announcements in a flush") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    fx.up(1, c1);
    fx.up(2, p2);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:800::/48"}, attrs_with({65101})));
    fx.rib->flush();
    drain(*fx.rib, PeerId{2}, p2);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:801::/48"}, attrs_with({65101})));
    fx.rib->receive(PeerId{1}, unreach(Family::Ipv6Unicast, {"2001:db8:800::/48"}));
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{2}, p2);
    REQUIRE(s.updates.size() == 2);
    CHECK(s.updates[0].mp_unreach);
    CHECK_FALSE(s.updates[0].mp_reach);
    CHECK(s.updates[1].mp_reach);
    // A route announced and withdrawn between two flushes is never sent.
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:802::/48"}, attrs_with({65101})));
    fx.rib->receive(PeerId{1}, unreach(Family::Ipv6Unicast, {"2001:db8:802::/48"}));
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{2}, p2).updates.empty());
}

TEST_CASE("rib: a peer coming up gets the table, then End-of-RIB") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    fx.up(1, c1);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:900::/48", "2001:db8:901::/48"}, attrs_with({65101})));
    REQUIRE(fx.rib->peer_up(PeerId{2}, p2));
    CHECK(std::find(fx.obs.ready.begin(), fx.obs.ready.end(), PeerId{2}) != fx.obs.ready.end());
    auto s = drain(*fx.rib, PeerId{2}, p2);
    CHECK(s.table.size() == 2);
    REQUIRE(s.end_of_ribs == 1);
    CHECK(s.updates.back().end_of_rib() == Family::Ipv6Labeled);
    CHECK(fx.rib->adj_rib_out_size(PeerId{2}) == 2);
    // Up twice is an error that changes nothing.
    CHECK_FALSE(fx.rib->peer_up(PeerId{2}, p2));
    CHECK(fx.rib->adj_rib_out_size(PeerId{2}) == 2);
}

TEST_CASE("rib: a session down withdraws its routes; a graceful one keeps them stale until End-of-RIB") {
    Fixture fx;
    auto p2 = pe(2), c1 = ce(1);
    p2.graceful_restart_families = {Family::Ipv6Labeled};
    fx.up(1, c1);
    fx.up(2, p2);
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:a00::/48", "2001:db8:a01::/48"}, attrs_with({65202})));
    fx.rib->flush();
    drain(*fx.rib, PeerId{1}, c1);
    fx.rib->peer_down(PeerId{2}, true);
    CHECK(fx.rib->loc_rib_size() == 2);  // forwarding goes on
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{1}, c1).updates.empty());
    fx.up(2, p2);
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:a00::/48"}, attrs_with({65202})));
    fx.rib->end_of_rib(PeerId{2}, Family::Ipv6Labeled);
    CHECK(fx.rib->loc_rib_size() == 1);  // only what did not come back is swept
    CHECK(fx.rib->best(p6("2001:db8:a00::/48")));
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{1}, c1).withdrawn == std::vector<Ipv6Prefix>{p6("2001:db8:a01::/48")});
    // Stale-timer expiry without a reconnect.
    fx.rib->peer_down(PeerId{2}, true);
    fx.rib->sweep_stale(PeerId{2});
    CHECK(fx.rib->loc_rib_size() == 0);
    // Not graceful: gone at once.
    fx.up(2, p2);
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:a02::/48"}, attrs_with({65202})));
    fx.rib->peer_down(PeerId{2}, false);
    CHECK(fx.rib->loc_rib_size() == 0);
}

TEST_CASE("rib: ROUTE-REFRESH re-sends the Adj-RIB-Out; soft clear in re-applies or asks") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    fx.up(1, c1);
    fx.up(2, p2);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:b00::/48"}, attrs_with({65101})));
    fx.rib->flush();
    drain(*fx.rib, PeerId{2}, p2);
    fx.rib->route_refresh_received(PeerId{2}, Family::Ipv6Labeled);
    auto s = drain(*fx.rib, PeerId{2}, p2);
    CHECK(s.table.size() == 1);
    CHECK(s.end_of_ribs == 0);

    // Route refresh supported and no soft reconfiguration: ask the peer.
    fx.rib->soft_clear_in(PeerId{1});
    REQUIRE(fx.obs.refresh.size() == 1);
    CHECK(fx.obs.refresh[0] == std::make_pair(PeerId{1}, Family::Ipv6Unicast));

    // With the pre-policy copy: a changed import policy applies without the peer.
    auto cfg = base_config();
    Fixture fx2(cfg);
    auto c3 = ce(3);
    c3.soft_reconfiguration_inbound = true;
    fx2.up(3, c3);
    fx2.rib->receive(PeerId{3}, unicast(c3, {"2001:db8:b01::/48"}, attrs_with({65103})));
    CHECK(fx2.rib->best(p6("2001:db8:b01::/48"))->paths.at(0).attrs->local_pref == std::nullopt);
    config::PolicyTerm t{"lp", {}, {}, config::TermAction::accept};
    t.set.local_preference = 300;
    cfg.policies["all"].terms = {t};
    fx2.rib->reconfigure(cfg);
    fx2.rib->soft_clear_in(PeerId{3});
    CHECK(fx2.obs.refresh.empty());
    CHECK(fx2.rib->best(p6("2001:db8:b01::/48"))->paths.at(0).attrs->local_pref == 300u);
}

TEST_CASE("rib: local routes are originated per redistribute settings and policy") {
    auto cfg = base_config();
    cfg.redistribute.static_routes = true;
    config::PolicyTerm no_long{"no-long", {}, {}, config::TermAction::reject};
    no_long.match.prefixes = {{*Ipv6Prefix::parse("::/0"), 64, 128}};
    config::Policy redist;
    redist.terms = {no_long};
    redist.default_action = config::TermAction::accept;
    cfg.policies.emplace("redist", redist);
    cfg.redistribute.policy = "redist";
    Fixture fx(cfg);
    auto p2 = pe(2);
    fx.up(2, p2);
    fx.rib->originate({p6("2001:db8:c00::/48"), config::RouteSource::static_route, v6("2001:db8:c1::2"), 0});
    fx.rib->originate({p6("2001:db8:c01::/64"), config::RouteSource::static_route, std::nullopt, 0});  // policy rejects
    fx.rib->originate({p6("2001:db8:c02::/48"), config::RouteSource::connected, std::nullopt, 0});  // not enabled
    CHECK(fx.rib->loc_rib_size() == 1);
    CHECK(fx.obs.best.at(p6("2001:db8:c00::/48")).paths.at(0).local);
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{2}, p2);
    REQUIRE(s.table.size() == 1);
    auto& r = s.table.at(p6("2001:db8:c00::/48"));
    CHECK(r.next_hop == NextHop{MappedNextHop{v4("192.0.2.1")}});
    CHECK(r.attrs.as_path->segments.empty());
    CHECK(r.attrs.origin == Origin::Igp);
    fx.rib->withdraw_local(p6("2001:db8:c00::/48"), config::RouteSource::static_route);
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{2}, p2).withdrawn.size() == 1);
}

TEST_CASE("rib: RibConfig comes from a validated config") {
    config::Config c;
    CHECK_FALSE(RibConfig::from(c));
    c.router_id = RouterId::from_address(v4("192.0.2.1"));
    c.bgp = config::Bgp{};
    c.bgp->local_as = Asn(65000);
    c.bgp->label_mode = config::LabelMode::per_table;
    c.bgp->max_paths = 3;
    auto r = RibConfig::from(c);
    REQUIRE(r);
    CHECK(r->cluster_id == c.router_id);  // router id unless configured
    CHECK(r->label_mode == config::LabelMode::per_table);
    CHECK(r->max_paths == 3);
    c.bgp->cluster_id = RouterId(42);
    CHECK(RibConfig::from(c)->cluster_id == RouterId(42));
}

TEST_CASE("rib: after our own restart, nothing is sent until the deferral ends") {
    Fixture fx;
    fx.rib->begin_deferral();
    auto c1 = ce(1), p2 = pe(2);
    REQUIRE(fx.rib->peer_up(PeerId{1}, c1));
    REQUIRE(fx.rib->peer_up(PeerId{2}, p2));
    CHECK_FALSE(fx.rib->has_output(PeerId{2}));  // no End-of-RIB: the helper keeps our stale routes
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:d00::/48"}, attrs_with({65101})));
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:d01::/48"}, attrs_with({65202})));
    fx.rib->flush();
    CHECK_FALSE(fx.rib->has_output(PeerId{1}));
    CHECK_FALSE(fx.rib->has_output(PeerId{2}));
    CHECK(fx.rib->deferring());
    fx.rib->end_deferral();
    CHECK_FALSE(fx.rib->deferring());
    auto s2 = drain(*fx.rib, PeerId{2}, p2);
    CHECK(s2.table.size() == 1);
    CHECK(s2.table.count(p6("2001:db8:d00::/48")));
    CHECK(s2.end_of_ribs == 1);
    CHECK(s2.updates.back().end_of_rib());
    auto s1 = drain(*fx.rib, PeerId{1}, c1);
    CHECK(s1.table.size() == 1);
    CHECK(s1.table.count(p6("2001:db8:d01::/48")));
    CHECK(s1.end_of_ribs == 1);
    // Afterwards, batching works as usual.
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:d02::/48"}, attrs_with({65101})));
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{2}, p2).table.size() == 1);
}

TEST_CASE("rib: enhanced route refresh (RFC 7313) both ways") {
    Fixture fx;
    auto c1 = ce(1), p2 = pe(2);
    p2.negotiated.enhanced_route_refresh = true;
    fx.up(1, c1);
    fx.up(2, p2);
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:f00::/48"}, attrs_with({65101})));
    fx.rib->flush();
    drain(*fx.rib, PeerId{2}, p2);
    // Served: BoRR, the table, EoRR.
    fx.rib->route_refresh_received(PeerId{2}, Family::Ipv6Labeled);
    auto out = fx.rib->take_output(PeerId{2});
    REQUIRE(out.size() == 3);
    auto first = decode(out.front(), p2.negotiated.send);
    auto last = decode(out.back(), p2.negotiated.send);
    REQUIRE(first);
    REQUIRE(last);
    CHECK(std::get<RouteRefresh>(*first) ==
          RouteRefresh{afi_safi_of(Family::Ipv6Labeled), route_refresh_subtype::kBeginningOfRibRefresh});
    CHECK(std::get<RouteRefresh>(*last) ==
          RouteRefresh{afi_safi_of(Family::Ipv6Labeled), route_refresh_subtype::kEndOfRibRefresh});
    CHECK(std::holds_alternative<Update>(*decode(out[1], p2.negotiated.send)));
    // A family the peer does not get: nothing.
    fx.rib->route_refresh_received(PeerId{2}, Family::Ipv6Unicast);
    CHECK_FALSE(fx.rib->has_output(PeerId{2}));
    // Received: what the peer does not re-send between BoRR and EoRR goes.
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:f01::/48", "2001:db8:f02::/48"}, attrs_with({65202})));
    fx.rib->begin_route_refresh(PeerId{2}, Family::Ipv6Labeled);
    CHECK(fx.rib->loc_rib_size() == 3);
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:f01::/48"}, attrs_with({65202})));
    fx.rib->end_route_refresh(PeerId{2}, Family::Ipv6Labeled);
    CHECK(fx.rib->loc_rib_size() == 2);
    CHECK(fx.rib->best(p6("2001:db8:f01::/48")));
    CHECK_FALSE(fx.rib->best(p6("2001:db8:f02::/48")));
}
