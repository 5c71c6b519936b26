// The label base (RFC 5036 A.1 procedures, downstream unsolicited, liberal retention, ordered and
// independent control) driven by hand: no sockets, no clock.
#include <catch2/catch.hpp>

#include "ldp/label/label_base.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::label;

namespace {

Ipv4Address ip(const char* s) { return Ipv4Address::parse(s).value(); }
Ipv4Prefix pfx(const char* s) { return Ipv4Prefix::parse(s).value(); }
MplsLabel lab(uint32_t v) { return MplsLabel::checked(v); }

const LdpId kA{RouterId(0x0a000002), 0};  // 10.0.0.2, link 10.1.0.2 on ifindex 5
const LdpId kB{RouterId(0x0a000003), 0};  // 10.0.0.3, link 10.2.0.2 on ifindex 6
const Ipv4Prefix kFec = pfx("10.0.0.9/32");  // a remote PE's loopback

Message msg(MessageBody b, uint32_t id = 1) { return Message{id, std::move(b), false}; }
Message mapping(const Ipv4Prefix& p, uint32_t label) { return msg(LabelMapping{{p}, lab(label), {}, {}, {}, {}}); }
Message addresses(std::vector<Ipv4Address> a) { return msg(Address{AddressList{std::move(a)}, {}}); }

Route route(const Ipv4Prefix& p, std::vector<NextHop> nhs) { return Route{p, std::move(nhs), 20}; }

template <class T>
std::vector<T> sent(const Effects& e, const LdpId& to) {
    std::vector<T> out;
    for (const auto& m : e.messages)
        if (m.peer == to)
            if (const auto* x = std::get_if<T>(&m.body)) out.push_back(*x);
    return out;
}

struct Fixture {
    LabelAllocator alloc;
    LabelBase base;
    explicit Fixture(LabelBaseConfig c = {}) : base(std::move(c), alloc) {}

    // Both peers OPERATIONAL with their addresses known.
    void peers_up() {
        base.session_up(kA);
        base.session_up(kB);
        base.message_received(kA, addresses({ip("10.0.0.2"), ip("10.1.0.2")}));
        base.message_received(kB, addresses({ip("10.0.0.3"), ip("10.2.0.2")}));
    }
};

}  // namespace

TEST_CASE("own /32 is advertised with implicit null, after our address list", "[ldp][label]") {
    Fixture f;
    f.base.address_added({ip("10.0.0.1"), 32, 1});
    f.base.address_added({ip("10.1.0.1"), 24, 5});
    auto e = f.base.session_up(kA);
    REQUIRE(e.messages.size() == 2);
    auto* a = std::get_if<Address>(&e.messages[0].body);
    REQUIRE(a);
    CHECK(a->list == AddressList{std::vector<Ipv4Address>{ip("10.0.0.1"), ip("10.1.0.1")}});
    auto* m = std::get_if<LabelMapping>(&e.messages[1].body);
    REQUIRE(m);
    CHECK(m->fec == Fec{pfx("10.0.0.1/32")});
    CHECK(m->label == MplsLabel::implicit_null());
    CHECK(e.lfib.empty());
    CHECK(f.alloc.used(LabelClient::ldp) == 0);  // null labels are not allocated
}

TEST_CASE("explicit null option and End-of-LIB", "[ldp][label]") {
    LabelBaseConfig c;
    c.explicit_null = true;
    Fixture f(c);
    f.base.address_added({ip("10.0.0.1"), 32, 1});
    auto e = f.base.session_up(kA, true);
    auto maps = sent<LabelMapping>(e, kA);
    REQUIRE(maps.size() == 1);
    CHECK(maps[0].label == MplsLabel::ipv4_explicit_null());
    auto n = sent<Notification>(e, kA);
    REQUIRE(n.size() == 1);
    CHECK(n[0].status.code == StatusCode::EndOfLib);
}

TEST_CASE("a new own address reaches peers already up; its removal withdraws it", "[ldp][label]") {
    Fixture f;
    f.base.session_up(kA);
    auto e = f.base.address_added({ip("10.0.0.1"), 32, 1});
    REQUIRE(sent<Address>(e, kA).size() == 1);
    REQUIRE(sent<LabelMapping>(e, kA).size() == 1);
    e = f.base.address_removed({ip("10.0.0.1"), 32, 1});
    CHECK(sent<AddressWithdraw>(e, kA).size() == 1);
    auto w = sent<LabelWithdraw>(e, kA);
    REQUIRE(w.size() == 1);
    CHECK(w[0].label == MplsLabel::implicit_null());
}

TEST_CASE("ordered control: no binding until the next hop gives one", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    auto e = f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    CHECK(e.messages.empty());
    CHECK_FALSE(f.base.local_label(kFec));

    // A peer that is not the next hop: retained (liberal), not used, no binding yet.
    e = f.base.message_received(kB, mapping(kFec, 300));
    CHECK(e.messages.empty());
    CHECK(f.base.peer_label(kB, kFec) == lab(300));
    CHECK(f.base.lsp(kFec) == nullptr);

    // The next hop's label: our binding is allocated and sent to every peer.
    e = f.base.message_received(kA, mapping(kFec, 3));
    auto local = f.base.local_label(kFec);
    REQUIRE(local);
    CHECK(*local == lab(16));
    CHECK(sent<LabelMapping>(e, kA).size() == 1);
    CHECK(sent<LabelMapping>(e, kB).size() == 1);
    CHECK(sent<LabelMapping>(e, kB)[0].label == lab(16));
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0] == LfibEntry{lab(16), kFec, {{ip("10.1.0.2"), 5, MplsLabel::implicit_null()}}});
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0] == LspChange{kFec, {{ip("10.1.0.2"), 5, MplsLabel::implicit_null()}}});
}

TEST_CASE("independent control binds as soon as the route exists", "[ldp][label]") {
    LabelBaseConfig c;
    c.independent = true;
    Fixture f(c);
    f.peers_up();
    auto e = f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    REQUIRE(f.base.local_label(kFec));
    CHECK(sent<LabelMapping>(e, kA).size() == 1);
    CHECK(e.lfib.empty());  // nothing to swap to yet
    e = f.base.message_received(kA, mapping(kFec, 100));
    CHECK(e.messages.empty());  // the binding was already sent
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].paths == std::vector<LspNextHop>{{ip("10.1.0.2"), 5, lab(100)}});
}

TEST_CASE("the IGP next hop changes: the new next hop's label is used", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    f.base.message_received(kB, mapping(kFec, 200));
    MplsLabel local = *f.base.local_label(kFec);

    auto e = f.base.route_changed(route(kFec, {{ip("10.2.0.2"), 6}}));
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops == std::vector<LspNextHop>{{ip("10.2.0.2"), 6, lab(200)}});
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0] == LfibEntry{local, kFec, {{ip("10.2.0.2"), 6, lab(200)}}});
    CHECK(e.messages.empty());  // our binding stays the same
    CHECK(f.base.peer_label(kA, kFec) == lab(100));  // liberal retention keeps A's

    // Back to A: no new Label Request needed, A's retained label is used at once.
    e = f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops == std::vector<LspNextHop>{{ip("10.1.0.2"), 5, lab(100)}});
}

TEST_CASE("ECMP uses every next hop with a label; a next hop without one is left out", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.message_received(kA, mapping(kFec, 100));
    auto e = f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}, {ip("10.2.0.2"), 6}}));
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops.size() == 1);
    e = f.base.message_received(kB, mapping(kFec, 200));
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].paths ==
          std::vector<LspNextHop>{{ip("10.1.0.2"), 5, lab(100)}, {ip("10.2.0.2"), 6, lab(200)}});
}

TEST_CASE("a device route to a peer's loopback uses the FEC address as next hop", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(pfx("10.0.0.2/32"), {{Ipv4Address(), 5}}));
    auto e = f.base.message_received(kA, mapping(pfx("10.0.0.2/32"), 3));
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops == std::vector<LspNextHop>{{ip("10.0.0.2"), 5, MplsLabel::implicit_null()}});
}

TEST_CASE("withdraw: answered with a release, our binding withdrawn in ordered mode", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    MplsLabel local = *f.base.local_label(kFec);
    auto e = f.base.message_received(kA, msg(LabelWithdraw{{kFec}, lab(100), {}}));
    auto rel = sent<LabelRelease>(e, kA);
    REQUIRE(rel.size() == 1);
    CHECK(rel[0].label == lab(100));
    CHECK(rel[0].fec == Fec{kFec});
    CHECK(sent<LabelWithdraw>(e, kA).size() == 1);
    CHECK(sent<LabelWithdraw>(e, kB).size() == 1);
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0] == LfibEntry{local, kFec, {}});
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops.empty());

    // The label is not reused until every peer released it (A.1.6).
    CHECK(f.alloc.in_use(LabelClient::ldp, local));
    f.base.message_received(kA, msg(LabelRelease{{kFec}, local, {}}));
    CHECK(f.alloc.in_use(LabelClient::ldp, local));
    f.base.message_received(kB, msg(LabelRelease{{kFec}, local, {}}));
    CHECK_FALSE(f.alloc.in_use(LabelClient::ldp, local));
    CHECK(f.base.awaiting_release() == 0);
}

TEST_CASE("a withdraw naming another label changes nothing but is released", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    auto e = f.base.message_received(kA, msg(LabelWithdraw{{kFec}, lab(999), {}}));
    CHECK(sent<LabelRelease>(e, kA).size() == 1);
    CHECK(e.lfib.empty());
    CHECK(f.base.peer_label(kA, kFec) == lab(100));
}

TEST_CASE("wildcard withdraw drops every label of the peer", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    auto other = pfx("10.0.0.8/32");
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.route_changed(route(other, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    f.base.message_received(kA, mapping(other, 101));
    auto e = f.base.message_received(kA, msg(LabelWithdraw{{WildcardFec{}}, std::nullopt, {}}));
    CHECK(e.lsp.size() == 2);
    CHECK_FALSE(f.base.peer_label(kA, kFec));
    CHECK_FALSE(f.base.peer_label(kA, other));
}

TEST_CASE("a new label from the same peer replaces the old, which is released", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    auto e = f.base.message_received(kA, mapping(kFec, 101));
    auto rel = sent<LabelRelease>(e, kA);
    REQUIRE(rel.size() == 1);
    CHECK(rel[0].label == lab(100));
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].paths[0].out_label == lab(101));
}

TEST_CASE("session loss: its labels and addresses go, dependent bindings are withdrawn", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    MplsLabel local = *f.base.local_label(kFec);
    auto e = f.base.session_down(kA);
    CHECK(e.messages.size() == 1);  // the withdraw to B
    CHECK(sent<LabelWithdraw>(e, kB).size() == 1);
    CHECK(f.base.lsp(kFec) == nullptr);
    CHECK_FALSE(f.base.owns(kA, ip("10.1.0.2")));
    f.base.message_received(kB, msg(LabelRelease{{kFec}, local, {}}));
    CHECK(f.alloc.used(LabelClient::ldp) == 0);

    // A comes back: its new mapping restores the LSP and a fresh binding.
    f.base.session_up(kA);
    f.base.message_received(kA, addresses({ip("10.1.0.2")}));
    e = f.base.message_received(kA, mapping(kFec, 150));
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops == std::vector<LspNextHop>{{ip("10.1.0.2"), 5, lab(150)}});
}

TEST_CASE("the next hop's Address Withdraw makes its label unusable", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    AddressList gone{std::vector<Ipv4Address>{ip("10.1.0.2")}};
    auto e = f.base.message_received(kA, msg(AddressWithdraw{gone, {}}));
    REQUIRE(e.lsp.size() == 1);
    CHECK(e.lsp[0].next_hops.empty());
}

TEST_CASE("route removal withdraws the binding and the LFIB entry", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    auto e = f.base.route_removed(kFec);
    CHECK(sent<LabelWithdraw>(e, kA).size() == 1);
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].paths.empty());
    CHECK(f.base.peer_label(kA, kFec) == lab(100));  // retained for when the route returns
}

TEST_CASE("only /32 routes are FECs by default; a policy may choose others", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.message_received(kA, mapping(pfx("10.9.0.0/16"), 100));
    auto e = f.base.route_changed(route(pfx("10.9.0.0/16"), {{ip("10.1.0.2"), 5}}));
    CHECK(e.empty());

    LabelBaseConfig c;
    c.accept_fec = [](const Ipv4Prefix& p) { return p.length() >= 16; };
    Fixture g(c);
    g.peers_up();
    g.base.message_received(kA, mapping(pfx("10.9.0.0/16"), 100));
    e = g.base.route_changed(route(pfx("10.9.0.0/16"), {{ip("10.1.0.2"), 5}}));
    CHECK(e.lfib.size() == 1);
}

TEST_CASE("label request: our binding, or No Route", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.address_added({ip("10.0.0.1"), 32, 1});
    auto e = f.base.message_received(kA, msg(LabelRequest{{pfx("10.0.0.1/32")}, {}, {}, {}}, 77));
    auto m = sent<LabelMapping>(e, kA);
    REQUIRE(m.size() == 1);
    CHECK(m[0].request_id == 77u);
    e = f.base.message_received(kA, msg(LabelRequest{{pfx("10.7.7.7/32")}, {}, {}, {}}, 78));
    auto n = sent<Notification>(e, kA);
    REQUIRE(n.size() == 1);
    CHECK(n[0].status.code == StatusCode::NoRoute);
    CHECK(n[0].status.message_id == 78u);
}

TEST_CASE("messages from a peer without an OPERATIONAL session are ignored", "[ldp][label]") {
    Fixture f;
    auto e = f.base.message_received(kA, mapping(kFec, 100));
    CHECK(e.empty());
    CHECK_FALSE(f.base.peer_label(kA, kFec));
}

TEST_CASE("shutdown removes every LFIB entry and returns every label", "[ldp][label]") {
    Fixture f;
    f.peers_up();
    f.base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    f.base.message_received(kA, mapping(kFec, 100));
    REQUIRE(f.alloc.used(LabelClient::ldp) == 1);
    auto e = f.base.shutdown();
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].paths.empty());
    CHECK(f.alloc.used(LabelClient::ldp) == 0);
}
