#include "daemon/resolver/transport.hpp"

namespace isthmus::daemon::resolver {

namespace {

// The LDP part of the way to A: resolve with an implicit-null BGP label, so stack_for() leaves the
// LDP label alone, or [2] when the LDP label is implicit null too (stack_for never yields 2 from
// LDP: a peer's label 2 is refused as reserved).
EgressResolution resolve_transport(const Ipv4Address& a, const CoreView& core) {
    return resolve_egress(a, MplsLabel::implicit_null(), core);
}

}  // namespace

netlink::MplsRoute transport_route(MplsLabel local, const EgressResolution& r) {
    netlink::MplsRoute route;
    route.in_label = local;
    for (const auto& p : r.paths) {
        netlink::MplsPath path;
        path.via = IpAddress(p.gateway);
        path.ifindex = p.ifindex;
        bool pop = p.labels.size() == 1 && p.labels.top() == MplsLabel::ipv6_explicit_null();
        if (!pop) path.out_labels = p.labels;
        route.paths.push_back(std::move(path));
    }
    return route;
}

const TransportTable::Entry& TransportTable::acquire(const Ipv4Address& a, const CoreView& core) {
    auto [it, fresh] = entries_.try_emplace(a);
    Entry& e = it->second;
    ++e.refs;
    if (fresh) {
        e.local = labels_.allocate(LabelClient::recirculation);
        e.resolution = resolve_transport(a, core);
        if (!e.local) e.resolution.reason = "the recirculation label range is exhausted";
        program(e);
    }
    return e;
}

void TransportTable::release(const Ipv4Address& a) {
    auto it = entries_.find(a);
    if (it == entries_.end() || --it->second.refs > 0) return;
    if (auto l = it->second.local) {
        if (it->second.resolution.resolved()) remove_(*l);
        labels_.release(LabelClient::recirculation, *l);
    }
    entries_.erase(it);
}

void TransportTable::program(const Entry& e) {
    if (e.local && e.resolution.resolved()) set_(transport_route(*e.local, e.resolution));
}

void TransportTable::core_changed(const CoreView& core,
                                  const std::function<void(const Ipv4Address&)>& resolvedness_changed) {
    for (auto& [a, e] : entries_) {
        if (!e.local) continue;
        auto next = resolve_transport(a, core);
        bool was = e.resolution.resolved();
        bool same = next.paths == e.resolution.paths;
        e.resolution = std::move(next);
        if (same) continue;
        if (e.resolution.resolved()) {
            program(e);  // one replace moves every prefix behind A
            if (was) ++replaces_;
        } else {
            remove_(*e.local);
        }
        if (was != e.resolution.resolved()) resolvedness_changed(a);
    }
}

const TransportTable::Entry* TransportTable::find(const Ipv4Address& a) const {
    auto it = entries_.find(a);
    return it == entries_.end() ? nullptr : &it->second;
}

void TransportTable::clear() {
    for (auto& [a, e] : entries_)
        if (e.local) {
            if (e.resolution.resolved()) remove_(*e.local);
            labels_.release(LabelClient::recirculation, *e.local);
        }
    entries_.clear();
}

}  // namespace isthmus::daemon::resolver
