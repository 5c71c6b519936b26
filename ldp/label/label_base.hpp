#pragma once
// The label information base (RFC 5036 2.6, Appendix A.1) as pure code: downstream unsolicited
// distribution, liberal label retention, ordered control (independent as an option). Inputs are
// the kernel's view (our addresses, IPv4 routes) and the OPERATIONAL sessions' messages; outputs
// are messages to send, LFIB decisions and LSP table changes. No sockets, no clock: the instance
// calls it and carries the effects out.
//
// A peer's label for a FEC is used only while that peer is an IGP next hop of the FEC's route,
// the peer being found by the addresses it advertised (Address messages); ECMP uses all of them.
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
    Effects session_down(const LdpId& peer);
    Effects message_received(const LdpId& peer, const Message& m);

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
    std::map<LdpId, std::set<Ipv4Address>> peers_;  // OPERATIONAL sessions -> advertised addresses
    std::set<LocalAddress> addresses_;
    std::map<MplsLabel, std::set<LdpId>> awaiting_release_;  // withdrawn, not yet released by all
    Effects pending_;
};

}  // namespace isthmus::ldp::label
