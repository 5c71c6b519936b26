// Session protection through ldp::Instance with a scripted neighbour: a link adjacency on "t0"
// (Hellos handed in), protection's targeted Hellos to the neighbour's transport address, the
// neighbour's own targeted Hellos (a targeted adjacency beside the link one), then the link goes
// down and comes back. Protected: the session and the bindings stay, and the counters show no
// label re-exchange. Unprotected: the session drops with the link and labels are exchanged again.
#include "ldp_instance_bed.hpp"

using namespace isthmus;
using namespace isthmus::ldp;
using namespace isthmus::ldp::test;

namespace {

std::size_t withdraws(const Neighbor& n) {
    std::size_t c = 0;
    for (const auto& m : n.messages) c += std::holds_alternative<LabelWithdraw>(m.body);
    return c;
}

// Link adjacency, session up, the neighbour's label for kFec and ours for it exchanged.
void bring_up(Bed& b, bool neighbour_protects) {
    b.instance->interface_changed(kLinkIfindex, "t0", true);
    b.link_hello();
    b.wait_session();
    if (neighbour_protects) b.targeted_hello();
    b.connect(std::nullopt);
    b.instance->route_changed({kFec, {{ip("10.1.0.2"), kLinkIfindex}}, 20});
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.owner.mappings() == 1 && b.lfib.size() == 1; }));
}

}  // namespace

TEST_CASE("protection: link down and back, the session and bindings stay, no re-exchange", "[ldp][protection]") {
    config::Ldp cfg = bed_config();
    cfg.session_protection = true;
    Bed b(cfg);
    bring_up(b, true);
    REQUIRE(b.instance->protection().protecting(kPeer));
    CHECK(b.instance->protection().states().at(kPeer).address == kPeerTransport);
    CHECK(b.has_adjacency(false));
    CHECK(b.has_adjacency(true));
    const PeerCounters before = b.instance->counters(kPeer);
    CHECK(before.sessions_up == 1);
    CHECK(before.label_mappings_sent == 1);
    CHECK(before.label_mappings_received == 1);
    const auto& session = b.instance->sessions().at(kPeer);
    uint64_t sent = session->messages_sent(), received = session->messages_received();

    b.instance->interface_changed(kLinkIfindex, "t0", false);
    CHECK_FALSE(b.has_adjacency(false));
    CHECK(b.has_adjacency(true));
    CHECK(b.instance->protection().holding(kPeer));
    run_until(b.io, [] { return false; }, 300ms);
    CHECK(b.instance_operational());
    CHECK(b.owner.down == 0);
    CHECK(b.lfib.size() == 1);  // nothing removed
    CHECK(b.instance->labels().peer_label(kPeer, kFec) == lab(100));
    CHECK(withdraws(b.owner) == 0);

    b.instance->interface_changed(kLinkIfindex, "t0", true);
    b.link_hello();
    CHECK(b.has_adjacency(false));
    CHECK_FALSE(b.instance->protection().holding(kPeer));
    run_until(b.io, [] { return false; }, 300ms);
    CHECK(b.instance->counters(kPeer) == before);  // no session flap, no mapping sent or received again
    CHECK(b.owner.up == 1);
    CHECK(b.owner.mappings() == 1);
    CHECK(b.lfib.size() == 1);
    // Only KeepAlives (if any) crossed meanwhile; nothing else.
    CHECK(session->messages_sent() - sent <= 1);
    CHECK(session->messages_received() - received <= 1);
}

TEST_CASE("no protection: the session drops with the link and labels are exchanged again", "[ldp][protection]") {
    Bed b(bed_config());
    bring_up(b, false);
    CHECK_FALSE(b.instance->protection().protecting(kPeer));
    CHECK_FALSE(b.has_adjacency(true));

    b.instance->interface_changed(kLinkIfindex, "t0", false);
    CHECK_FALSE(b.instance->sessions().contains(kPeer));
    REQUIRE(run_until(b.io, [&] { return b.owner.down == 1; }));
    REQUIRE(b.lfib.size() == 2);
    CHECK(b.lfib[1].paths.empty());

    // The link back: a new session, the labels again.
    b.instance->interface_changed(kLinkIfindex, "t0", true);
    b.link_hello();
    b.wait_session();
    REQUIRE(run_until(b.io, [&] { return b.instance_operational(); }, 5000ms));
    b.advertise(100);
    REQUIRE(run_until(b.io, [&] { return b.instance->counters(kPeer).label_mappings_sent == 2; }));
    auto c = b.instance->counters(kPeer);
    CHECK(c.sessions_up == 2);
    CHECK(c.label_mappings_received == 2);
    CHECK(b.lfib.size() == 3);
}

TEST_CASE("protection without the neighbour's targeted Hellos cannot hold the session", "[ldp][protection]") {
    config::Ldp cfg = bed_config();
    cfg.session_protection = true;
    Bed b(cfg);
    bring_up(b, false);
    CHECK(b.instance->protection().protecting(kPeer));  // we try
    b.instance->interface_changed(kLinkIfindex, "t0", false);
    CHECK_FALSE(b.instance->sessions().contains(kPeer));
    CHECK_FALSE(b.instance->protection().protecting(kPeer));
    REQUIRE(run_until(b.io, [&] { return b.owner.down == 1; }));
}
