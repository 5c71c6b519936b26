// The label base's graceful restart hooks (RFC 3478), driven by hand: as helper, a failed session's
// labels and addresses retained stale (LSP and LFIB unchanged, nothing withdrawn), refreshed by the
// new session, the rest dropped; as restarting LSR, preserved LFIB entries' labels re-used for the
// FECs they served.
#include <catch2/catch.hpp>

#include "ldp/label/label_base.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::label;

namespace {

Ipv4Address ip(const char* s) { return Ipv4Address::parse(s).value(); }
Ipv4Prefix pfx(const char* s) { return Ipv4Prefix::parse(s).value(); }
MplsLabel lab(uint32_t v) { return MplsLabel::checked(v); }

const LdpId kA{RouterId(0x0a000002), 0};  // 10.0.0.2, link 10.1.0.2 on ifindex 5: the restarting one
const LdpId kB{RouterId(0x0a000003), 0};  // 10.0.0.3, link 10.2.0.2 on ifindex 6: upstream
const Ipv4Prefix kFec = pfx("10.0.0.9/32");
const Ipv4Prefix kFec2 = pfx("10.0.0.8/32");

Message msg(MessageBody b, uint32_t id = 1) { return Message{id, std::move(b), false}; }
Message mapping(const Ipv4Prefix& p, uint32_t label) { return msg(LabelMapping{{p}, lab(label), {}, {}, {}, {}}); }
Message addresses(std::vector<Ipv4Address> a) { return msg(Address{AddressList{std::move(a)}, {}}); }
Route route(const Ipv4Prefix& p, std::vector<NextHop> nhs) { return Route{p, std::move(nhs), 20}; }

template <class T>
std::size_t count(const Effects& e) {
    std::size_t n = 0;
    for (const auto& m : e.messages) n += std::holds_alternative<T>(m.body);
    return n;
}

template <class T>
std::vector<T> sent(const Effects& e, const LdpId& to) {
    std::vector<T> out;
    for (const auto& m : e.messages)
        if (m.peer == to)
            if (const auto* x = std::get_if<T>(&m.body)) out.push_back(*x);
    return out;
}

// A and B up, two FECs routed via A, both labelled by A: we bind and tell B.
struct Helper {
    LabelAllocator alloc;
    LabelBase base{{}, alloc};
    MplsLabel local = MplsLabel::implicit_null(), local2 = MplsLabel::implicit_null();

    Helper() {
        base.session_up(kA);
        base.session_up(kB);
        base.message_received(kA, addresses({ip("10.0.0.2"), ip("10.1.0.2")}));
        base.message_received(kB, addresses({ip("10.0.0.3"), ip("10.2.0.2")}));
        base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
        base.route_changed(route(kFec2, {{ip("10.1.0.2"), 5}}));
        base.message_received(kA, mapping(kFec, 100));
        base.message_received(kA, mapping(kFec2, 101));
        local = *base.local_label(kFec);
        local2 = *base.local_label(kFec2);
    }
};

}  // namespace

TEST_CASE("helper: a retained session's labels keep the LSP and LFIB, nothing is withdrawn", "[ldp][gr]") {
    Helper h;
    auto e = h.base.session_down(kA, true);
    CHECK(e.empty());  // no withdraw to B, no LFIB or LSP change
    CHECK(h.base.owns(kA, ip("10.1.0.2")));
    CHECK(h.base.peer_label(kA, kFec) == lab(100));
    REQUIRE(h.base.lsp(kFec));
    CHECK((*h.base.lsp(kFec))[0].out_label == lab(100));
    CHECK(h.base.stale_count(kA) == 4);  // 2 labels, 2 addresses
    CHECK(h.base.local_label(kFec) == h.local);
    for (const auto& b : h.base.bindings())
        if (b.fec == kFec) CHECK(b.stale == std::set<LdpId>{kA});
    // Nothing is sent to a retained peer.
    h.base.route_changed(route(pfx("10.0.0.7/32"), {{ip("10.2.0.2"), 6}}));
    e = h.base.message_received(kB, mapping(pfx("10.0.0.7/32"), 200));
    CHECK(sent<LabelMapping>(e, kB).size() == 1);
    CHECK(sent<LabelMapping>(e, kA).empty());
    // Nor are its messages taken while it has no session.
    CHECK(h.base.message_received(kA, mapping(kFec, 200)).empty());
    CHECK(h.base.peer_label(kA, kFec) == lab(100));
}

TEST_CASE("helper: the neighbour back re-sends the same labels: no change anywhere, stale cleared", "[ldp][gr]") {
    Helper h;
    h.base.session_down(kA, true);
    auto e = h.base.session_up(kA);
    CHECK(count<LabelMapping>(e) == 2);  // our bindings, to the restarted neighbour only
    CHECK(sent<LabelMapping>(e, kB).empty());
    e = h.base.message_received(kA, addresses({ip("10.0.0.2"), ip("10.1.0.2")}));
    CHECK(e.empty());
    e = h.base.message_received(kA, mapping(kFec, 100));
    CHECK(e.empty());  // same label: no release, no LFIB change, nothing to B
    e = h.base.message_received(kA, mapping(kFec2, 101));
    CHECK(e.empty());
    CHECK(h.base.stale_count(kA) == 0);
    CHECK(h.base.local_label(kFec) == h.local);
}

TEST_CASE("helper: a new label replaces the stale one without a release to the restarted peer", "[ldp][gr]") {
    Helper h;
    h.base.session_down(kA, true);
    h.base.session_up(kA);
    h.base.message_received(kA, addresses({ip("10.1.0.2")}));
    auto e = h.base.message_received(kA, mapping(kFec, 300));
    CHECK(count<LabelRelease>(e) == 0);
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].paths[0].out_label == lab(300));
    CHECK(h.base.stale_count(kA) == 2);  // kFec2's label and the address 10.0.0.2
}

TEST_CASE("helper: what was not refreshed goes at the end of the recovery", "[ldp][gr]") {
    Helper h;
    h.base.session_down(kA, true);
    h.base.session_up(kA);
    h.base.message_received(kA, addresses({ip("10.0.0.2"), ip("10.1.0.2")}));
    h.base.message_received(kA, mapping(kFec, 100));
    auto e = h.base.drop_stale(kA);
    // kFec2 lost its LSP: LFIB entry deleted, binding withdrawn from B (ordered control).
    CHECK(h.base.lsp(kFec2) == nullptr);
    CHECK(h.base.peer_label(kA, kFec2) == std::nullopt);
    CHECK(sent<LabelWithdraw>(e, kB).size() == 1);
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0].in_label == h.local2);
    CHECK(e.lfib[0].paths.empty());
    // kFec stays as it was.
    REQUIRE(h.base.lsp(kFec));
    CHECK(h.base.local_label(kFec) == h.local);
    CHECK(h.base.stale_count(kA) == 0);
}

TEST_CASE("helper: not back in time: every retained label and address goes", "[ldp][gr]") {
    Helper h;
    h.base.session_down(kA, true);
    auto e = h.base.drop_stale(kA);
    CHECK(h.base.lsp(kFec) == nullptr);
    CHECK(h.base.lsp(kFec2) == nullptr);
    CHECK_FALSE(h.base.owns(kA, ip("10.1.0.2")));
    CHECK(sent<LabelWithdraw>(e, kB).size() == 2);
    CHECK(e.lfib.size() == 2);
    // The same as a normal teardown from then on: back, it starts from nothing.
    e = h.base.session_up(kA);
    CHECK(count<LabelMapping>(e) == 0);
}

TEST_CASE("no GR: session loss withdraws at once", "[ldp][gr]") {
    Helper h;
    auto e = h.base.session_down(kA, false);
    CHECK(sent<LabelWithdraw>(e, kB).size() == 2);
    CHECK(h.base.stale_count(kA) == 0);
    CHECK(h.base.lsp(kFec) == nullptr);
}

TEST_CASE("helper: a withdraw from the restarted peer removes a stale label", "[ldp][gr]") {
    Helper h;
    h.base.session_down(kA, true);
    h.base.session_up(kA);
    auto e = h.base.message_received(kA, msg(LabelWithdraw{{kFec}, lab(100), {}}));
    CHECK(h.base.peer_label(kA, kFec) == std::nullopt);
    CHECK(h.base.stale_count(kA) == 3);
    CHECK(sent<LabelRelease>(e, kA).size() == 1);
}

TEST_CASE("restarting: a preserved entry's label is re-used for the FEC whose next hop matches", "[ldp][gr]") {
    LabelAllocator alloc;
    LabelBase base({}, alloc);
    // Before the restart: 5000 swapped to A's 100 via 10.1.0.2, 5001 to A's 101.
    std::vector<LfibEntry> kept{
        {lab(5000), {}, {{ip("10.1.0.2"), 5, lab(100)}}},
        {lab(5001), {}, {{ip("10.1.0.2"), 5, lab(101)}}},
        {lab(3), {}, {{ip("10.1.0.2"), 5, lab(102)}}},  // not a label of ours: ignored
    };
    CHECK(base.preserve(kept) == 2);
    CHECK(base.recovering());
    CHECK(alloc.in_use(LabelClient::ldp, lab(5000)));

    base.session_up(kA);
    base.session_up(kB);
    base.message_received(kA, addresses({ip("10.1.0.2")}));
    base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    base.route_changed(route(kFec2, {{ip("10.1.0.2"), 5}}));
    // A's labels arrive in the other order: each FEC still finds its own entry.
    auto e = base.message_received(kA, mapping(kFec2, 101));
    CHECK(base.local_label(kFec2) == lab(5001));
    CHECK(sent<LabelMapping>(e, kB).at(0).label == lab(5001));
    REQUIRE(e.lfib.size() == 1);
    CHECK(e.lfib[0] == LfibEntry{lab(5001), kFec2, {{ip("10.1.0.2"), 5, lab(101)}}});
    base.message_received(kA, mapping(kFec, 100));
    CHECK(base.local_label(kFec) == lab(5000));
    CHECK(base.preserved_left() == 0);

    base.end_recovery();
    CHECK_FALSE(base.recovering());
    CHECK(alloc.used(LabelClient::ldp) == 2);
}

TEST_CASE("restarting: a FEC without a matching entry gets a fresh label; unmatched entries go back", "[ldp][gr]") {
    LabelAllocator alloc;
    LabelBase base({}, alloc);
    base.preserve({{lab(5000), {}, {{ip("10.1.0.9"), 5, lab(100)}}}});  // that next hop is gone
    base.session_up(kA);
    base.message_received(kA, addresses({ip("10.1.0.2")}));
    base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    base.message_received(kA, mapping(kFec, 100));
    REQUIRE(base.local_label(kFec));
    CHECK(*base.local_label(kFec) != lab(5000));
    CHECK(base.preserved_left() == 1);
    CHECK(alloc.used(LabelClient::ldp) == 2);
    base.end_recovery();
    CHECK(alloc.used(LabelClient::ldp) == 1);
    CHECK_FALSE(alloc.in_use(LabelClient::ldp, lab(5000)));
}

TEST_CASE("restarting, independent control: bindings wait for a next hop's label or the end of recovery", "[ldp][gr]") {
    LabelAllocator alloc;
    LabelBase base({false, true, {}}, alloc);
    base.preserve({{lab(5000), {}, {{ip("10.1.0.2"), 5, lab(100)}}}});
    base.session_up(kA);
    base.message_received(kA, addresses({ip("10.1.0.2")}));
    base.route_changed(route(kFec, {{ip("10.1.0.2"), 5}}));
    base.route_changed(route(kFec2, {{ip("10.1.0.2"), 5}}));
    CHECK_FALSE(base.local_label(kFec));
    base.message_received(kA, mapping(kFec, 100));
    CHECK(base.local_label(kFec) == lab(5000));
    CHECK_FALSE(base.local_label(kFec2));
    auto e = base.end_recovery();
    CHECK(base.local_label(kFec2));
    CHECK(sent<LabelMapping>(e, kA).size() == 1);
}

TEST_CASE("shutdown gives preserved labels back", "[ldp][gr]") {
    LabelAllocator alloc;
    LabelBase base({}, alloc);
    base.preserve({{lab(5000), {}, {{ip("10.1.0.2"), 5, lab(100)}}}});
    base.shutdown();
    CHECK(alloc.used(LabelClient::ldp) == 0);
    CHECK_FALSE(base.recovering());
}
