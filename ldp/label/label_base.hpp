#pragma once
// The label information base (RFC 5036 2.6, Appendix A.1) as pure code: downstream unsolicited
// distribution, liberal label retention, ordered control (independent as an option). Inputs are
// the kernel's view (our addresses, IPv4 routes) and the OPERATIONAL sessions' messages; outputs
// are messages to send, LFIB decisions and LSP table changes. No sockets, no clock: the instance
// calls it and carries the effects out.
//
// A peer's label for a FEC is used only while that peer is an IGP next hop of the FEC's route,
// the peer being found by the addresses it advertised (Address messages); ECMP uses all of them.
//
// Graceful restart (RFC 3478) hooks, the timers being ldp/gr/'s: as helper, a failed session's
// labels and addresses may be retained, marked stale, used as before until refreshed by the
// peer's new session or dropped (drop_stale); as restarting LSR, the LFIB entries our previous
// incarnation left in the kernel are preserved: their labels are reserved, and a FEC whose next hop
// gives the same outgoing label as a preserved entry gets that entry's incoming label back
// (RFC 3478 3.5.1), so the kernel entry and the neighbours' stale labels stay right.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/message.hpp"
#include "ldp/label/kernel_view.hpp"
#include "ldp/label/lsp_table.hpp"
#include "lib/label_allocator.hpp"

namespace isthmus::ldp::label {

// One FEC as the base holds it, for display.
struct Binding {
    Ipv4Prefix fec;
    bool own = false;
    bool routed = false;
    std::optional<MplsLabel> local;
    std::map<LdpId, MplsLabel> received;
    std::vector<LspNextHop> lsp;
    std::set<LdpId> stale;  // peers whose label here is a retained one, not yet refreshed
};

struct LabelBaseConfig {
    bool explicit_null = false;  // own FECs advertised with explicit null (0) instead of implicit null (3)
    bool independent = false;    // RFC 5036 2.6.1: independent control instead of ordered
    // Which kernel routes are FECs; unset: IPv4 /32 host routes.
    std::function<bool(const Ipv4Prefix&)> accept_fec;
};

struct PeerMessage {
    LdpId peer;
    MessageBody body;
    bool operator==(const PeerMessage&) const = default;
};

// What one input caused, in the order to carry it out.
struct Effects {
    std::vector<PeerMessage> messages;
    std::vector<LfibEntry> lfib;  // paths empty: delete in_label
    std::vector<LspChange> lsp;
    bool empty() const { return messages.empty() && lfib.empty() && lsp.empty(); }
};

class LabelBase {
public:
    LabelBase(LabelBaseConfig c, LabelAllocator& labels) : config_(std::move(c)), labels_(labels) {}

    // The kernel's view.
    Effects address_added(const LocalAddress& a);
    Effects address_removed(const LocalAddress& a);
    Effects route_changed(const Route& r);  // added or replaced
    Effects route_removed(const Ipv4Prefix& p);

    // Sessions. session_up sends our Address list and every binding we have (and End-of-LIB,
    // RFC 5919, when the peer announced that capability).
    Effects session_up(const LdpId& peer, bool send_end_of_lib = false);
    // retain (graceful restart helper): the peer's labels and addresses stay, stale, and keep
    // being used; nothing is withdrawn because of the loss.
    Effects session_down(const LdpId& peer, bool retain = false);
    Effects message_received(const LdpId& peer, const Message& m);

    // Graceful restart helper: the peer's labels and addresses still stale go (its reconnect or
    // recovery time is over, or it came back without preserved state).
    Effects drop_stale(const LdpId& peer);
    std::size_t stale_count(const LdpId& peer) const;  // stale labels and addresses of the peer

    // Restarting LSR: the LFIB entries found in the kernel from before the restart (their FEC
    // need not be known). Their labels in our range are reserved; returns how many were. Call
    // before any input.
    std::size_t preserve(const std::vector<LfibEntry>& entries);
    // Recovery over: preserved labels not re-used go back to the allocator; under independent
    // control the bindings held back meanwhile are made now.
    Effects end_recovery();
    bool recovering() const { return recovering_; }
    std::size_t preserved_left() const { return preserved_.size(); }

    // Withdraws nothing (the sessions are closing): removes our LFIB entries and gives every
    // label back to the allocator.
    Effects shutdown();

    // For display and tests.
    std::optional<MplsLabel> local_label(const Ipv4Prefix& fec) const;
    std::optional<MplsLabel> peer_label(const LdpId& peer, const Ipv4Prefix& fec) const;
    const std::vector<LspNextHop>* lsp(const Ipv4Prefix& fec) const;
    std::map<Ipv4Prefix, std::vector<LspNextHop>> lsp_table() const;
    std::vector<Binding> bindings() const;
    std::vector<Ipv4Address> local_addresses() const;
    bool owns(const LdpId& peer, Ipv4Address a) const;
    std::size_t fec_count() const { return fecs_.size(); }
    std::size_t awaiting_release() const { return awaiting_release_.size(); }

private:
    struct FecState {
        bool own = false;                 // one of our /32 addresses: we are the egress
        std::optional<Route> route;       // the kernel route exactly matching the FEC (when accepted)
        std::optional<MplsLabel> local;   // our binding
        bool allocated = false;           // local came from the allocator (not a null label)
        std::map<LdpId, MplsLabel> advertised;  // what each peer was sent
        std::map<LdpId, MplsLabel> received;    // liberal retention: every peer's label
        std::set<LdpId> stale;                  // received labels retained from a failed session (GR)
        std::vector<LspNextHop> lsp;            // as last published
        std::optional<LfibEntry> lfib;          // as last published
    };

    bool is_fec_route(const Ipv4Prefix& p) const;
    std::optional<LdpId> peer_owning(Ipv4Address a) const;
    void recompute(const Ipv4Prefix& fec);
    void recompute_all();
    void withdraw_local(const Ipv4Prefix& fec, FecState& s);
    void forget_label(MplsLabel l);
    void on_mapping(const LdpId& peer, const LabelMapping& m);
    void on_withdraw(const LdpId& peer, const LabelWithdraw& m);
    void on_release(const LdpId& peer, const LabelRelease& m);
    void on_request(const LdpId& peer, const LabelRequest& m, uint32_t message_id);
    void on_address(const LdpId& peer, const AddressList& list, bool add);
    void send(const LdpId& peer, MessageBody body) { pending_.messages.push_back({peer, std::move(body)}); }
    void send_all(const MessageBody& body);
    Effects take();

    LabelBaseConfig config_;
    LabelAllocator& labels_;
    std::map<Ipv4Prefix, FecState> fecs_;
    struct PeerState {
        bool up = false;                   // OPERATIONAL session: messages go to it
        std::set<Ipv4Address> addresses;  // advertised by the current session
        std::set<Ipv4Address> stale;       // retained from a failed session, not re-advertised yet
    };
    std::optional<MplsLabel> take_preserved(const std::vector<LspNextHop>& lsp);
    void forget_peer_if_empty(const LdpId& peer);
    void mark_stale(FecState& s, const LdpId& peer);
    bool unmark_stale(FecState& s, const LdpId& peer);  // true when it was stale

    std::map<LdpId, PeerState> peers_;  // OPERATIONAL sessions, and retained (GR) ones
    std::map<MplsLabel, std::vector<LspNextHop>> preserved_;  // restarting: reserved, not re-used yet
    bool recovering_ = false;
    std::map<LdpId, std::size_t> stale_labels_;  // how many FECs hold a stale label of the peer
    std::set<LocalAddress> addresses_;
    std::map<MplsLabel, std::set<LdpId>> awaiting_release_;  // withdrawn, not yet released by all
    Effects pending_;
};

}  // namespace isthmus::ldp::label
