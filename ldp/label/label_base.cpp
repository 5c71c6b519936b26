#include "ldp/label/label_base.hpp"

#include <algorithm>

namespace isthmus::ldp::label {

namespace {

bool usable_address(Ipv4Address a) {
    uint32_t v = a.to_uint();
    return v != 0 && (v >> 24) != 127;  // loopback net addresses mean nothing to a peer
}

Fec fec_of(const Ipv4Prefix& p) { return Fec{FecElement{p}}; }

}  // namespace

std::string to_string(const LspNextHop& h) {
    return h.next_hop.to_string() + " if " + std::to_string(h.ifindex) + " label " + h.out_label.to_string();
}

std::string to_string(const LfibEntry& e) {
    std::string s = e.in_label.to_string() + " (" + e.fec.to_string() + ")";
    if (e.paths.empty()) return s + " delete";
    for (const auto& p : e.paths)
        s += (p.out_label.is_implicit_null() ? " pop" : " swap " + p.out_label.to_string()) + " via " +
             p.next_hop.to_string() + " if " + std::to_string(p.ifindex);
    return s;
}

Effects LabelBase::take() { return std::exchange(pending_, {}); }

bool LabelBase::is_fec_route(const Ipv4Prefix& p) const {
    return config_.accept_fec ? config_.accept_fec(p) : p.length() == 32;
}

std::optional<LdpId> LabelBase::peer_owning(Ipv4Address a) const {
    for (const auto& [peer, p] : peers_)
        if (p.addresses.contains(a) || p.stale.contains(a)) return peer;
    return std::nullopt;
}

bool LabelBase::owns(const LdpId& peer, Ipv4Address a) const {
    auto it = peers_.find(peer);
    return it != peers_.end() && (it->second.addresses.contains(a) || it->second.stale.contains(a));
}

void LabelBase::send_all(const MessageBody& body) {
    for (const auto& [peer, p] : peers_)
        if (p.up) send(peer, body);
}

std::vector<Ipv4Address> LabelBase::local_addresses() const {
    std::set<Ipv4Address> out;
    for (const auto& a : addresses_)
        if (usable_address(a.address)) out.insert(a.address);
    return {out.begin(), out.end()};
}

// ---- the kernel's view ----

Effects LabelBase::address_added(const LocalAddress& a) {
    bool known_address = false;
    for (const auto& x : addresses_) known_address |= x.address == a.address;
    if (!addresses_.insert(a).second) return take();
    if (!known_address && usable_address(a.address))
        send_all(Address{AddressList{std::vector<Ipv4Address>{a.address}}, {}});
    if (a.prefix_length == 32 && usable_address(a.address)) {
        auto fec = Ipv4Prefix::host(a.address);
        fecs_[fec].own = true;
        recompute(fec);
    }
    // Our address may be a route's next hop no longer (or a peer's address may now be ours).
    return take();
}

Effects LabelBase::address_removed(const LocalAddress& a) {
    if (!addresses_.erase(a)) return take();
    bool still = false;
    bool still_host = false;
    for (const auto& x : addresses_) {
        if (x.address != a.address) continue;
        still = true;
        still_host |= x.prefix_length == 32;
    }
    if (!still && usable_address(a.address))
        send_all(AddressWithdraw{AddressList{std::vector<Ipv4Address>{a.address}}, {}});
    auto fec = Ipv4Prefix::host(a.address);
    if (!still_host && fecs_.contains(fec)) {
        fecs_[fec].own = false;
        recompute(fec);
    }
    return take();
}

Effects LabelBase::route_changed(const Route& r) {
    if (!is_fec_route(r.prefix)) return take();
    auto& s = fecs_[r.prefix];
    if (s.route && *s.route == r) return take();
    s.route = r;
    recompute(r.prefix);
    return take();
}

Effects LabelBase::route_removed(const Ipv4Prefix& p) {
    auto it = fecs_.find(p);
    if (it == fecs_.end() || !it->second.route) return take();
    it->second.route.reset();
    recompute(p);
    return take();
}

// ---- sessions ----

Effects LabelBase::session_up(const LdpId& peer, bool send_end_of_lib) {
    peers_[peer].up = true;
    // RFC 5036 2.7 / 3.5.5: our addresses first, so the peer can map our bindings to next hops.
    auto mine = local_addresses();
    if (!mine.empty()) send(peer, Address{AddressList{std::move(mine)}, {}});
    for (auto& [fec, s] : fecs_) {
        s.advertised.erase(peer);
        if (s.local) {
            send(peer, LabelMapping{fec_of(fec), *s.local, {}, {}, {}, {}});
            s.advertised.insert_or_assign(peer, *s.local);
        }
    }
    if (send_end_of_lib) send(peer, end_of_lib(AddressFamily::Ipv4));
    return take();
}

Effects LabelBase::session_down(const LdpId& peer, bool retain) {
    auto p = peers_.find(peer);
    if (p == peers_.end() || !p->second.up) return take();
    if (retain) {
        // RFC 3478 3.5.1: keep using what it gave us, marked stale, while it restarts.
        p->second.up = false;
        p->second.stale.merge(p->second.addresses);
        p->second.addresses.clear();
    } else {
        peers_.erase(p);
    }
    // Its labels and addresses go; labels waiting for its Release are released now.
    for (auto it = awaiting_release_.begin(); it != awaiting_release_.end();) {
        it->second.erase(peer);
        if (it->second.empty()) {
            labels_.release(LabelClient::ldp, it->first);
            it = awaiting_release_.erase(it);
        } else {
            ++it;
        }
    }
    for (auto& [fec, s] : fecs_) {
        s.advertised.erase(peer);
        if (retain) {
            if (s.received.contains(peer)) mark_stale(s, peer);
        } else {
            s.received.erase(peer);
            unmark_stale(s, peer);
        }
    }
    recompute_all();
    return take();
}

Effects LabelBase::drop_stale(const LdpId& peer) {
    auto p = peers_.find(peer);
    if (p != peers_.end()) p->second.stale.clear();
    for (auto& [fec, s] : fecs_)
        if (unmark_stale(s, peer)) s.received.erase(peer);
    forget_peer_if_empty(peer);
    recompute_all();
    return take();
}

void LabelBase::forget_peer_if_empty(const LdpId& peer) {
    auto p = peers_.find(peer);
    if (p != peers_.end() && !p->second.up && p->second.stale.empty() && p->second.addresses.empty()) peers_.erase(p);
}

void LabelBase::mark_stale(FecState& s, const LdpId& peer) {
    if (s.stale.insert(peer).second) ++stale_labels_[peer];
}

bool LabelBase::unmark_stale(FecState& s, const LdpId& peer) {
    if (!s.stale.erase(peer)) return false;
    auto it = stale_labels_.find(peer);
    if (it != stale_labels_.end() && --it->second == 0) stale_labels_.erase(it);
    return true;
}

std::size_t LabelBase::stale_count(const LdpId& peer) const {
    std::size_t n = 0;
    auto p = peers_.find(peer);
    if (p != peers_.end()) n += p->second.stale.size();
    auto l = stale_labels_.find(peer);
    if (l != stale_labels_.end()) n += l->second;
    return n;
}

std::size_t LabelBase::preserve(const std::vector<LfibEntry>& entries) {
    std::size_t n = 0;
    for (const auto& e : entries) {
        if (e.paths.empty() || preserved_.contains(e.in_label)) continue;
        // Labels outside our range (BGP's, recirculation's) are not ours to re-learn.
        if (!labels_.reserve(LabelClient::ldp, e.in_label)) continue;
        preserved_[e.in_label] = e.paths;
        ++n;
    }
    recovering_ = true;
    return n;
}

// RFC 3478 3.5.1: an entry whose outgoing label and next hop are what a next hop of the FEC now
// gives us was this FEC's: its incoming label is our binding again.
std::optional<MplsLabel> LabelBase::take_preserved(const std::vector<LspNextHop>& lsp) {
    for (auto it = preserved_.begin(); it != preserved_.end(); ++it) {
        for (const auto& path : it->second) {
            bool match = std::any_of(lsp.begin(), lsp.end(), [&](const LspNextHop& h) {
                return h.next_hop == path.next_hop && h.out_label == path.out_label;
            });
            if (!match) continue;
            MplsLabel l = it->first;
            preserved_.erase(it);
            return l;
        }
    }
    return std::nullopt;
}

Effects LabelBase::end_recovery() {
    if (!recovering_) return take();
    recovering_ = false;
    for (const auto& [label, unused] : preserved_) labels_.release(LabelClient::ldp, label);
    preserved_.clear();
    recompute_all();
    return take();
}

Effects LabelBase::message_received(const LdpId& peer, const Message& m) {
    auto p = peers_.find(peer);
    if (p == peers_.end() || !p->second.up) return take();
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, LabelMapping>) on_mapping(peer, body);
            else if constexpr (std::is_same_v<T, LabelWithdraw>) on_withdraw(peer, body);
            else if constexpr (std::is_same_v<T, LabelRelease>) on_release(peer, body);
            else if constexpr (std::is_same_v<T, LabelRequest>) on_request(peer, body, m.id);
            else if constexpr (std::is_same_v<T, Address>) on_address(peer, body.list, true);
            else if constexpr (std::is_same_v<T, AddressWithdraw>) on_address(peer, body.list, false);
            // Label Abort Request: we answer requests at once, nothing is pending to abort.
        },
        m.body);
    return take();
}

Effects LabelBase::shutdown() {
    for (auto& [fec, s] : fecs_) {
        if (s.lfib) pending_.lfib.push_back(LfibEntry{s.lfib->in_label, fec, {}});
        if (!s.lsp.empty()) pending_.lsp.push_back(LspChange{fec, {}});
        if (s.local && s.allocated) labels_.release(LabelClient::ldp, *s.local);
    }
    for (const auto& [label, unused] : awaiting_release_) labels_.release(LabelClient::ldp, label);
    for (const auto& [label, unused] : preserved_) labels_.release(LabelClient::ldp, label);
    preserved_.clear();
    recovering_ = false;
    stale_labels_.clear();
    fecs_.clear();
    peers_.clear();
    awaiting_release_.clear();
    return take();
}

// ---- RFC 5036 A.1 procedures ----

void LabelBase::on_address(const LdpId& peer, const AddressList& list, bool add) {
    const auto* v4 = std::get_if<std::vector<Ipv4Address>>(&list.addresses);
    if (!v4) return;  // IPv6 addresses: isthmus runs LDP over IPv4 only
    auto& mine = peers_[peer];
    for (auto a : *v4) {
        // A retained address re-advertised is refreshed; a withdrawn one goes either way.
        mine.stale.erase(a);
        add ? (void)mine.addresses.insert(a) : (void)mine.addresses.erase(a);
    }
    recompute_all();  // next hops may have become (or stopped being) this peer
}

// A.1.1 Recv Label Mapping (downstream unsolicited, liberal retention): keep every peer's label,
// use it when the peer is a next hop.
void LabelBase::on_mapping(const LdpId& peer, const LabelMapping& m) {
    for (const auto& e : m.fec) {
        const auto* p = std::get_if<Ipv4Prefix>(&e);
        if (!p) continue;  // IPv6 and wildcard elements carry no IPv4 binding
        auto& s = fecs_[*p];
        auto old = s.received.find(peer);
        // LMp.10: a new label for the same FEC replaces the old one, which goes back to the peer.
        // A stale one belonged to the failed session: the restarted peer knows nothing of it.
        bool was_stale = unmark_stale(s, peer);
        if (old != s.received.end() && old->second != m.label && !was_stale)
            send(peer, LabelRelease{fec_of(*p), old->second, {}});
        s.received.insert_or_assign(peer, m.label);
        recompute(*p);
    }
}

// A.1.5 Recv Label Withdraw: stop using the label, answer with a Label Release.
void LabelBase::on_withdraw(const LdpId& peer, const LabelWithdraw& m) {
    std::set<Ipv4Prefix> affected;
    for (const auto& e : m.fec) {
        if (const auto* p = std::get_if<Ipv4Prefix>(&e)) {
            affected.insert(*p);
        } else if (std::holds_alternative<WildcardFec>(e) ||
                   (std::holds_alternative<TypedWildcardFec>(e) &&
                    std::get<TypedWildcardFec>(e).family == AddressFamily::Ipv4)) {
            for (const auto& [fec, s] : fecs_)
                if (s.received.contains(peer)) affected.insert(fec);
        }
    }
    for (const auto& fec : affected) {
        auto it = fecs_.find(fec);
        if (it == fecs_.end()) continue;
        auto r = it->second.received.find(peer);
        if (r != it->second.received.end() && (!m.label || *m.label == r->second)) {
            it->second.received.erase(r);
            unmark_stale(it->second, peer);
        }
    }
    send(peer, LabelRelease{m.fec, m.label, {}});
    for (const auto& fec : affected) recompute(fec);
}

// A.1.6 Recv Label Release: a label we withdrew may be reused once every peer gave it back.
void LabelBase::on_release(const LdpId& peer, const LabelRelease& m) {
    auto give_back = [&](MplsLabel l) {
        auto it = awaiting_release_.find(l);
        if (it == awaiting_release_.end() || !it->second.erase(peer)) return;
        if (it->second.empty()) {
            labels_.release(LabelClient::ldp, l);
            awaiting_release_.erase(it);
        }
    };
    if (m.label) {
        give_back(*m.label);
        return;
    }
    // No label: every withdrawn label of the FECs named.
    std::vector<MplsLabel> waiting;
    for (const auto& [l, peers] : awaiting_release_)
        if (peers.contains(peer)) waiting.push_back(l);
    for (auto l : waiting) give_back(l);
}

// A.1.2 Recv Label Request (downstream unsolicited peers rarely ask): answer with our binding, or
// No Route when we have none.
void LabelBase::on_request(const LdpId& peer, const LabelRequest& m, uint32_t message_id) {
    for (const auto& e : m.fec) {
        const auto* p = std::get_if<Ipv4Prefix>(&e);
        auto it = p ? fecs_.find(*p) : fecs_.end();
        if (it != fecs_.end() && it->second.local) {
            send(peer, LabelMapping{fec_of(*p), *it->second.local, message_id, {}, {}, {}});
            it->second.advertised.insert_or_assign(peer, *it->second.local);
            continue;
        }
        Notification n;
        n.status = StatusTlv{StatusCode::NoRoute, false, false, message_id, uint16_t(MessageType::LabelRequest)};
        n.fec = Fec{e};
        send(peer, n);
    }
}

void LabelBase::forget_label(MplsLabel l) {
    auto it = awaiting_release_.find(l);
    if (it == awaiting_release_.end() || it->second.empty()) {
        if (it != awaiting_release_.end()) awaiting_release_.erase(it);
        labels_.release(LabelClient::ldp, l);
    }
}

// Our binding goes (RFC 5036 A.1.7, "no longer a FEC"): withdraw from every peer it was sent to.
void LabelBase::withdraw_local(const Ipv4Prefix& fec, FecState& s) {
    if (!s.local) return;
    MplsLabel l = *s.local;
    for (const auto& [peer, sent] : s.advertised) {
        send(peer, LabelWithdraw{fec_of(fec), sent, {}});
        if (s.allocated) awaiting_release_[sent].insert(peer);
    }
    s.advertised.clear();
    if (s.allocated) forget_label(l);
    s.local.reset();
    s.allocated = false;
}

void LabelBase::recompute_all() {
    std::vector<Ipv4Prefix> all;
    for (const auto& [fec, s] : fecs_) all.push_back(fec);
    for (const auto& fec : all) recompute(fec);
}

// The heart of it: from the FEC's route, the peers' labels and the control mode, decide our
// binding, what each peer must hear, the LFIB entry and the LSP row.
void LabelBase::recompute(const Ipv4Prefix& fec) {
    auto it = fecs_.find(fec);
    if (it == fecs_.end()) return;
    FecState& s = it->second;

    // The usable next hops: route next hops owned by a peer that gave us a label.
    std::vector<LspNextHop> lsp;
    if (!s.own && s.route) {
        for (const auto& nh : s.route->next_hops) {
            Ipv4Address via = nh.gateway.is_unspecified() ? fec.address() : nh.gateway;
            auto peer = peer_owning(via);
            if (!peer) continue;
            auto r = s.received.find(*peer);
            if (r == s.received.end()) continue;
            lsp.push_back({via, nh.ifindex, r->second});
        }
        std::sort(lsp.begin(), lsp.end());
        lsp.erase(std::unique(lsp.begin(), lsp.end()), lsp.end());
    }

    // Our binding. Egress: a null label. Transit: allocated when the FEC is routed and (ordered
    // control, RFC 5036 2.6.1) a next hop gave us a label, or at once (independent control).
    bool routed = s.route && !s.route->next_hops.empty();
    std::optional<MplsLabel> want_null;
    bool want_allocated = false;
    if (s.own) {
        want_null = config_.explicit_null ? MplsLabel::ipv4_explicit_null() : MplsLabel::implicit_null();
    } else if (routed && (config_.independent || !lsp.empty())) {
        // Recovering from our restart, independent control waits for a next hop's label (which
        // may match a preserved entry) or the end of recovery, so no preserved label is lost.
        want_allocated = !(recovering_ && lsp.empty() && !(s.local && s.allocated));
    }
    if (want_null && !(s.local && !s.allocated && *s.local == *want_null)) {
        withdraw_local(fec, s);
        s.local = want_null;
    } else if (want_allocated && !(s.local && s.allocated)) {
        withdraw_local(fec, s);
        if (auto kept = take_preserved(lsp)) {
            s.local = *kept;
            s.allocated = true;
        } else if (auto l = labels_.allocate(LabelClient::ldp)) {
            s.local = *l;
            s.allocated = true;
        }
    } else if (!want_null && !want_allocated) {
        withdraw_local(fec, s);
    }
    if (s.local) {
        for (const auto& [peer, p] : peers_) {
            if (!p.up) continue;
            auto a = s.advertised.find(peer);
            if (a != s.advertised.end() && a->second == *s.local) continue;
            send(peer, LabelMapping{fec_of(fec), *s.local, {}, {}, {}, {}});
            s.advertised.insert_or_assign(peer, *s.local);
        }
    }

    // LFIB: our allocated label swaps (or pops) towards every usable next hop.
    std::optional<LfibEntry> lfib;
    if (s.local && s.allocated && !lsp.empty()) lfib = LfibEntry{*s.local, fec, lsp};
    if (lfib != s.lfib) {
        if (s.lfib && (!lfib || lfib->in_label != s.lfib->in_label))
            pending_.lfib.push_back(LfibEntry{s.lfib->in_label, fec, {}});
        if (lfib) pending_.lfib.push_back(*lfib);
        s.lfib = lfib;
    }
    if (lsp != s.lsp) {
        pending_.lsp.push_back(LspChange{fec, lsp});
        s.lsp = std::move(lsp);
    }
    if (!s.own && !s.route && !s.local && s.received.empty() && !s.lfib && s.lsp.empty()) fecs_.erase(it);
}

// ---- queries ----

std::optional<MplsLabel> LabelBase::local_label(const Ipv4Prefix& fec) const {
    auto it = fecs_.find(fec);
    return it == fecs_.end() ? std::nullopt : it->second.local;
}

std::optional<MplsLabel> LabelBase::peer_label(const LdpId& peer, const Ipv4Prefix& fec) const {
    auto it = fecs_.find(fec);
    if (it == fecs_.end()) return std::nullopt;
    auto r = it->second.received.find(peer);
    return r == it->second.received.end() ? std::nullopt : std::optional(r->second);
}

const std::vector<LspNextHop>* LabelBase::lsp(const Ipv4Prefix& fec) const {
    auto it = fecs_.find(fec);
    return it == fecs_.end() || it->second.lsp.empty() ? nullptr : &it->second.lsp;
}

std::map<Ipv4Prefix, std::vector<LspNextHop>> LabelBase::lsp_table() const {
    std::map<Ipv4Prefix, std::vector<LspNextHop>> out;
    for (const auto& [fec, s] : fecs_)
        if (!s.lsp.empty()) out[fec] = s.lsp;
    return out;
}

std::vector<Binding> LabelBase::bindings() const {
    std::vector<Binding> out;
    out.reserve(fecs_.size());
    for (const auto& [fec, s] : fecs_)
        out.push_back(
            Binding{fec, s.own, s.route && !s.route->next_hops.empty(), s.local, s.received, s.lsp, s.stale});
    return out;
}

}  // namespace isthmus::ldp::label
