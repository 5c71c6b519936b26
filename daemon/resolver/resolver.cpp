#include "daemon/resolver/resolver.hpp"

#include <algorithm>

#include "daemon/resolver/labels.hpp"

namespace isthmus::daemon::resolver {

namespace {

netlink::Forwarding to_forwarding(const ForwardingPath& p) {
    return netlink::Forwarding::six_pe(p.gateway, p.ifindex, p.labels);
}

}  // namespace

Resolver::Resolver(const CoreView& core, ForwardingSink& sink, ResolverOptions options)
    : core_(core), sink_(sink), port_(options.port) {
    if (port_ && options.labels)
        transports_.emplace(
            *options.labels, [this](const netlink::MplsRoute& r) { sink_.set_mpls_route(r); },
            [this](MplsLabel l) { sink_.remove_mpls_route(l); });
}

ResolverStats Resolver::stats() const {
    ResolverStats s = stats_;
    if (transports_) s.transport_replaces = transports_->replaces();
    return s;
}

void Resolver::update(const bgp::rib::BestPathSet& set) {
    Entry next;
    for (const auto& path : set.paths) {
        if (path.local) continue;  // this router's own routes are in the kernel already
        if (path.next_hop.mapped) {
            // 6PE: the bottom label the egress advertised (DECISIONS 5 applies in stack_for).
            MplsLabel bgp = path.labels.empty() ? MplsLabel::implicit_null() : path.labels.bottom();
            next.egresses.push_back({*path.next_hop.mapped, bgp});
        } else if (path.next_hop.ipv6) {
            next.ces.push_back({*path.next_hop.ipv6});
        }
    }
    std::sort(next.egresses.begin(), next.egresses.end());
    next.egresses.erase(std::unique(next.egresses.begin(), next.egresses.end()), next.egresses.end());
    std::sort(next.ces.begin(), next.ces.end());
    next.ces.erase(std::unique(next.ces.begin(), next.ces.end()), next.ces.end());

    auto it = prefixes_.find(set.prefix);
    std::vector<EgressKey> old;
    if (it != prefixes_.end()) {
        if (it->second.egresses == next.egresses && it->second.ces == next.ces) return;
        old = it->second.egresses;
    }
    // New egresses are taken before old ones are let go: one in both keeps its entries (and, in
    // hierarchical mode, its local label and LFIB entry).
    for (const auto& k : next.egresses)
        if (!std::binary_search(old.begin(), old.end(), k)) acquire(set.prefix, k);
    for (const auto& k : old)
        if (!std::binary_search(next.egresses.begin(), next.egresses.end(), k)) release(set.prefix, k);
    if (next.egresses.empty() && next.ces.empty()) {
        if (it != prefixes_.end()) {
            if (it->second.state.installed) {
                sink_.remove_route(set.prefix);
                ++stats_.route_removes;
            }
            prefixes_.erase(it);
        }
        return;
    }
    // Keep what the kernel has, so install() sends nothing when the ways out did not change.
    if (it != prefixes_.end()) next.state = std::move(it->second.state);
    Entry& e = prefixes_[set.prefix];
    e = std::move(next);
    install(set.prefix, e);
}

void Resolver::acquire(const Ipv6Prefix& p, const EgressKey& k) {
    auto [eit, fresh] = egresses_.try_emplace(k);
    if (fresh) eit->second.resolution = resolve_egress(k.egress, k.label, core_);
    eit->second.users.insert(p);
    if (transports_) transports_->acquire(k.egress, core_);
}

void Resolver::release(const Ipv6Prefix& p, const EgressKey& k) {
    auto it = egresses_.find(k);
    if (it == egresses_.end()) return;
    if (transports_) transports_->release(k.egress);
    it->second.users.erase(p);
    if (it->second.users.empty()) egresses_.erase(it);
}

void Resolver::add_paths(const EgressKey& k, std::vector<netlink::Path>& paths,
                         std::vector<std::string>& unresolved) const {
    if (!transports_) {
        const auto& r = egresses_.at(k).resolution;
        if (!r.resolved()) unresolved.push_back(r.reason);
        for (const auto& fp : r.paths) paths.push_back({to_forwarding(fp), 1});
        return;
    }
    const auto* t = transports_->find(k.egress);
    if (!t || !t->local || !t->resolution.resolved()) {
        unresolved.push_back(t ? t->resolution.reason : "no transport entry for " + k.egress.to_string());
        return;
    }
    // The BGP part alone (DECISIONS 5): [2] for implicit null, so the transport label always has
    // something below it once popped.
    auto bottom = stack_for(MplsLabel::implicit_null(), k.label);
    if (!bottom) {
        unresolved.push_back(bottom.error() + " (egress PE " + k.egress.to_string() + ")");
        return;
    }
    LabelStack stack;
    stack.push_back(*t->local);
    for (auto l : *bottom) stack.push_back(l);
    paths.push_back({netlink::Forwarding::six_pe(port_->gateway, port_->ifindex, stack), 1});
}

void Resolver::install(const Ipv6Prefix& p, Entry& e) {
    std::vector<netlink::Path> paths;
    std::vector<std::string> unresolved;
    for (const auto& k : e.egresses) add_paths(k, paths, unresolved);
    for (const auto& ce : e.ces) {
        if (auto ifindex = core_.ipv6_interface(ce.gateway))
            paths.push_back({netlink::Forwarding::ipv6(ce.gateway, *ifindex), 1});
        else
            unresolved.push_back("no IPv6 route to the CE next hop " + ce.gateway.to_string());
    }
    std::sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) { return a.forwarding < b.forwarding; });
    paths.erase(std::unique(paths.begin(), paths.end(),
                            [](const auto& a, const auto& b) { return a.forwarding == b.forwarding; }),
                paths.end());
    e.state.unresolved = std::move(unresolved);
    bool same = e.state.installed && e.state.paths.size() == paths.size() &&
                std::equal(paths.begin(), paths.end(), e.state.paths.begin(),
                           [](const auto& a, const auto& b) { return a.forwarding == b.forwarding; });
    if (same) return;
    if (paths.empty()) {
        if (e.state.installed) {
            sink_.remove_route(p);
            ++stats_.route_removes;
        }
        e.state.installed = false;
    } else {
        sink_.set_route(p, paths);
        ++stats_.route_sets;
        e.state.installed = true;
    }
    e.state.paths = std::move(paths);
}

void Resolver::core_changed() {
    std::set<Ipv6Prefix> repoint;
    if (transports_) {
        // Prefix objects point into the port and stay; only the per-egress LFIB entries move.
        transports_->core_changed(core_, [&](const Ipv4Address& a) {
            for (const auto& [key, eg] : egresses_)
                if (key.egress == a) repoint.insert(eg.users.begin(), eg.users.end());
        });
        for (auto& [key, eg] : egresses_) eg.resolution = resolve_egress(key.egress, key.label, core_);
        for (const auto& p : repoint) install(p, prefixes_.at(p));
        return;
    }
    for (auto& [key, eg] : egresses_) {
        EgressResolution next = resolve_egress(key.egress, key.label, core_);
        EgressResolution& cur = eg.resolution;
        if (next.paths == cur.paths) {
            cur = std::move(next);  // reasons and costs may still differ
            continue;
        }
        if (!cur.paths.empty() && cur.paths.size() == next.paths.size()) {
            // Same number of ways out: swap the shared objects' content, prefixes untouched.
            for (std::size_t i = 0; i < cur.paths.size(); ++i) {
                if (cur.paths[i] == next.paths[i]) continue;
                if (sink_.replace_forwarding(to_forwarding(cur.paths[i]), to_forwarding(next.paths[i])))
                    ++stats_.object_replaces;
            }
            for (const auto& p : eg.users) {
                auto& st = prefixes_.at(p).state;
                for (auto& path : st.paths)
                    for (std::size_t i = 0; i < cur.paths.size(); ++i)
                        if (path.forwarding == to_forwarding(cur.paths[i])) {
                            path.forwarding = to_forwarding(next.paths[i]);
                            break;
                        }
            }
        } else {
            repoint.insert(eg.users.begin(), eg.users.end());
        }
        cur = std::move(next);
    }
    for (const auto& p : repoint) install(p, prefixes_.at(p));
}

void Resolver::port_changed(const RecirculationPortRef& port) {
    port_ = port;
    for (auto& [p, e] : prefixes_) install(p, e);
}

void Resolver::clear() {
    for (const auto& [p, e] : prefixes_)
        if (e.state.installed) {
            sink_.remove_route(p);
            ++stats_.route_removes;
        }
    prefixes_.clear();
    egresses_.clear();
    if (transports_) transports_->clear();
}

std::size_t Resolver::installed_prefixes() const {
    return std::count_if(prefixes_.begin(), prefixes_.end(), [](const auto& kv) { return kv.second.state.installed; });
}

void Resolver::for_each_egress(const std::function<void(const Ipv4Address&, MplsLabel, const EgressResolution&,
                                                        std::size_t)>& f) const {
    for (const auto& [k, eg] : egresses_) f(k.egress, k.label, eg.resolution, eg.users.size());
}

std::optional<PrefixState> Resolver::prefix(const Ipv6Prefix& p) const {
    auto it = prefixes_.find(p);
    if (it == prefixes_.end()) return std::nullopt;
    return it->second.state;
}

const EgressResolution* Resolver::egress(const Ipv4Address& a, MplsLabel bgp_label) const {
    auto it = egresses_.find({a, bgp_label});
    return it == egresses_.end() ? nullptr : &it->second.resolution;
}

}  // namespace isthmus::daemon::resolver
