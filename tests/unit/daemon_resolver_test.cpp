// Resolution of 6PE next hops onto LSPs (DECISIONS 2, 4, 5) against a fake core.
#include <catch2/catch.hpp>

#include <map>

#include "daemon/resolver/egress.hpp"
#include "daemon/resolver/labels.hpp"
#include "daemon/resolver/next_hops.hpp"

using namespace isthmus;
using namespace isthmus::daemon::resolver;
using ldp::label::LspNextHop;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
Ipv4Prefix p4(const char* s) { return *Ipv4Prefix::parse(s); }
MplsLabel L(uint32_t v) { return MplsLabel::checked(v); }

// Longest-match IPv4 routes and an LSP table, as the monitor and ldp/ would give them.
struct FakeCore : CoreView {
    std::map<Ipv4Prefix, uint32_t> routes;  // prefix -> metric
    std::map<Ipv4Prefix, std::vector<LspNextHop>> lsps;
    std::map<Ipv6Address, uint32_t> interfaces6;

    std::optional<CoreRoute> route_to(const Ipv4Address& a) const override {
        std::optional<CoreRoute> best;
        for (const auto& [p, metric] : routes)
            if (p.contains(a) && (!best || p.length() > best->prefix.length())) best = CoreRoute{p, metric};
        return best;
    }
    const std::vector<LspNextHop>* lsp(const Ipv4Prefix& fec) const override {
        auto it = lsps.find(fec);
        return it == lsps.end() ? nullptr : &it->second;
    }
    std::optional<uint32_t> ipv6_interface(const Ipv6Address& a) const override {
        auto it = interfaces6.find(a);
        if (it == interfaces6.end()) return std::nullopt;
        return it->second;
    }
};

}  // namespace

TEST_CASE("label stacks follow DECISIONS item 5", "[resolver]") {
    CHECK(stack_for(L(300), L(2))->to_string() == "300/2");          // explicit null under the LDP label
    CHECK(stack_for(L(300), L(50001))->to_string() == "300/50001");  // per-prefix label
    CHECK(stack_for(L(300), L(3))->to_string() == "300");            // BGP implicit null: LDP only
    CHECK(stack_for(L(3), L(50001))->to_string() == "50001");        // PHP: the egress is the next hop
    CHECK(stack_for(L(3), L(2))->to_string() == "2");
    CHECK(stack_for(L(3), L(3))->to_string() == "2");                // both null: IPv6 explicit null
    CHECK(stack_for(L(0), L(50001))->to_string() == "0/50001");      // LDP IPv4 explicit null is legal
    CHECK(stack_for(L(300), L(0)).error() == "BGP label 0 (ipv4-explicit-null) is reserved and cannot be pushed");
    CHECK(stack_for(L(300), L(1)).error() == "BGP label 1 (router-alert) is reserved and cannot be pushed");
    for (uint32_t v = 4; v <= 15; ++v)
        CHECK(stack_for(L(300), L(v)).error() == "BGP label " + std::to_string(v) + " is reserved and cannot be pushed");
    CHECK(stack_for(L(7), L(50001)).error() == "LDP label 7 is reserved and cannot be pushed");
}

TEST_CASE("an egress PE resolves through the FEC of the kernel route, with ECMP", "[resolver]") {
    FakeCore core;
    core.routes[p4("192.0.2.2/32")] = 20;
    core.routes[p4("192.0.2.0/24")] = 5;
    core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(300)}, {v4("10.0.2.2"), 4, L(17)}};
    auto r = resolve_egress(v4("192.0.2.2"), L(2), core);
    REQUIRE(r.resolved());
    CHECK(r.igp_cost == 20);
    CHECK(r.fec == p4("192.0.2.2/32"));
    REQUIRE(r.paths.size() == 2);
    CHECK(r.paths[0] == ForwardingPath{v4("10.0.1.2"), 3, LabelStack{L(300), L(2)}});
    CHECK(r.paths[1] == ForwardingPath{v4("10.0.2.2"), 4, LabelStack{L(17), L(2)}});
}

TEST_CASE("unresolved next hops say why", "[resolver]") {
    FakeCore core;
    auto none = resolve_egress(v4("192.0.2.2"), L(2), core);
    CHECK_FALSE(none.resolved());
    CHECK(none.reason == "no IPv4 route to the egress PE 192.0.2.2");

    // A covering route whose FEC LDP does not carry: no label, even though /32 FECs exist elsewhere.
    core.routes[p4("192.0.2.0/24")] = 5;
    core.lsps[p4("192.0.2.9/32")] = {{v4("10.0.1.2"), 3, L(300)}};
    auto nolabel = resolve_egress(v4("192.0.2.2"), L(2), core);
    CHECK(nolabel.reason == "no LDP label for 192.0.2.0/24 (the route to 192.0.2.2)");
    CHECK(nolabel.fec == p4("192.0.2.0/24"));

    core.lsps[p4("192.0.2.0/24")] = {};
    CHECK(resolve_egress(v4("192.0.2.2"), L(2), core).reason ==
          "no LDP label for 192.0.2.0/24 (the route to 192.0.2.2)");

    core.lsps[p4("192.0.2.0/24")] = {{v4("10.0.1.2"), 3, L(300)}};
    auto reserved = resolve_egress(v4("192.0.2.2"), L(1), core);
    CHECK_FALSE(reserved.resolved());
    CHECK(reserved.reason == "BGP label 1 (router-alert) is reserved and cannot be pushed (egress PE 192.0.2.2)");
}

TEST_CASE("one unusable LDP next hop leaves the others", "[resolver]") {
    FakeCore core;
    core.routes[p4("192.0.2.2/32")] = 1;
    core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(9)}, {v4("10.0.2.2"), 4, L(3)}};
    auto r = resolve_egress(v4("192.0.2.2"), L(50007), core);
    REQUIRE(r.paths.size() == 1);
    CHECK(r.paths[0] == ForwardingPath{v4("10.0.2.2"), 4, LabelStack{L(50007)}});
}

TEST_CASE("the RIB's next-hop view: usable only onto a labelled path (DECISIONS 2)", "[resolver]") {
    FakeCore core;
    NextHopTracker tracker(core);
    core.routes[p4("192.0.2.2/32")] = 30;
    auto no_lsp = tracker.lookup(v4("192.0.2.2"));
    CHECK_FALSE(no_lsp.usable);
    CHECK(no_lsp.reason == "no LDP label for 192.0.2.2/32 (the route to 192.0.2.2)");
    core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(3)}};
    tracker.invalidate();  // what the daemon does on every core change
    auto ok = tracker.lookup(v4("192.0.2.2"));
    CHECK(ok.usable);
    CHECK(ok.igp_cost == 30);

    auto ce = *Ipv6Address::parse("2001:db8:ce::1");
    CHECK(tracker.lookup(ce).reason == "no IPv6 route to 2001:db8:ce::1");
    core.interfaces6[ce] = 2;
    tracker.invalidate();
    CHECK(tracker.lookup(ce).usable);
}

// ---- the stateful resolver ----
#include "daemon/resolver/resolver.hpp"

namespace {

struct Recorder : ForwardingSink {
    std::map<Ipv6Prefix, std::vector<netlink::Path>> routes;
    int sets = 0, removes = 0, replaces = 0;
    void set_route(const Ipv6Prefix& p, std::span<const netlink::Path> paths) override {
        routes[p].assign(paths.begin(), paths.end());
        ++sets;
    }
    void remove_route(const Ipv6Prefix& p) override {
        routes.erase(p);
        ++removes;
    }
    std::map<uint32_t, netlink::MplsRoute> mpls;
    int mpls_sets = 0, mpls_removes = 0;
    void set_mpls_route(const netlink::MplsRoute& r) override {
        mpls[r.in_label.value()] = r;
        ++mpls_sets;
    }
    void remove_mpls_route(MplsLabel l) override {
        mpls.erase(l.value());
        ++mpls_removes;
    }
    bool replace_forwarding(const netlink::Forwarding& from, const netlink::Forwarding& to) override {
        ++replaces;
        bool any = false;
        for (auto& [_, paths] : routes)
            for (auto& path : paths)
                if (path.forwarding == from) {
                    path.forwarding = to;
                    any = true;
                }
        return any;
    }
};

Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }

bgp::rib::SelectedPath six_pe(const char* egress, uint32_t label) {
    bgp::rib::SelectedPath p;
    p.next_hop.mapped = v4(egress);
    p.labels = LabelStack{L(label)};
    return p;
}

bgp::rib::BestPathSet set_of(const char* prefix, std::vector<bgp::rib::SelectedPath> paths) {
    return {p6(prefix), std::move(paths)};
}

std::string stacks(const std::vector<netlink::Path>& paths) {
    std::string out;
    for (const auto& p : paths) out += (out.empty() ? "" : " ") + netlink::to_string(p.forwarding);
    return out;
}

struct Lab {
    FakeCore core;
    Recorder sink;
    Resolver resolver{core, sink};
    Lab() {
        core.routes[p4("192.0.2.2/32")] = 20;
        core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(300)}};
        core.routes[p4("192.0.2.3/32")] = 20;
        core.lsps[p4("192.0.2.3/32")] = {{v4("10.0.1.2"), 3, L(301)}};
    }
};

}  // namespace

TEST_CASE("prefixes behind one egress share its forwarding; an LDP label change is one replace", "[resolver]") {
    Lab lab;
    lab.resolver.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 2)}));
    lab.resolver.update(set_of("2001:db8:2::/48", {six_pe("192.0.2.2", 2)}));
    CHECK(lab.sink.sets == 2);
    REQUIRE(lab.sink.routes.size() == 2);
    const auto& first = lab.sink.routes[p6("2001:db8:1::/48")];
    REQUIRE(first.size() == 1);
    CHECK(first[0].forwarding == netlink::Forwarding::six_pe(v4("10.0.1.2"), 3, LabelStack{L(300), L(2)}));

    // P re-advertises 192.0.2.2/32 with another label: no per-prefix work.
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(444)}};
    lab.resolver.core_changed();
    CHECK(lab.sink.sets == 2);
    CHECK(lab.sink.replaces == 1);
    CHECK(lab.resolver.stats().object_replaces == 1);
    for (const auto& p : {"2001:db8:1::/48", "2001:db8:2::/48"}) {
        CHECK(lab.sink.routes[p6(p)][0].forwarding ==
              netlink::Forwarding::six_pe(v4("10.0.1.2"), 3, LabelStack{L(444), L(2)}));
        CHECK(lab.resolver.prefix(p6(p))->paths[0].forwarding == lab.sink.routes[p6(p)][0].forwarding);
    }

    // The IGP moves to another core next hop (one way out still): again one replace.
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.2.2"), 4, L(17)}};
    lab.resolver.core_changed();
    CHECK(lab.sink.sets == 2);
    CHECK(lab.sink.replaces == 2);
    CHECK(stacks(lab.sink.routes[p6("2001:db8:2::/48")]) == netlink::to_string(
              netlink::Forwarding::six_pe(v4("10.0.2.2"), 4, LabelStack{L(17), L(2)})));
}

TEST_CASE("a change in the number of ways out re-points the prefixes; no LSP removes them", "[resolver]") {
    Lab lab;
    lab.resolver.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 2)}));
    lab.core.lsps[p4("192.0.2.2/32")].push_back({v4("10.0.2.2"), 4, L(17)});
    lab.resolver.core_changed();
    CHECK(lab.sink.sets == 2);
    CHECK(lab.sink.routes[p6("2001:db8:1::/48")].size() == 2);

    lab.core.lsps.erase(p4("192.0.2.2/32"));
    lab.resolver.core_changed();
    CHECK(lab.sink.removes == 1);
    CHECK(lab.sink.routes.empty());
    auto st = lab.resolver.prefix(p6("2001:db8:1::/48"));
    REQUIRE(st);
    CHECK_FALSE(st->installed);
    CHECK(st->unresolved == std::vector<std::string>{"no LDP label for 192.0.2.2/32 (the route to 192.0.2.2)"});

    // The LSP comes back: installed again.
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(300)}};
    lab.resolver.core_changed();
    CHECK(lab.sink.routes.count(p6("2001:db8:1::/48")) == 1);
    CHECK(lab.resolver.prefix(p6("2001:db8:1::/48"))->installed);
}

TEST_CASE("multipath across egress PEs is one ECMP set; CE paths use the IPv6 gateway", "[resolver]") {
    Lab lab;
    lab.resolver.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 50001), six_pe("192.0.2.3", 50007)}));
    REQUIRE(lab.sink.routes[p6("2001:db8:1::/48")].size() == 2);
    CHECK(stacks(lab.sink.routes[p6("2001:db8:1::/48")]).find("300/50001") != std::string::npos);
    CHECK(stacks(lab.sink.routes[p6("2001:db8:1::/48")]).find("301/50007") != std::string::npos);

    bgp::rib::SelectedPath ce;
    ce.next_hop.ipv6 = *Ipv6Address::parse("2001:db8:ce::2");
    ce.from_ebgp = true;
    lab.resolver.update(set_of("2001:db8:99::/48", {ce}));
    CHECK(lab.sink.routes.count(p6("2001:db8:99::/48")) == 0);
    CHECK(lab.resolver.prefix(p6("2001:db8:99::/48"))->unresolved ==
          std::vector<std::string>{"no IPv6 route to the CE next hop 2001:db8:ce::2"});
    lab.core.interfaces6[*Ipv6Address::parse("2001:db8:ce::2")] = 7;
    lab.resolver.update(set_of("2001:db8:99::/48", {}));
    lab.resolver.update(set_of("2001:db8:99::/48", {ce}));
    REQUIRE(lab.sink.routes[p6("2001:db8:99::/48")].size() == 1);
    CHECK(lab.sink.routes[p6("2001:db8:99::/48")][0].forwarding ==
          netlink::Forwarding::ipv6(*Ipv6Address::parse("2001:db8:ce::2"), 7));

    // Withdrawn: removed, and the egress entries it alone used are forgotten.
    lab.resolver.update(set_of("2001:db8:1::/48", {}));
    CHECK(lab.sink.routes.count(p6("2001:db8:1::/48")) == 0);
    CHECK(lab.resolver.egress(v4("192.0.2.3"), L(50007)) == nullptr);
    CHECK_FALSE(lab.resolver.prefix(p6("2001:db8:1::/48")).has_value());
}

TEST_CASE("an unchanged best-path set sends nothing; local routes are not installed", "[resolver]") {
    Lab lab;
    lab.resolver.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 2)}));
    auto again = six_pe("192.0.2.2", 2);
    again.from_ebgp = false;
    lab.resolver.update(set_of("2001:db8:1::/48", {again}));
    CHECK(lab.sink.sets == 1);
    bgp::rib::SelectedPath local;
    local.local = true;
    local.next_hop.ipv6 = *Ipv6Address::parse("2001:db8:ce::2");
    lab.resolver.update(set_of("2001:db8:5::/48", {local}));
    CHECK(lab.sink.routes.count(p6("2001:db8:5::/48")) == 0);
    CHECK(lab.sink.sets == 1);
}

TEST_CASE("flat mode with a label per prefix: a core change costs one replace per prefix, no route work",
          "[resolver]") {
    Lab lab;
    for (uint32_t i = 0; i < 1000; ++i) {
        std::string p = "2001:db8:" + std::to_string(i) + "::/48";
        lab.resolver.update(set_of(p.c_str(), {six_pe("192.0.2.2", 50000 + i)}));
    }
    CHECK(lab.sink.sets == 1000);
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(555)}};
    lab.resolver.core_changed();
    CHECK(lab.sink.sets == 1000);
    CHECK(lab.sink.replaces == 1000);
}

namespace {

// Hierarchical mode: the recirculation port at ifindex 9, local labels from 90000.
struct HierLab : Lab {
    LabelAllocator labels;
    Resolver hier{core, sink, ResolverOptions{RecirculationPortRef{v4("169.254.77.2"), 9}, &labels}};
};

netlink::Forwarding into_port(uint32_t local, uint32_t bgp) {
    return netlink::Forwarding::six_pe(v4("169.254.77.2"), 9, LabelStack{L(local), L(bgp)});
}

}  // namespace

TEST_CASE("hierarchical: per-prefix labels push [local, BGP] into the port; an LSP change is one LFIB replace",
          "[resolver]") {
    HierLab lab;
    // 100 prefixes behind 192.0.2.2, each with its own BGP label (per-prefix mode on the egress).
    for (uint32_t i = 0; i < 100; ++i) {
        auto p = "2001:db8:" + std::to_string(i + 1) + "::/48";
        lab.hier.update(set_of(p.c_str(), {six_pe("192.0.2.2", 60000 + i)}));
    }
    CHECK(lab.sink.sets == 100);
    REQUIRE(lab.sink.mpls.size() == 1);
    const auto& lfib = lab.sink.mpls.begin()->second;
    uint32_t local = lfib.in_label.value();
    CHECK(local >= 90000);
    CHECK(netlink::to_string(lfib) == netlink::to_string(netlink::MplsRoute::swap(
                                          L(local), LabelStack{L(300)}, v4("10.0.1.2"), 3)));
    CHECK(lab.sink.routes[p6("2001:db8:5::/48")][0].forwarding == into_port(local, 60004));

    // The LDP label of the egress changes: one LFIB replace, no route or object touched.
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.2.2"), 4, L(777)}};
    lab.hier.core_changed();
    CHECK(lab.sink.sets == 100);
    CHECK(lab.sink.replaces == 0);
    CHECK(lab.sink.mpls_sets == 2);
    CHECK(lab.hier.stats().transport_replaces == 1);
    CHECK(netlink::to_string(lab.sink.mpls[local]) ==
          netlink::to_string(netlink::MplsRoute::swap(L(local), LabelStack{L(777)}, v4("10.0.2.2"), 4)));
}

TEST_CASE("hierarchical: implicit null from the next hop pops; implicit-null BGP label pushes explicit null",
          "[resolver]") {
    HierLab lab;
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, MplsLabel::implicit_null()}};
    bgp::rib::SelectedPath bird;  // BIRD and FRR send label 3 for their own routes
    bird.next_hop.mapped = v4("192.0.2.2");
    bird.labels = LabelStack{MplsLabel::implicit_null()};
    lab.hier.update(set_of("2001:db8:1::/48", {bird}));
    REQUIRE(lab.sink.mpls.size() == 1);
    uint32_t local = lab.sink.mpls.begin()->first;
    CHECK(netlink::to_string(lab.sink.mpls[local]) ==
          netlink::to_string(netlink::MplsRoute::pop(L(local), v4("10.0.1.2"), 3)));
    CHECK(lab.sink.routes[p6("2001:db8:1::/48")][0].forwarding == into_port(local, 2));
}

TEST_CASE("hierarchical: losing the LSP removes the routes and the LFIB entry; the label stays with the egress",
          "[resolver]") {
    HierLab lab;
    lab.hier.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 60000)}));
    uint32_t local = lab.sink.mpls.begin()->first;
    lab.core.lsps.erase(p4("192.0.2.2/32"));
    lab.hier.core_changed();
    CHECK(lab.sink.routes.empty());
    CHECK(lab.sink.mpls.empty());
    CHECK(lab.hier.prefix(p6("2001:db8:1::/48"))->unresolved ==
          std::vector<std::string>{"no LDP label for 192.0.2.2/32 (the route to 192.0.2.2)"});
    lab.core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(300)}};
    lab.hier.core_changed();
    CHECK(lab.sink.mpls.count(local) == 1);
    CHECK(lab.sink.routes[p6("2001:db8:1::/48")][0].forwarding == into_port(local, 60000));

    // The last prefix goes: the label returns to the allocator and the entry leaves the kernel.
    lab.hier.update(set_of("2001:db8:1::/48", {}));
    CHECK(lab.sink.mpls.empty());
    CHECK(lab.labels.used(LabelClient::recirculation) == 0);
}

TEST_CASE("hierarchical: a prefix moving between BGP labels of one egress keeps the egress's local label",
          "[resolver]") {
    HierLab lab;
    lab.hier.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 60000)}));
    uint32_t local = lab.sink.mpls.begin()->first;
    lab.hier.update(set_of("2001:db8:1::/48", {six_pe("192.0.2.2", 60001)}));
    CHECK(lab.sink.mpls_removes == 0);
    CHECK(lab.sink.routes[p6("2001:db8:1::/48")][0].forwarding == into_port(local, 60001));
}

TEST_CASE("next-hop tracker: answers are cached until invalidate(); without a kernel a route is enough",
          "[resolver]") {
    FakeCore core;
    core.routes[p4("192.0.2.2/32")] = 20;
    NextHopTracker pe(core);
    CHECK_FALSE(pe.lookup(v4("192.0.2.2")).usable);  // no LSP yet
    core.lsps[p4("192.0.2.2/32")] = {{v4("10.0.1.2"), 3, L(300)}};
    CHECK_FALSE(pe.lookup(v4("192.0.2.2")).usable);  // cached until the core change is announced
    pe.invalidate();
    auto s = pe.lookup(v4("192.0.2.2"));
    CHECK(s.usable);
    CHECK(s.igp_cost == 20);

    NextHopTracker reflector(core, false);
    core.lsps.clear();
    CHECK(reflector.lookup(v4("192.0.2.2")).usable);
    CHECK(reflector.lookup(v4("192.0.2.2")).igp_cost == 20);
    CHECK(reflector.lookup(v4("198.51.100.1")).reason == "no IPv4 route to 198.51.100.1");
}
