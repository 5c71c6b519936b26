#include "bgp/rib/rib.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "bgp/codec/message.hpp"
#include "bgp/policy/policy.hpp"
#include "bgp/rib/adj_rib_out.hpp"
#include "bgp/rib/attr_store.hpp"
#include "bgp/rib/decision.hpp"
#include "bgp/rib/export.hpp"
#include "bgp/rib/import.hpp"
#include "bgp/rib/labels.hpp"
#include "bgp/rib/path.hpp"
#include "lib/log.hpp"

namespace isthmus::bgp::rib {

Result<RibConfig, std::string> RibConfig::from(const config::Config& c) {
    if (!c.bgp) return err(std::string("the config has no bgp section"));
    RibConfig r;
    r.router_id = c.router_id;
    r.local_as = c.bgp->local_as;
    r.cluster_id = c.bgp->cluster_id.value_or(c.router_id);
    r.label_mode = c.bgp->label_mode;
    r.max_paths = c.bgp->max_paths;
    r.always_compare_med = c.bgp->always_compare_med;
    r.igp_cost_overrides = c.bgp->igp_cost_overrides;
    r.redistribute = c.bgp->redistribute;
    r.policies = c.policies;
    r.prefix_lists = c.prefix_lists;
    return r;
}

namespace {

constexpr std::size_t fam(Family f) { return std::size_t(f); }
constexpr Family kRibFamilies[] = {Family::Ipv6Unicast, Family::Ipv6Labeled};

// A received route kept before import policy (soft reconfiguration inbound).
struct Received {
    Attrs attrs;
    PathNextHop next_hop;
    LabelStack labels;
};

using Queue = std::deque<std::shared_ptr<const std::vector<uint8_t>>>;

struct PeerState {
    PeerFacts facts;
    bool up = false;
    std::string group;
    Queue out;
    std::array<std::unordered_set<Ipv6Prefix>, kFamilyCount> accepted;  // Adj-RIB-In after policy
    std::array<std::map<Ipv6Prefix, Received>, kFamilyCount> received;  // before policy, when kept
    std::array<bool, kFamilyCount> disabled{};                          // RFC 7606 AFI/SAFI disable
    // Some path may be stale (graceful restart, enhanced route refresh): End-of-RIB must sweep.
    // Without it the sweep would walk the whole Adj-RIB-In for nothing (a fifth of a full feed).
    std::array<bool, kFamilyCount> stale_marked{};
    bool warned_ignored = false;
    bool keeps_received() const { return facts.soft_reconfiguration_inbound || !facts.negotiated.route_refresh; }
};

struct Group {
    PeerFacts facts;  // of the first member: the export rules only look at what the key holds
    PeerId ebgp_peer; // eBGP groups hold one peer (split horizon, own next-hop-self)
    std::vector<PeerId> members;
    std::vector<AdjRibOut> out;  // one per family sent
};

struct Dest {
    std::vector<Path> paths;
    std::vector<std::size_t> selected;  // into paths, best first
};

bool same_selection(const std::vector<SelectedPath>& a, const std::vector<SelectedPath>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].peer != b[i].peer || a[i].next_hop != b[i].next_hop || a[i].labels != b[i].labels ||
            a[i].attrs != b[i].attrs || a[i].local != b[i].local)
            return false;
    return true;
}

std::string group_key(PeerId id, const PeerFacts& f) {
    // Everything export_route() reads from the target, plus the sending context.
    std::string k = f.ibgp ? "ibgp" : "ebgp:" + std::to_string(id.value);
    k += f.route_reflector_client ? "|rr" : "|-";
    k += "|" + f.export_policy.value_or("");
    for (auto fa : kRibFamilies) k += sends_family(f, fa) ? "|1" : "|0";
    k += "|" + (f.local_ipv4 ? f.local_ipv4->to_string() : "");
    k += "|" + (f.local_ipv6 ? f.local_ipv6->to_string() : "");
    k += "|" + (f.local_ipv6_link_local ? f.local_ipv6_link_local->to_string() : "");
    k += "|" + std::string(f.address.is_v6() ? "6" : "4");
    const auto& c = f.negotiated.send;
    k += "|" + std::to_string(int(c.peer)) + std::to_string(c.four_octet_as) + std::to_string(c.extended_message);
    for (auto a : c.add_path) k += std::to_string(a);
    return k;
}

}  // namespace

struct Rib::Impl {
    RibConfig cfg;
    LabelAllocator& alloc;
    const NextHopView& view;
    RibObserver& observer;
    AttrStore store;
    LabelManager labels;
    std::unordered_map<Ipv6Prefix, Dest> loc;
    std::map<PeerId, PeerState> peers;
    std::map<std::string, Group> groups;
    std::unordered_set<Ipv6Prefix> dirty;
    RibCounters counters;
    bool deferring = false;  // RFC 4724 4.1 selection deferral after our own restart
    std::unordered_map<Ipv6Prefix, std::vector<SelectedPath>> best;  // last reported per prefix

    Impl(RibConfig c, LabelAllocator& a, const NextHopView& v, RibObserver& o)
        : cfg(std::move(c)), alloc(a), view(v), observer(o), labels(a, cfg.label_mode, o) {}

    // ---- decision ----

    NextHopState state_of(const Path& p) const {
        if (p.local()) return {true, 0, {}};
        if (p.next_hop.mapped) {
            auto s = view.lookup(*p.next_hop.mapped);
            for (const auto& o : cfg.igp_cost_overrides)
                if (o.next_hop == *p.next_hop.mapped) s.igp_cost = o.cost;
            return s;
        }
        if (p.next_hop.ipv6) return view.lookup(*p.next_hop.ipv6);
        return {false, 0, "no next hop"};
    }

    Candidate candidate_of(const Path& p, const NextHopState& s) const {
        Candidate c;
        c.attrs = p.attrs.get();
        c.next_hop_usable = s.usable;
        c.igp_cost = s.igp_cost;
        c.local = p.local();
        c.neighbor_as = cfg.local_as;
        c.router_id = cfg.router_id;
        if (!p.local()) {
            const auto& f = peers.at(p.peer).facts;
            c.from_ebgp = !f.ibgp;
            c.router_id = p.attrs->originator_id.value_or(f.router_id);
            c.peer_address = f.address;
            if (p.attrs->as_path)
                for (const auto& seg : p.attrs->as_path->segments)
                    if (seg.type == AsPathSegment::Type::Sequence && !seg.asns.empty()) {
                        c.neighbor_as = seg.asns.front();
                        break;
                    }
        }
        return c;
    }

    void update_label(const Ipv6Prefix& p, const std::vector<SelectedPath>& sel) {
        if (sel.empty() || sel.front().next_hop.mapped) {
            labels.release(p);
            return;
        }
        if (!labels.assign(p, sel.front().next_hop.ipv6)) {
            // Logged on the first and every 10,000th: an exhausted range hits every new prefix.
            if (counters.labels_exhausted++ % 10000 == 0)
                log::warning("bgp: label range exhausted: {} and later prefixes are advertised with explicit null "
                             "({} so far)", p.to_string(), counters.labels_exhausted);
        }
    }

    // Runs the decision for p; reports and marks it for export when the selection changed.
    void recompute(const Ipv6Prefix& p, bool force = false) {
        auto it = loc.find(p);
        std::vector<SelectedPath> sel;
        if (it != loc.end()) {
            auto& d = it->second;
            std::vector<Candidate> cands;
            cands.reserve(d.paths.size());
            for (const auto& path : d.paths) cands.push_back(candidate_of(path, state_of(path)));
            d.selected = select(cands, {cfg.always_compare_med, std::size_t(std::max(cfg.max_paths, 1))});
            for (auto i : d.selected) {
                const auto& path = d.paths[i];
                sel.push_back(SelectedPath{path.peer, path.next_hop, path.labels, path.attrs, cands[i].from_ebgp,
                                           path.local()});
            }
            if (d.paths.empty()) loc.erase(it);
        }
        auto bit = best.find(p);
        bool changed = bit == best.end() ? !sel.empty() : !same_selection(bit->second, sel);
        if (!changed && !force) return;
        update_label(p, sel);
        dirty.insert(p);
        if (!changed) return;
        observer.best_changed(BestPathSet{p, sel});
        if (sel.empty())
            best.erase(p);
        else
            best.insert_or_assign(p, std::move(sel));
    }

    void upsert(const Ipv6Prefix& p, Path path) {
        auto& d = loc[p];
        auto it = std::find_if(d.paths.begin(), d.paths.end(), [&](const Path& x) { return x.same_slot(path); });
        if (it != d.paths.end())
            *it = std::move(path);
        else
            d.paths.push_back(std::move(path));
        recompute(p);
    }

    template <class Pred>
    void remove_if(const Ipv6Prefix& p, Pred pred) {
        auto it = loc.find(p);
        if (it == loc.end()) return;
        auto n = std::erase_if(it->second.paths, pred);
        if (n) recompute(p);
    }

    // ---- import ----

    // The attributes after import policy (the same object when unchanged), null when rejected.
    Attrs import_policy(const PeerState& ps, const Ipv6Prefix& p, const Attrs& attrs) {
        const auto& f = ps.facts;
        const config::Policy* pol = nullptr;
        if (f.import_policy)
            if (auto it = cfg.policies.find(*f.import_policy); it != cfg.policies.end()) pol = &it->second;
        if (!pol) return f.ibgp ? attrs : nullptr;  // RFC 8212 for eBGP
        policy::RouteFacts facts{p, config::RouteSource::bgp, f.address};
        auto o = policy::evaluate(*pol, policy::Direction::import, facts, *attrs,
                                  policy::Environment{&cfg.prefix_lists, cfg.local_as});
        if (!o.accepted) return nullptr;
        // Most routes leave a policy unchanged: skip hashing them again.
        return o.attrs == *attrs ? attrs : store.intern(std::move(o.attrs));
    }

    // One announced route after the checks that do not depend on policy: policy, then the RIB.
    void accept(PeerId id, PeerState& ps, Family f, const Ipv6Prefix& p, const Attrs& attrs,
                const PathNextHop& nh, const LabelStack& received_labels) {
        auto a = import_policy(ps, p, attrs);
        if (!a) {
            ++counters.import_rejected;
            withdraw(id, ps, f, p, false);
            return;
        }
        Path path{id, f, std::move(a), nh, received_labels, false, config::RouteSource::bgp, 0};
        ps.accepted[fam(f)].insert(p);
        upsert(p, std::move(path));
    }

    void withdraw(PeerId id, PeerState& ps, Family f, const Ipv6Prefix& p, bool drop_received) {
        if (drop_received) ps.received[fam(f)].erase(p);
        if (ps.accepted[fam(f)].erase(p))
            remove_if(p, [&](const Path& x) { return x.peer == id && x.family == f; });
    }

    void drop_family(PeerId id, PeerState& ps, Family f, bool only_stale) {
        if (only_stale && !ps.stale_marked[fam(f)]) return;
        ps.stale_marked[fam(f)] = false;
        std::vector<Ipv6Prefix> ps_list(ps.accepted[fam(f)].begin(), ps.accepted[fam(f)].end());
        for (const auto& p : ps_list) {
            if (only_stale) {
                auto it = loc.find(p);
                bool stale = it != loc.end() && std::any_of(it->second.paths.begin(), it->second.paths.end(),
                                                           [&](const Path& x) {
                                                               return x.peer == id && x.family == f && x.stale;
                                                           });
                if (!stale) continue;
            }
            withdraw(id, ps, f, p, true);
        }
        if (!only_stale) ps.received[fam(f)].clear();
    }

    void note_ignored(PeerState& ps, const char* what) {
        // Once per session at notice level, then debug: a peer may send this in every UPDATE.
        if (!ps.warned_ignored) {
            log::notice("bgp: peer {}: ignoring {} (not 6PE / not handled by this speaker)",
                        ps.facts.address.to_string(), what);
            ps.warned_ignored = true;
        } else {
            log::debug("bgp: peer {}: ignoring {}", ps.facts.address.to_string(), what);
        }
    }

    void receive(PeerId id, const Update& u) {
        auto pit = peers.find(id);
        if (pit == peers.end() || !pit->second.up) {
            log::error("bgp: UPDATE for peer id {} that is not up: ignored", id.value);
            return;
        }
        auto& ps = pit->second;
        bool treat_as_withdraw = false;
        for (const auto& e : u.errors) {
            if (e.action == ErrorAction::TreatAsWithdraw) treat_as_withdraw = true;
            if (e.action == ErrorAction::AfiSafiDisable && e.afi_safi)
                if (auto f = family_of(*e.afi_safi); f && !ps.disabled[fam(*f)]) {
                    log::warning("bgp: peer {}: {} disabled until the session restarts: {}",
                                 ps.facts.address.to_string(), e.afi_safi->to_string(), e.reason);
                    ps.disabled[fam(*f)] = true;
                    drop_family(id, ps, *f, false);
                }
        }
        if (treat_as_withdraw) ++counters.treat_as_withdraw;
        if (!u.withdrawn.empty() || !u.nlri.empty()) {
            ++counters.ignored_ipv4;
            note_ignored(ps, "IPv4 unicast");
        }
        if (u.mp_unreach) {
            auto f = u.mp_unreach->family;
            if (!is_ipv6(f)) {
                ++counters.ignored_ipv4;
                note_ignored(ps, "an IPv4 family");
            } else if (!ps.disabled[fam(f)]) {
                for (const auto& n : u.mp_unreach->v6) withdraw(id, ps, f, n.prefix, true);
            }
        }
        if (u.mp_reach) reach(id, ps, *u.mp_reach, u.attrs, treat_as_withdraw);
    }

    void reach(PeerId id, PeerState& ps, const MpReach& r, const PathAttributes& raw, bool treat_as_withdraw) {
        Family f = r.family;
        if (!is_ipv6(f)) {
            ++counters.ignored_ipv4;  // IPv4 NLRI, with RFC 8950 next hops or not
            note_ignored(ps, "an IPv4 family (RFC 8950 included)");
            return;
        }
        if (ps.disabled[fam(f)]) return;
        auto withdraw_all = [&] {
            for (const auto& n : r.v6) withdraw(id, ps, f, n.prefix, true);
        };
        if (treat_as_withdraw) return withdraw_all();
        if (f == Family::Ipv6Unicast && ps.facts.address.is_v4()) {
            ++counters.ignored_unicast_from_ipv4_ibgp;
            note_ignored(ps, "plain IPv6 unicast over an IPv4 session");
            return withdraw_all();
        }
        auto nh = validate_next_hop(f, r.next_hop, ps.facts, cfg);
        if (!nh) {
            if (f == Family::Ipv6Labeled && !std::holds_alternative<MappedNextHop>(r.next_hop))
                ++counters.ignored_unlabeled_6pe;
            else
                ++counters.bad_next_hops;
            log::info("bgp: peer {}: {} routes refused: {}", ps.facts.address.to_string(), r.v6.size(), nh.error());
            return withdraw_all();
        }
        PathAttributes a = raw;
        a.next_hop.reset();
        if (!ps.facts.ibgp) strip_ebgp_only_attributes(a);
        switch (check_loops(a, cfg)) {
        case LoopCheck::ok: break;
        case LoopCheck::as_path: ++counters.as_path_loops; return withdraw_all();
        case LoopCheck::originator_id: ++counters.originator_loops; return withdraw_all();
        case LoopCheck::cluster_list: ++counters.cluster_loops; return withdraw_all();
        }
        auto attrs = store.intern(std::move(a));
        for (const auto& n : r.v6) {
            LabelStack nlri_labels = f == Family::Ipv6Labeled ? n.labels : LabelStack{};
            if (ps.keeps_received()) ps.received[fam(f)].insert_or_assign(n.prefix, Received{attrs, *nh, nlri_labels});
            accept(id, ps, f, n.prefix, attrs, *nh, nlri_labels);
        }
    }

    // ---- export ----

    std::optional<OutRoute> out_route(const Group& g, const Ipv6Prefix& p, Family f) {
        auto it = loc.find(p);
        if (it == loc.end() || it->second.selected.empty()) return std::nullopt;
        const Path& path = it->second.paths[it->second.selected.front()];
        ExportInput in;
        in.prefix = p;
        in.path = &path;
        in.source = path.local() ? nullptr : &peers.at(path.peer).facts;
        in.target_is_source = !g.facts.ibgp && g.ebgp_peer == path.peer;
        in.target = &g.facts;
        in.family = f;
        in.own_label = labels.label_of(p);
        auto r = export_route(in, cfg);
        if (!r.route) return std::nullopt;
        return OutRoute{store.intern(std::move(r.route->attrs)), r.route->next_hop, r.route->labels};
    }

    void queue(PeerId id, Messages msgs) {
        auto& ps = peers.at(id);
        for (auto& m : msgs)
            if (!m.empty()) ps.out.push_back(std::make_shared<const std::vector<uint8_t>>(std::move(m)));
    }

    void send_full_table(PeerId id, Group& g, bool with_eor, std::optional<Family> only = std::nullopt) {
        const auto& ctx = peers.at(id).facts.negotiated.send;
        for (auto& o : g.out) {
            if (only && o.family() != *only) continue;
            queue(id, o.full_table(ctx));
            if (with_eor) queue(id, Messages{o.end_of_rib(ctx)});
        }
        if (!peers.at(id).out.empty()) observer.output_ready(id);
    }

    Status<std::string> peer_up(PeerId id, PeerFacts facts) {
        if (id == kLocalPeer) return err(std::string("peer id 0 is reserved for local routes"));
        auto [pit, fresh] = peers.try_emplace(id);
        auto& ps = pit->second;
        if (!fresh && ps.up) return err("peer id " + std::to_string(id.value) + " is already up");
        // A peer coming back after a graceful restart keeps its stale paths until End-of-RIB.
        ps.facts = std::move(facts);
        ps.up = true;
        ps.disabled = {};
        ps.warned_ignored = false;
        ps.out.clear();
        ps.group = group_key(id, ps.facts);
        auto [git, new_group] = groups.try_emplace(ps.group);
        auto& g = git->second;
        g.members.push_back(id);
        if (new_group) {
            g.facts = ps.facts;
            g.ebgp_peer = id;
            for (auto f : kRibFamilies)
                if (sends_family(ps.facts, f)) g.out.emplace_back(f);
            for (auto& o : g.out)
                for (const auto& [p, d] : loc)
                    if (auto r = out_route(g, p, o.family())) o.load(p, std::move(*r));
        }
        log::debug("bgp: peer {} up ({}), update group of {} peer(s)", ps.facts.address.to_string(),
                  ps.facts.ibgp ? "iBGP" : "eBGP", g.members.size());
        if (!deferring) send_full_table(id, g, true);
        return ok_unit;
    }

    void leave_group(PeerId id, PeerState& ps) {
        auto git = groups.find(ps.group);
        if (git == groups.end()) return;
        std::erase(git->second.members, id);
        if (git->second.members.empty()) groups.erase(git);
        ps.group.clear();
    }

    void peer_down(PeerId id, bool graceful) {
        auto pit = peers.find(id);
        if (pit == peers.end() || !pit->second.up) return;
        auto& ps = pit->second;
        leave_group(id, ps);
        ps.up = false;
        ps.out.clear();
        bool any_stale = false;
        for (auto f : kRibFamilies) {
            bool keep = graceful && std::find(ps.facts.graceful_restart_families.begin(),
                                              ps.facts.graceful_restart_families.end(),
                                              f) != ps.facts.graceful_restart_families.end();
            if (!keep) {
                drop_family(id, ps, f, false);
                continue;
            }
            any_stale = mark_stale(id, ps, f) || any_stale;
            ps.received[fam(f)].clear();
        }
        if (!any_stale) peers.erase(pit);
    }

    // Stale paths stay eligible (forwarding goes on) until replaced or swept.
    bool mark_stale(PeerId id, PeerState& ps, Family f) {
        bool any = false;
        for (const auto& p : ps.accepted[fam(f)]) {
            auto it = loc.find(p);
            if (it == loc.end()) continue;
            for (auto& path : it->second.paths)
                if (path.peer == id && path.family == f) path.stale = true;
            any = true;
        }
        if (any) ps.stale_marked[fam(f)] = true;
        return any;
    }

    void sweep(PeerId id, std::optional<Family> only) {
        auto pit = peers.find(id);
        if (pit == peers.end()) return;
        for (auto f : kRibFamilies)
            if (!only || *only == f) drop_family(id, pit->second, f, true);
        if (!pit->second.up) {
            bool left = std::any_of(pit->second.accepted.begin(), pit->second.accepted.end(),
                                    [](const auto& s) { return !s.empty(); });
            if (!left) peers.erase(pit);
        }
    }

    void flush() {
        if (dirty.empty() || deferring) return;
        std::vector<Ipv6Prefix> todo(dirty.begin(), dirty.end());
        std::sort(todo.begin(), todo.end());
        dirty.clear();
        for (auto& [key, g] : groups) {
            bool any = false;
            for (auto& o : g.out) {
                for (const auto& p : todo) o.set(p, out_route(g, p, o.family()));
                if (!o.has_changes()) continue;
                // Packed once for the group; members share the bytes.
                auto msgs = o.take_changes(peers.at(g.members.front()).facts.negotiated.send);
                std::vector<std::shared_ptr<const std::vector<uint8_t>>> shared;
                for (auto& m : msgs) shared.push_back(std::make_shared<const std::vector<uint8_t>>(std::move(m)));
                for (auto id : g.members) {
                    auto& q = peers.at(id).out;
                    q.insert(q.end(), shared.begin(), shared.end());
                }
                any = any || !shared.empty();
            }
            if (any)
                for (auto id : g.members) observer.output_ready(id);
        }
    }

    void end_deferral() {
        if (!deferring) return;
        deferring = false;
        dirty.clear();  // every table is sent whole
        for (auto& [key, g] : groups) {
            for (auto& o : g.out) {
                o.clear();
                for (const auto& [p, d] : loc)
                    if (auto r = out_route(g, p, o.family())) o.load(p, std::move(*r));
            }
            for (auto id : g.members) send_full_table(id, g, true);
        }
    }

    // ---- local routes ----

    bool redistributed(const LocalRoute& r) const {
        const auto& rd = cfg.redistribute;
        switch (r.source) {
        case config::RouteSource::static_route: return rd.static_routes;
        case config::RouteSource::connected: return rd.connected;
        case config::RouteSource::kernel:
            return std::find(rd.kernel_protocols.begin(), rd.kernel_protocols.end(), r.kernel_protocol) !=
                   rd.kernel_protocols.end();
        case config::RouteSource::bgp: return false;
        }
        return false;
    }

    void originate(const LocalRoute& r) {
        auto drop = [&] {
            remove_if(r.prefix, [&](const Path& x) { return x.local() && x.source == r.source; });
        };
        if (!redistributed(r)) return drop();
        PathAttributes a;
        // Configured and connected networks are IGP; routes taken from other daemons are INCOMPLETE.
        a.origin = r.source == config::RouteSource::kernel ? Origin::Incomplete : Origin::Igp;
        a.as_path = AsPath{};
        if (cfg.redistribute.policy) {
            auto it = cfg.policies.find(*cfg.redistribute.policy);
            if (it != cfg.policies.end()) {
                auto o = policy::evaluate(it->second, policy::Direction::import,
                                          policy::RouteFacts{r.prefix, r.source, std::nullopt}, std::move(a),
                                          policy::Environment{&cfg.prefix_lists, cfg.local_as});
                if (!o.accepted) return drop();
                a = std::move(o.attrs);
            }
        }
        Path path;
        path.peer = kLocalPeer;
        path.attrs = store.intern(std::move(a));
        path.next_hop.ipv6 = r.next_hop;
        path.source = r.source;
        path.kernel_protocol = r.kernel_protocol;
        upsert(r.prefix, std::move(path));
    }

    std::vector<Ipv6Prefix> all_prefixes() const {
        std::vector<Ipv6Prefix> v;
        v.reserve(loc.size() + best.size());
        for (const auto& [p, d] : loc) v.push_back(p);
        return v;
    }
};

Rib::Rib(RibConfig cfg, LabelAllocator& labels, const NextHopView& next_hops, RibObserver& observer)
    : impl_(std::make_unique<Impl>(std::move(cfg), labels, next_hops, observer)) {}
Rib::~Rib() = default;

Status<std::string> Rib::peer_up(PeerId id, PeerFacts facts) { return impl_->peer_up(id, std::move(facts)); }
void Rib::peer_down(PeerId id, bool graceful) { impl_->peer_down(id, graceful); }
void Rib::sweep_stale(PeerId id) { impl_->sweep(id, std::nullopt); }
void Rib::receive(PeerId id, const Update& update) { impl_->receive(id, update); }
void Rib::end_of_rib(PeerId id, Family f) { impl_->sweep(id, f); }

void Rib::route_refresh_received(PeerId id, Family f) {
    auto pit = impl_->peers.find(id);
    if (pit == impl_->peers.end() || !pit->second.up) return;
    auto git = impl_->groups.find(pit->second.group);
    if (git == impl_->groups.end() || !sends_family(pit->second.facts, f)) return;
    const auto& ctx = pit->second.facts.negotiated.send;
    bool enhanced = pit->second.facts.negotiated.enhanced_route_refresh;
    auto marker = [&](uint8_t subtype) {
        auto m = encode(Message{RouteRefresh{afi_safi_of(f), subtype}}, ctx);
        return m ? std::move(*m) : std::vector<uint8_t>{};
    };
    if (enhanced) impl_->queue(id, Messages{marker(route_refresh_subtype::kBeginningOfRibRefresh)});
    impl_->send_full_table(id, git->second, false, f);
    if (enhanced) {
        impl_->queue(id, Messages{marker(route_refresh_subtype::kEndOfRibRefresh)});
        impl_->observer.output_ready(id);
    }
}

void Rib::begin_route_refresh(PeerId id, Family f) {
    auto pit = impl_->peers.find(id);
    if (pit == impl_->peers.end() || !pit->second.up) return;
    impl_->mark_stale(id, pit->second, f);
}

void Rib::end_route_refresh(PeerId id, Family f) { impl_->sweep(id, f); }

void Rib::soft_clear_in(PeerId id) {
    auto pit = impl_->peers.find(id);
    if (pit == impl_->peers.end() || !pit->second.up) return;
    auto& ps = pit->second;
    if (!ps.keeps_received()) {
        for (auto f : kRibFamilies)
            if (ps.facts.has_family(f)) impl_->observer.send_route_refresh(id, f);
        return;
    }
    for (auto f : kRibFamilies) {
        auto copy = ps.received[fam(f)];  // accept() may not touch it, but keep iteration safe
        for (const auto& [p, r] : copy) impl_->accept(id, ps, f, p, r.attrs, r.next_hop, r.labels);
    }
}

void Rib::originate(const LocalRoute& r) { impl_->originate(r); }
void Rib::withdraw_local(const Ipv6Prefix& prefix, config::RouteSource source) {
    impl_->remove_if(prefix, [&](const Path& x) { return x.local() && x.source == source; });
}

void Rib::next_hops_changed() {
    for (const auto& p : impl_->all_prefixes()) impl_->recompute(p);
}

void Rib::flush() { impl_->flush(); }
void Rib::begin_deferral() { impl_->deferring = true; }
void Rib::end_deferral() { impl_->end_deferral(); }
bool Rib::deferring() const { return impl_->deferring; }

std::vector<std::vector<uint8_t>> Rib::take_output(PeerId id, std::size_t max) {
    std::vector<std::vector<uint8_t>> out;
    auto pit = impl_->peers.find(id);
    if (pit == impl_->peers.end()) return out;
    auto& q = pit->second.out;
    while (!q.empty() && out.size() < max) {
        out.push_back(*q.front());
        q.pop_front();
    }
    return out;
}

bool Rib::has_output(PeerId id) const {
    auto pit = impl_->peers.find(id);
    return pit != impl_->peers.end() && !pit->second.out.empty();
}

void Rib::reconfigure(RibConfig cfg) {
    bool mode_changed = cfg.label_mode != impl_->cfg.label_mode;
    impl_->cfg = std::move(cfg);
    if (mode_changed) impl_->labels.set_mode(impl_->cfg.label_mode);
    // Export policies, max-paths and MED rules may all have changed: re-decide and re-export everything.
    for (const auto& p : impl_->all_prefixes()) impl_->recompute(p, true);
}

std::optional<BestPathSet> Rib::best(const Ipv6Prefix& p) const {
    auto it = impl_->best.find(p);
    if (it == impl_->best.end()) return std::nullopt;
    return BestPathSet{p, it->second};
}
std::size_t Rib::loc_rib_size() const { return impl_->best.size(); }
std::size_t Rib::adj_rib_in_size(PeerId id, Family f) const {
    auto pit = impl_->peers.find(id);
    return pit == impl_->peers.end() ? 0 : pit->second.accepted[fam(f)].size();
}
std::size_t Rib::adj_rib_out_size(PeerId id) const {
    auto pit = impl_->peers.find(id);
    if (pit == impl_->peers.end()) return 0;
    auto git = impl_->groups.find(pit->second.group);
    if (git == impl_->groups.end()) return 0;
    std::size_t n = 0;
    for (const auto& o : git->second.out) n += o.size();
    return n;
}
std::optional<MplsLabel> Rib::advertised_label(const Ipv6Prefix& p) const {
    auto it = impl_->best.find(p);
    if (it == impl_->best.end() || it->second.front().next_hop.mapped) return std::nullopt;
    return impl_->labels.label_of(p);
}
std::optional<PrefixView> Rib::prefix_view(const Ipv6Prefix& p) const {
    auto it = impl_->loc.find(p);
    if (it == impl_->loc.end()) return std::nullopt;
    const Dest& d = it->second;
    PrefixView v{p, {}};
    for (std::size_t i = 0; i < d.paths.size(); ++i) {
        const Path& path = d.paths[i];
        PathView pv{path.peer, path.family, path.next_hop, path.labels, path.attrs, path.local(), path.stale, -1,
                    impl_->state_of(path)};
        auto sel = std::find(d.selected.begin(), d.selected.end(), i);
        if (sel != d.selected.end()) pv.rank = int(sel - d.selected.begin());
        v.paths.push_back(std::move(pv));
    }
    return v;
}
std::vector<Ipv6Prefix> Rib::prefixes() const { return impl_->all_prefixes(); }
const RibCounters& Rib::counters() const { return impl_->counters; }
std::size_t Rib::interned_attribute_sets() const { return impl_->store.size(); }

}  // namespace isthmus::bgp::rib
