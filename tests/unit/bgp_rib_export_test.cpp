// Export rules: route reflection (RFC 4456), well-known communities, eBGP split horizon,
// export policies, and update groups.
#include <catch2/catch.hpp>

#include "bgp/rib/export.hpp"
#include "bgp_rib_fixture.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::rib;
using namespace isthmus::bgp::rib::test;

TEST_CASE("rib export: iBGP routes are not passed between non-clients, reflected to and from clients") {
    Fixture fx;
    auto n2 = pe(2), n3 = pe(3), c4 = pe(4, true), c5 = pe(5, true);
    fx.up(2, n2);
    fx.up(3, n3);
    fx.up(4, c4);
    fx.up(5, c5);
    // From a non-client: to clients only.
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:1::/48"}, attrs_with({65202}), label(3)));
    fx.rib->flush();
    CHECK(drain(*fx.rib, PeerId{3}, n3).table.empty());
    auto s4 = drain(*fx.rib, PeerId{4}, c4);
    REQUIRE(s4.table.size() == 1);
    auto& r = s4.table.at(p6("2001:db8:1::/48"));
    // Reflected 6PE routes keep next hop and label.
    CHECK(r.next_hop == NextHop{MappedNextHop{v4("192.0.2.2")}});
    CHECK(r.labels == LabelStack{label(3)});
    CHECK(r.attrs.originator_id == RouterId(0xC0000202u));
    CHECK(r.attrs.cluster_list == std::vector<RouterId>{RouterId::from_address(v4("192.0.2.1"))});
    CHECK(drain(*fx.rib, PeerId{5}, c5).table.size() == 1);
    CHECK(drain(*fx.rib, PeerId{2}, n2).table.empty());

    // From a client: to everyone (the client itself drops it by ORIGINATOR_ID), ORIGINATOR_ID kept if set.
    auto a = attrs_with({65404});
    a.originator_id = RouterId(0x0A0A0A0A);
    a.cluster_list = {RouterId(0x0B0B0B0B)};
    fx.rib->receive(PeerId{4}, six_pe(v4("192.0.2.4"), {"2001:db8:4::/48"}, a, label(1000)));
    fx.rib->flush();
    auto s2 = drain(*fx.rib, PeerId{2}, n2);
    REQUIRE(s2.table.size() == 1);
    auto& r2 = s2.table.at(p6("2001:db8:4::/48"));
    CHECK(r2.attrs.originator_id == RouterId(0x0A0A0A0A));
    CHECK(r2.attrs.cluster_list ==
          std::vector<RouterId>{RouterId::from_address(v4("192.0.2.1")), RouterId(0x0B0B0B0B)});
    CHECK(r2.labels == LabelStack{label(1000)});
    CHECK(drain(*fx.rib, PeerId{3}, n3).table.size() == 1);
    CHECK(drain(*fx.rib, PeerId{5}, c5).table.size() == 1);
}

TEST_CASE("rib export: NO_EXPORT stays in the AS, NO_ADVERTISE goes nowhere") {
    Fixture fx;
    auto c1 = ce(1), c2 = ce(2), p3 = pe(3);
    fx.up(1, c1);
    fx.up(2, c2);
    fx.up(3, p3);
    auto ne = attrs_with({65101});
    ne.communities = {Community::no_export()};
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:10::/48"}, ne));
    auto na = attrs_with({65101});
    na.communities = {Community::make(1, 1), Community::no_advertise()};
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:11::/48"}, na));
    auto plain = attrs_with({65101});
    fx.rib->receive(PeerId{1}, unicast(c1, {"2001:db8:12::/48"}, plain));
    fx.rib->flush();
    auto to_pe = drain(*fx.rib, PeerId{3}, p3);
    CHECK(to_pe.table.size() == 2);
    CHECK(to_pe.table.count(p6("2001:db8:10::/48")));
    CHECK(to_pe.table.at(p6("2001:db8:10::/48")).attrs.communities == std::vector<Community>{Community::no_export()});
    auto to_ce = drain(*fx.rib, PeerId{2}, c2);
    REQUIRE(to_ce.table.size() == 1);
    // eBGP to eBGP: our AS in front, next hop ours on that link, not back to CE1.
    auto& r = to_ce.table.at(p6("2001:db8:12::/48"));
    CHECK(r.attrs.as_path->to_string() == "65000 65101");
    CHECK(r.next_hop == NextHop{Ipv6NextHop{v6("2001:db8:c2::1"), std::nullopt}});
    CHECK(drain(*fx.rib, PeerId{1}, c1).table.empty());
}

TEST_CASE("rib export: export policy sets attributes and prepends; rejects what it rejects") {
    auto cfg = base_config();
    config::PolicyTerm only{"only-b", {}, {}, config::TermAction::accept};
    only.match.prefixes = {{p6("2001:db8:20::/44"), 44, 64}};
    only.set.med = 77;
    only.set.prepend = 2;
    only.set.add_communities = {config::Community{Community::make(65000, 5).value}};
    config::Policy out;
    out.terms = {only};
    cfg.policies.emplace("to-ce", out);
    Fixture fx(cfg);
    auto c1 = ce(1), p2 = pe(2);
    c1.export_policy = "to-ce";
    fx.up(1, c1);
    fx.up(2, p2);
    fx.rib->receive(PeerId{2}, six_pe(v4("192.0.2.2"), {"2001:db8:20::/48", "2001:db8:30::/48"}, attrs_with({65202})));
    fx.rib->flush();
    auto s = drain(*fx.rib, PeerId{1}, c1);
    REQUIRE(s.table.size() == 1);
    auto& r = s.table.at(p6("2001:db8:20::/48"));
    CHECK(r.attrs.med == 77u);
    CHECK(r.attrs.as_path->to_string() == "65000 65000 65000 65202");
    CHECK(r.attrs.communities == std::vector<Community>{Community::make(65000, 5)});
}

TEST_CASE("rib export: the rules one by one (export_route)") {
    auto cfg = base_config();
    auto src = ce(1), tgt = ce(2), ipe = pe(3);
    PathAttributes a = attrs_with({65101});
    Path path{PeerId{1}, Family::Ipv6Unicast, std::make_shared<const PathAttributes>(a), {}, {}, false,
              config::RouteSource::bgp, 0};
    path.next_hop.ipv6 = v6("2001:db8:c1::2");
    ExportInput in{p6("2001:db8:40::/48"), &path, &src, false, &tgt, Family::Ipv6Unicast, std::nullopt};
    CHECK(export_route(in, cfg).route);
    in.target_is_source = true;
    CHECK(export_route(in, cfg).veto == ExportVeto::split_horizon_ebgp);
    in.target_is_source = false;
    auto no_pol = ce(2, false);
    in.target = &no_pol;
    CHECK(export_route(in, cfg).veto == ExportVeto::policy);  // RFC 8212
    auto no_addr = ce(2);
    no_addr.local_ipv6.reset();
    in.target = &no_addr;
    CHECK(export_route(in, cfg).veto == ExportVeto::no_local_address);
    // To a 6PE peer: our label when we have one.
    in.target = &ipe;
    in.family = Family::Ipv6Labeled;
    in.own_label = label(50000);
    auto r = export_route(in, cfg);
    REQUIRE(r.route);
    CHECK(r.route->labels == LabelStack{label(50000)});
    CHECK(sends_family(ipe, Family::Ipv6Labeled));
    CHECK_FALSE(sends_family(ipe, Family::Ipv6Unicast));  // never plain unicast over IPv4
    CHECK_FALSE(sends_family(tgt, Family::Ipv6Labeled));
}

TEST_CASE("rib export: peers with the same export settings share one update group") {
    Fixture fx;
    auto c1 = ce(1);
    fx.up(1, c1);
    for (uint32_t i = 2; i < 12; ++i) fx.up(i, pe(int(i)));
    auto odd = pe(12);
    odd.export_policy = "all";  // a different policy: its own group
    fx.up(12, odd);
    std::vector<const char*> many;
    std::vector<std::string> names;
    for (int i = 0; i < 300; ++i) names.push_back("2001:db8:" + std::to_string(1000 + i) + "::/48");
    for (auto& n : names) many.push_back(n.c_str());
    fx.rib->receive(PeerId{1}, unicast(c1, many, attrs_with({65101})));
    fx.rib->flush();
    auto first = drain(*fx.rib, PeerId{2}, pe(2));
    CHECK(first.table.size() == 300);
    CHECK(first.updates.size() == 1);  // 300 * (1 + 6 + 3) bytes fit one 4096-byte message
    for (uint32_t i = 3; i < 12; ++i) CHECK(drain(*fx.rib, PeerId{i}, pe(int(i))).updates == first.updates);
    CHECK(drain(*fx.rib, PeerId{12}, odd).table.size() == 300);
}
