#pragma once
// The BGP RIB of isthmusd: Adj-RIB-In per peer and family, the Loc-RIB with the RFC 4271 9.1
// decision process and multipath, import/export policies, Adj-RIB-Out per update group, and
// the 6PE egress labels. Pure code: no sockets, no timers, no clock; the session layer feeds
// it decoded UPDATEs and pulls ready-to-send bytes, daemon/ answers next-hop questions and
// installs what the observer reports. docs/bgp-rib.md explains the rules.
//
// Call pattern (session layer):
//   peer_up(facts)                  -> the initial table is queued for the peer (then End-of-RIB);
//   receive(peer, update)           -> Adj-RIB-In, decision, pending changes to other peers;
//   flush()                         -> on the MRAI timer: pending changes become UPDATE messages;
//   observer.output_ready(peer)     -> pull with take_output(peer) until it returns nothing;
//   peer_down(peer, graceful)       -> routes withdrawn (or kept stale for GR until end_of_rib/sweep).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/family.hpp"
#include "bgp/codec/update.hpp"
#include "bgp/rib/types.hpp"
#include "lib/config/types.hpp"
#include "lib/label_allocator.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp::rib {

// What the RIB reports as it happens. All callbacks run inside the RIB call that caused them;
// they must not call back into the RIB (queue the work instead).
class RibObserver {
public:
    virtual ~RibObserver() = default;
    // Messages are waiting for this peer: call Rib::take_output().
    virtual void output_ready(PeerId) {}
    // The multipath set of a prefix changed (empty set: the prefix is gone). For the resolver.
    virtual void best_changed(const BestPathSet&) {}
    // An egress label to install (or replace) / to remove from the LFIB.
    virtual void egress_label_added(const EgressLabel&) {}
    virtual void egress_label_removed(MplsLabel) {}
    // Soft clear in without a pre-policy copy: ask the peer for its table (ROUTE-REFRESH).
    virtual void send_route_refresh(PeerId, Family) {}
};

// The part of the config the RIB uses, copied from a validated config::Config.
struct RibConfig {
    RouterId router_id{0};
    Asn local_as{0};
    RouterId cluster_id{0};  // router id unless configured
    config::LabelMode label_mode = config::LabelMode::explicit_null;
    int max_paths = 1;
    bool always_compare_med = false;
    std::vector<config::IgpCostOverride> igp_cost_overrides;
    config::Redistribute redistribute;
    std::map<std::string, config::Policy, std::less<>> policies;
    std::map<std::string, config::PrefixList, std::less<>> prefix_lists;

    // Fails when the config has no bgp section.
    static Result<RibConfig, std::string> from(const config::Config& c);
};

class Rib {
public:
    Rib(RibConfig cfg, LabelAllocator& labels, const NextHopView& next_hops, RibObserver& observer);
    ~Rib();
    Rib(const Rib&) = delete;
    Rib& operator=(const Rib&) = delete;

    // ---- peers ----
    // The session reached Established. Fails (and changes nothing) for an id already up.
    // Queues the initial table and End-of-RIB for each negotiated IPv6 family.
    Status<std::string> peer_up(PeerId id, PeerFacts facts);
    // graceful: the peer announced GR and the session failed in a way that allows it (RFC 4724
    // 4.2): its routes stay (stale) until end_of_rib() or sweep_stale(). Otherwise withdrawn now.
    void peer_down(PeerId id, bool graceful);
    // GR restart / stale timer ran out (the session owns the timer): drop what is still stale.
    void sweep_stale(PeerId id);

    // ---- graceful restart, restarting side (RFC 4724 4.1) ----
    // After our own restart, peers keep our routes stale until our End-of-RIB: sending it with a
    // half-learned table would make them sweep routes we still carry. While deferring, peers come
    // up and routes are learned, but nothing is sent; end_deferral() (every GR peer's End-of-RIB
    // arrived, or the session's selection-deferral timer ran out) sends each peer its table and
    // End-of-RIB.
    void begin_deferral();
    void end_deferral();
    bool deferring() const;

    // ---- input ----
    // A decoded UPDATE (RFC 7606 handling done by the codec: this applies errors' TreatAsWithdraw).
    void receive(PeerId id, const Update& update);
    // End-of-RIB from the peer (RFC 4724 2): stale paths of that family are swept.
    void end_of_rib(PeerId id, Family f);
    // ROUTE-REFRESH from the peer (RFC 2918): re-send our Adj-RIB-Out for that family, between
    // BoRR and EoRR markers when enhanced route refresh was negotiated (RFC 7313 4).
    void route_refresh_received(PeerId id, Family f);
    // RFC 7313 4: BoRR from the peer: its paths of family f become stale; EoRR (or the session's
    // timer when no EoRR comes) sweeps what was not sent again.
    void begin_route_refresh(PeerId id, Family f);
    void end_route_refresh(PeerId id, Family f);
    // isthmusctl soft clear in: re-apply import policy from the pre-policy copy when kept,
    // else ask the peer (observer.send_route_refresh).
    void soft_clear_in(PeerId id);

    // ---- local routes (config static routes, redistributed kernel/connected) ----
    // The redistribute policy (config bgp.redistribute.policy) decides; replaces an earlier
    // route with the same prefix and source.
    void originate(const LocalRoute& r);
    void withdraw_local(const Ipv6Prefix& prefix, config::RouteSource source);

    // ---- next hops (DECISIONS 2) ----
    // Re-read the next-hop view and re-run the decision where a path's state changed.
    void next_hops_changed();

    // ---- output ----
    // MRAI-style batching: changes since the last flush become UPDATE messages (withdrawals
    // before announcements). The session calls it on its timer.
    void flush();
    // Up to max messages queued for the peer, in order (bytes, header included).
    std::vector<std::vector<uint8_t>> take_output(PeerId id, std::size_t max = SIZE_MAX);
    bool has_output(PeerId id) const;

    // ---- config ----
    // A reload: new policies/label mode/max-paths are applied to every prefix; import policy
    // changes need soft_clear_in() per peer (as on other routers).
    void reconfigure(RibConfig cfg);

    // ---- inspection (show commands, tests) ----
    std::optional<BestPathSet> best(const Ipv6Prefix& p) const;
    std::size_t loc_rib_size() const;
    std::size_t adj_rib_in_size(PeerId id, Family f) const;
    std::size_t adj_rib_out_size(PeerId id) const;  // prefixes advertised to the peer
    std::optional<MplsLabel> advertised_label(const Ipv6Prefix& p) const;  // 6PE label we send
    // Every path of a prefix, selected or not, with its next-hop state (nullopt: not in the Loc-RIB).
    std::optional<PrefixView> prefix_view(const Ipv6Prefix& p) const;
    // The Loc-RIB's prefixes, unordered.
    std::vector<Ipv6Prefix> prefixes() const;
    const RibCounters& counters() const;
    std::size_t interned_attribute_sets() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace isthmus::bgp::rib
