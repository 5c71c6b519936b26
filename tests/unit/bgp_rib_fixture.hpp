#pragma once
// Test doubles and builders for the RIB tests: a fake next-hop view (DECISIONS 2), an observer
// that records what the RIB reports, peers as the session would describe them, UPDATE builders,
// and a decoder for what the RIB sends.
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <vector>

#include "bgp/codec/message.hpp"
#include "bgp/rib/rib.hpp"

namespace isthmus::bgp::rib::test {

inline Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
inline Ipv6Address v6(const char* s) { return *Ipv6Address::parse(s); }
inline Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse(s); }
inline MplsLabel label(uint32_t v) { return *MplsLabel::from_value(v); }

inline AsPath path_of(std::initializer_list<uint32_t> asns) {
    AsPath p;
    if (asns.size() == 0) return p;
    AsPathSegment s{AsPathSegment::Type::Sequence, {}};
    for (auto a : asns) s.asns.push_back(Asn(a));
    p.segments.push_back(s);
    return p;
}

// Every next hop is usable with cost 10 unless told otherwise.
struct FakeView : NextHopView {
    std::map<Ipv4Address, NextHopState> pe;
    std::map<Ipv6Address, NextHopState> ce;
    NextHopState lookup(const Ipv4Address& a) const override {
        auto it = pe.find(a);
        return it == pe.end() ? NextHopState{true, 10, {}} : it->second;
    }
    NextHopState lookup(const Ipv6Address& a) const override {
        auto it = ce.find(a);
        return it == ce.end() ? NextHopState{true, 0, {}} : it->second;
    }
};

struct Recorder : RibObserver {
    std::vector<PeerId> ready;
    std::map<Ipv6Prefix, BestPathSet> best;
    int best_changes = 0;
    std::map<uint32_t, EgressLabel> lfib;
    std::vector<std::pair<PeerId, Family>> refresh;
    void output_ready(PeerId id) override { ready.push_back(id); }
    void best_changed(const BestPathSet& s) override {
        ++best_changes;
        if (s.paths.empty())
            best.erase(s.prefix);
        else
            best.insert_or_assign(s.prefix, s);
    }
    void egress_label_added(const EgressLabel& e) override { lfib.insert_or_assign(e.label.value(), e); }
    void egress_label_removed(MplsLabel l) override { lfib.erase(l.value()); }
    void send_route_refresh(PeerId id, Family f) override { refresh.emplace_back(id, f); }
};

inline constexpr uint32_t kLocalAs = 65000;

inline RibConfig base_config() {
    RibConfig c;
    c.router_id = RouterId::from_address(v4("192.0.2.1"));
    c.local_as = Asn(kLocalAs);
    c.cluster_id = c.router_id;
    config::Policy accept_all;
    accept_all.default_action = config::TermAction::accept;
    c.policies.emplace("all", accept_all);
    return c;
}

inline Negotiated negotiated(bool ibgp, std::vector<Family> families) {
    Negotiated n;
    n.receive.peer = n.send.peer = ibgp ? PeerKind::Internal : PeerKind::External;
    n.families = std::move(families);
    n.route_refresh = true;
    return n;
}

// An iBGP 6PE peer at 192.0.2.<n>, our session from 192.0.2.1.
inline PeerFacts pe(int n, bool rr_client = false) {
    PeerFacts f;
    f.address = Ipv4Address::from_uint(0xC0000200u + uint32_t(n));
    f.remote_as = Asn(kLocalAs);
    f.router_id = RouterId(0xC0000200u + uint32_t(n));
    f.ibgp = true;
    f.route_reflector_client = rr_client;
    f.negotiated = negotiated(true, {Family::Ipv6Labeled});
    f.local_ipv4 = v4("192.0.2.1");
    return f;
}

// A CE at 2001:db8:c<n>::2 in AS 6500<n>, our side ::1, policies "all" both ways.
inline PeerFacts ce(int n, bool with_policies = true) {
    PeerFacts f;
    auto base = "2001:db8:c" + std::to_string(n) + "::";
    f.address = *Ipv6Address::parse(base + "2");
    f.remote_as = Asn(65100 + uint32_t(n));
    f.router_id = RouterId(0x0A000000u + uint32_t(n));
    f.ibgp = false;
    f.negotiated = negotiated(false, {Family::Ipv6Unicast});
    f.local_ipv6 = *Ipv6Address::parse(base + "1");
    if (with_policies) f.import_policy = f.export_policy = "all";
    return f;
}

inline PathAttributes attrs_with(std::initializer_list<uint32_t> asns) {
    PathAttributes a;
    a.origin = Origin::Igp;
    a.as_path = path_of(asns);
    return a;
}

// IPv6 unicast from a CE: next hop its address.
inline Update unicast(const PeerFacts& from, std::vector<const char*> prefixes, PathAttributes a) {
    Update u;
    u.attrs = std::move(a);
    MpReach r;
    r.family = Family::Ipv6Unicast;
    r.next_hop = Ipv6NextHop{from.address.v6(), std::nullopt};
    for (auto p : prefixes) r.v6.push_back({p6(p), 0, {}});
    u.mp_reach = r;
    return u;
}

// 6PE from an iBGP peer: next hop ::ffff:<egress>, one label per prefix.
inline Update six_pe(Ipv4Address egress, std::vector<const char*> prefixes, PathAttributes a,
                     MplsLabel l = MplsLabel::ipv6_explicit_null()) {
    Update u;
    if (!a.local_pref) a.local_pref = 100;
    u.attrs = std::move(a);
    MpReach r;
    r.family = Family::Ipv6Labeled;
    r.next_hop = MappedNextHop{egress};
    for (auto p : prefixes) r.v6.push_back({p6(p), 0, {l}});
    u.mp_reach = r;
    return u;
}

inline Update unreach(Family f, std::vector<const char*> prefixes) {
    Update u;
    MpUnreach w;
    w.family = f;
    for (auto p : prefixes) w.v6.push_back({p6(p), 0, {}});
    u.mp_unreach = w;
    return u;
}

// What a peer got, decoded.
struct Sent {
    std::vector<Update> updates;
    // Announced prefixes, last state wins; withdrawn ones removed.
    struct Route {
        PathAttributes attrs;
        NextHop next_hop;
        LabelStack labels;
    };
    std::map<Ipv6Prefix, Route> table;
    std::vector<Ipv6Prefix> withdrawn;
    int end_of_ribs = 0;
};

inline Sent drain(Rib& rib, PeerId id, const PeerFacts& facts) {
    Sent s;
    Context ctx = facts.negotiated.send;
    for (auto& bytes : rib.take_output(id)) {
        auto m = decode(bytes, ctx);
        INFO((m ? std::string() : m.error().to_string()));
        REQUIRE(m);
        auto& u = std::get<Update>(*m);
        REQUIRE(u.errors.empty());
        if (u.end_of_rib()) ++s.end_of_ribs;
        if (u.mp_unreach)
            for (auto& n : u.mp_unreach->v6) {
                s.withdrawn.push_back(n.prefix);
                s.table.erase(n.prefix);
            }
        if (u.mp_reach)
            for (auto& n : u.mp_reach->v6) s.table.insert_or_assign(n.prefix, Sent::Route{u.attrs, u.mp_reach->next_hop, n.labels});
        s.updates.push_back(std::move(u));
    }
    return s;
}

// A RIB with its collaborators.
struct Fixture {
    FakeView view;
    Recorder obs;
    LabelAllocator alloc;
    std::optional<Rib> rib;
    explicit Fixture(RibConfig cfg = base_config()) { rib.emplace(std::move(cfg), alloc, view, obs); }
    void up(uint32_t id, const PeerFacts& f) {
        REQUIRE(rib->peer_up(PeerId{id}, f));
        drain(*rib, PeerId{id}, f);  // initial (empty) table and End-of-RIB
    }
};

}  // namespace isthmus::bgp::rib::test
