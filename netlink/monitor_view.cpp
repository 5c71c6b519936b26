#include "monitor_view.hpp"

#include <algorithm>

#include "netlink/attributes.hpp"
#include "netlink/monitor_decode.hpp"

namespace isthmus::netlink {

// --- queries ---

const Link* MonitorView::link(uint32_t ifindex) const {
    auto it = links_.live.find(ifindex);
    return it == links_.live.end() ? nullptr : &it->second;
}

const Link* MonitorView::link(std::string_view name) const {
    for (const auto& [i, l] : links_.live)
        if (l.name == name) return &l;
    return nullptr;
}

std::vector<Address> MonitorView::addresses_of(uint32_t ifindex) const {
    std::vector<Address> out;
    for (const auto& [k, a] : addresses_.live)
        if (k.ifindex == ifindex) out.push_back(a);
    return out;
}

const Ipv4RouteInfo* MonitorView::ipv4_route(Ipv4Prefix prefix, uint32_t table) const {
    // Keys sort by table, prefix, then metric: the first entry at the prefix has the lowest metric.
    auto it = routes4_.live.lower_bound(Route4Key{table, prefix, 0});
    if (it == routes4_.live.end() || it->first.table != table || it->first.prefix != prefix) return nullptr;
    return &it->second;
}

const Ipv6RouteInfo* MonitorView::ipv6_route(Ipv6Prefix prefix, uint32_t table) const {
    auto it = routes6_.live.lower_bound(Route6Key{table, prefix, 0});
    if (it == routes6_.live.end() || it->first.table != table || it->first.prefix != prefix) return nullptr;
    return &it->second;
}

const Ipv4RouteInfo* MonitorView::lookup(Ipv4Address dst, uint32_t table) const {
    for (int len = 32; len >= 0; --len)
        if (auto* r = ipv4_route(Ipv4Prefix::make(dst, len), table)) return r;
    return nullptr;
}

const Neighbour* MonitorView::neighbour(uint32_t ifindex, Ipv4Address address) const {
    auto it = neighbours_.live.find(NeighbourKey{ifindex, address});
    return it == neighbours_.live.end() ? nullptr : &it->second;
}

const NexthopInfo* MonitorView::nexthop(NexthopId id) const {
    auto it = nexthops_.live.find(id.value);
    return it == nexthops_.live.end() ? nullptr : &it->second;
}

// --- table primitives ---

template <class K, class V>
void MonitorView::upsert(Store<K, V>& s, const K& k, const V& v, Origin o, std::vector<MonitorEvent>& out) {
    if (s.fresh) {  // resync: the diff at the end reports it
        (*s.fresh)[k] = v;
        return;
    }
    auto [it, inserted] = s.live.try_emplace(k, v);
    if (!inserted) {
        if (it->second == v) return;
        it->second = v;
    }
    out.push_back(Update<V>{v, false, o});
}

template <class K, class V>
void MonitorView::erase(Store<K, V>& s, const K& k, Origin o, std::vector<MonitorEvent>& out) {
    if (s.fresh) {
        s.fresh->erase(k);
        return;
    }
    auto it = s.live.find(k);
    if (it == s.live.end()) return;
    V old = std::move(it->second);
    s.live.erase(it);
    out.push_back(Update<V>{std::move(old), true, o});
}

template <class K, class V>
void MonitorView::finish_resync(Store<K, V>& s, std::vector<MonitorEvent>& out) {
    if (!s.fresh) return;
    auto& now = *s.fresh;
    // Both maps are sorted by key: one merge pass finds what went, came and changed.
    auto a = s.live.begin();
    auto b = now.begin();
    while (a != s.live.end() || b != now.end()) {
        if (b == now.end() || (a != s.live.end() && a->first < b->first)) {
            out.push_back(Update<V>{a->second, true, Origin::dump});
            ++a;
        } else if (a == s.live.end() || b->first < a->first) {
            out.push_back(Update<V>{b->second, false, Origin::dump});
            ++b;
        } else {
            if (!(a->second == b->second)) out.push_back(Update<V>{b->second, false, Origin::dump});
            ++a;
            ++b;
        }
    }
    s.live = std::move(now);
    s.fresh.reset();
}

void MonitorView::begin_resync(Table t) {
    switch (t) {
        case Table::links: links_.fresh.emplace(); break;
        case Table::addresses: addresses_.fresh.emplace(); break;
        case Table::ipv4_routes: routes4_.fresh.emplace(); break;
        case Table::ipv6_routes: routes6_.fresh.emplace(); break;
        case Table::neighbours: neighbours_.fresh.emplace(); break;
        case Table::nexthops: nexthops_.fresh.emplace(); break;
        case Table::label_routes: labels_.fresh.emplace(); break;
    }
}

void MonitorView::abort_resync(Table t) {
    switch (t) {
        case Table::links: links_.fresh.reset(); break;
        case Table::addresses: addresses_.fresh.reset(); break;
        case Table::ipv4_routes: routes4_.fresh.reset(); break;
        case Table::ipv6_routes: routes6_.fresh.reset(); break;
        case Table::neighbours: neighbours_.fresh.reset(); break;
        case Table::nexthops: nexthops_.fresh.reset(); break;
        case Table::label_routes: labels_.fresh.reset(); break;
    }
}

bool MonitorView::resyncing(Table t) const {
    switch (t) {
        case Table::links: return links_.fresh.has_value();
        case Table::addresses: return addresses_.fresh.has_value();
        case Table::ipv4_routes: return routes4_.fresh.has_value();
        case Table::ipv6_routes: return routes6_.fresh.has_value();
        case Table::neighbours: return neighbours_.fresh.has_value();
        case Table::nexthops: return nexthops_.fresh.has_value();
        case Table::label_routes: return labels_.fresh.has_value();
    }
    return false;
}

void MonitorView::end_resync(Table t, std::vector<MonitorEvent>& out) {
    switch (t) {
        case Table::links: {
            if (!links_.fresh) return;
            // A link that went down while notifications were lost took its objects with it, silently.
            std::vector<std::tuple<Link, Link, bool>> downs;
            for (const auto& [i, before] : links_.live) {
                auto it = links_.fresh->find(i);
                if (it == links_.fresh->end()) downs.emplace_back(before, before, true);
                else if ((before.admin_up && !it->second.admin_up) || (before.oper_up && !it->second.oper_up))
                    downs.emplace_back(before, it->second, false);
            }
            finish_resync(links_, out);
            for (auto& [before, now, removed] : downs) derive_link_down(before, now, removed, out);
            break;
        }
        case Table::addresses: finish_resync(addresses_, out); break;
        case Table::ipv4_routes: finish_resync(routes4_, out); break;
        case Table::ipv6_routes: finish_resync(routes6_, out); break;
        case Table::neighbours: finish_resync(neighbours_, out); break;
        case Table::nexthops: finish_resync(nexthops_, out); break;
        case Table::label_routes: finish_resync(labels_, out); break;
    }
}

// --- messages ---

std::optional<std::string> MonitorView::apply(std::span<const uint8_t> msg, std::vector<MonitorEvent>& out) {
    if (auto h = message_header(msg); !h) return h.error();
    auto m = classify(msg);
    if (!m) return std::nullopt;
    ++applied_;
    switch (m->table) {
        case Table::links: return apply_link(msg, m->removed, out);
        case Table::addresses: return apply_address(msg, m->removed, out);
        case Table::ipv4_routes:
        case Table::ipv6_routes: return apply_route(msg, m->removed, out);
        case Table::neighbours: return apply_neighbour(msg, m->removed, out);
        case Table::nexthops: return apply_nexthop(msg, m->removed, out);
        case Table::label_routes: return apply_label_route(msg, m->removed, out);
    }
    return std::nullopt;
}

std::optional<std::string> MonitorView::apply_link(std::span<const uint8_t> msg, bool removed,
                                                   std::vector<MonitorEvent>& out) {
    auto l = decode_link(msg);
    if (!l) return l.error();
    if (!*l) return std::nullopt;
    const Link& now = **l;
    auto& map = links_.target();
    std::optional<Link> before;
    if (auto it = map.find(now.ifindex); it != map.end()) before = it->second;
    if (removed) {
        erase(links_, now.ifindex, Origin::notification, out);
        derive_link_down(before.value_or(now), now, true, out);
        return std::nullopt;
    }
    upsert(links_, now.ifindex, now, Origin::notification, out);
    if (before && ((before->admin_up && !now.admin_up) || (before->oper_up && !now.oper_up)))
        derive_link_down(*before, now, false, out);
    return std::nullopt;
}

void MonitorView::derive_link_down(const Link& before, const Link& now, bool removed, std::vector<MonitorEvent>& out) {
    (void)before;
    const uint32_t dev = now.ifindex;
    const bool admin_down = removed || !now.admin_up;
    const bool carrier_down = admin_down || !now.oper_up;

    // Nexthop objects on the device are flushed on admin down and on carrier loss, with no
    // RTM_DELNEXTHOP (KERNEL.md section 4; nexthop_netdev_event in the kernel).
    if (carrier_down) {
        std::set<uint32_t> gone;
        for (const auto& [id, nh] : nexthops_.target())
            if (nh.members.empty() && nh.ifindex == dev) gone.insert(id);
        nexthops_gone(std::move(gone), Origin::derived, out);
    }
    // Admin down flushes IPv4 routes whose every path leaves through the device without telling
    // (fib_sync_down_dev + fib_flush); IPv6 announces its deletions, but a lost one would stay.
    // Carrier loss only marks them linkdown: they stay.
    auto all_on_dev = [dev](const auto& r) {
        return !r.nhid.valid() && !r.nexthops.empty() &&
               std::all_of(r.nexthops.begin(), r.nexthops.end(), [dev](const RouteNexthop& p) { return p.ifindex == dev; });
    };
    if (admin_down) {
        std::vector<Route4Key> r4;
        for (const auto& [k, r] : routes4_.target())
            if (all_on_dev(r)) r4.push_back(k);
        for (const auto& k : r4) erase(routes4_, k, Origin::derived, out);
        std::vector<Route6Key> r6;
        for (const auto& [k, r] : routes6_.target())
            if (all_on_dev(r)) r6.push_back(k);
        for (const auto& k : r6) erase(routes6_, k, Origin::derived, out);
    }
    if (removed) {
        std::vector<AddressKey> addrs;
        for (const auto& [k, a] : addresses_.target())
            if (k.ifindex == dev) addrs.push_back(k);
        for (const auto& k : addrs) erase(addresses_, k, Origin::derived, out);
        std::vector<NeighbourKey> neighs;
        for (const auto& [k, n] : neighbours_.target())
            if (k.ifindex == dev) neighs.push_back(k);
        for (const auto& k : neighs) erase(neighbours_, k, Origin::derived, out);
    }
}

void MonitorView::nexthops_gone(std::set<uint32_t> gone, Origin o, std::vector<MonitorEvent>& out) {
    // Objects first, then the groups they leave (a group left empty goes too, and with it its
    // routes), then the routes that pointed at anything gone.
    std::set<uint32_t> all;
    while (!gone.empty()) {
        for (uint32_t id : gone) erase(nexthops_, id, o, out);
        all.insert(gone.begin(), gone.end());
        std::set<uint32_t> emptied;
        std::vector<NexthopInfo> shrunk;
        for (const auto& [id, g] : nexthops_.target()) {
            if (g.members.empty()) continue;
            NexthopInfo copy = g;
            std::erase_if(copy.members, [&](const GroupMember& m) { return all.count(m.id.value) != 0; });
            if (copy.members.size() == g.members.size()) continue;
            if (copy.members.empty()) emptied.insert(id);
            else shrunk.push_back(std::move(copy));
        }
        for (const auto& g : shrunk) upsert(nexthops_, g.id.value, g, o, out);
        gone = std::move(emptied);
    }
    if (all.empty()) return;
    std::vector<Route4Key> r4;
    for (const auto& [k, r] : routes4_.target())
        if (r.nhid.valid() && all.count(r.nhid.value)) r4.push_back(k);
    for (const auto& k : r4) erase(routes4_, k, o, out);
    std::vector<Route6Key> r6;
    for (const auto& [k, r] : routes6_.target())
        if (r.nhid.valid() && all.count(r.nhid.value)) r6.push_back(k);
    for (const auto& k : r6) erase(routes6_, k, o, out);
}

std::optional<std::string> MonitorView::apply_address(std::span<const uint8_t> msg, bool removed,
                                                      std::vector<MonitorEvent>& out) {
    auto a = decode_address(msg);
    if (!a) return a.error();
    if (!*a) return std::nullopt;
    AddressKey k{(*a)->ifindex, (*a)->address, (*a)->prefix_length};
    if (removed) erase(addresses_, k, Origin::notification, out);
    else upsert(addresses_, k, **a, Origin::notification, out);
    return std::nullopt;
}

std::optional<std::string> MonitorView::apply_neighbour(std::span<const uint8_t> msg, bool removed,
                                                        std::vector<MonitorEvent>& out) {
    auto n = decode_neighbour(msg);
    if (!n) return n.error();
    if (!*n) return std::nullopt;
    NeighbourKey k{(*n)->ifindex, (*n)->address};
    if (removed) erase(neighbours_, k, Origin::notification, out);
    else upsert(neighbours_, k, **n, Origin::notification, out);
    return std::nullopt;
}

std::optional<std::string> MonitorView::apply_nexthop(std::span<const uint8_t> msg, bool removed,
                                                      std::vector<MonitorEvent>& out) {
    auto n = decode_nexthop_info(msg);
    if (!n) return n.error();
    if (!removed) {
        upsert(nexthops_, n->id.value, *n, Origin::notification, out);
        return std::nullopt;
    }
    // The deletion itself is announced; what it takes along (group membership, routes) may not be.
    erase(nexthops_, n->id.value, Origin::notification, out);
    nexthops_gone({n->id.value}, Origin::derived, out);
    return std::nullopt;
}

std::optional<std::string> MonitorView::apply_label_route(std::span<const uint8_t> msg, bool removed,
                                                          std::vector<MonitorEvent>& out) {
    auto r = decode_label_route(msg);
    if (!r) return r.error();
    uint32_t label = r->route.in_label.value();
    if (r->protocol == options_.own_protocol && !options_.keep_own_routes) {
        // Ours are not kept (the desired-state layer has them); their removals are reported (drift).
        if (removed) out.push_back(LabelRouteEvent{*r, true, Origin::notification});
        else erase(labels_, label, Origin::notification, out);
        return std::nullopt;
    }
    if (removed) erase(labels_, label, Origin::notification, out);
    else upsert(labels_, label, *r, Origin::notification, out);
    return std::nullopt;
}

namespace {
// IPv6 announces single paths of a multipath route on their own when they are appended or
// deleted (`ip -6 route append/del ... via`): merge them into the route the view holds.
bool same_path(const RouteNexthop& a, const RouteNexthop& b) { return a.gateway == b.gateway && a.ifindex == b.ifindex; }
}  // namespace

std::optional<std::string> MonitorView::apply_route(std::span<const uint8_t> msg, bool removed,
                                                    std::vector<MonitorEvent>& out) {
    auto m = classify(msg);
    if (m->table == Table::ipv4_routes) {
        auto r = decode_route4_info(msg);
        if (!r) return r.error();
        if (!*r) return std::nullopt;
        Route4Key k{(*r)->table, (*r)->prefix, (*r)->metric};
        if ((*r)->protocol == options_.own_protocol && !options_.keep_own_routes) {
            // Not kept; a route of ours replacing another's at the same key ends that one.
            if (removed) out.push_back(Ipv4RouteEvent{**r, true, Origin::notification});
            else erase(routes4_, k, Origin::notification, out);
            return std::nullopt;
        }
        if (removed) erase(routes4_, k, Origin::notification, out);
        else upsert(routes4_, k, **r, Origin::notification, out);
        return std::nullopt;
    }
    auto r = decode_route6_info(msg);
    if (!r) return r.error();
    if (!*r) return std::nullopt;
    Route6Key k{(*r)->table, (*r)->prefix, (*r)->metric};
    if ((*r)->protocol == options_.own_protocol && !options_.keep_own_routes) {
        if (removed) out.push_back(Ipv6RouteEvent{**r, true, Origin::notification});
        else erase(routes6_, k, Origin::notification, out);
        return std::nullopt;
    }
    auto& map = routes6_.target();
    auto it = map.find(k);
    if (it != map.end() && !(*r)->nhid.valid() && (*r)->nexthops.size() == 1 && it->second.nexthops.size() > 1) {
        Ipv6RouteInfo merged = it->second;
        const auto& path = (*r)->nexthops.front();
        auto pos = std::find_if(merged.nexthops.begin(), merged.nexthops.end(),
                                [&](const RouteNexthop& p) { return same_path(p, path); });
        if (removed && pos != merged.nexthops.end()) {
            merged.nexthops.erase(pos);
            upsert(routes6_, k, merged, Origin::notification, out);
            return std::nullopt;
        }
        if (m->append) {
            if (pos == merged.nexthops.end()) merged.nexthops.push_back(path);
            else *pos = path;
            upsert(routes6_, k, merged, Origin::notification, out);
            return std::nullopt;
        }
    } else if (it != map.end() && m->append && !(*r)->nhid.valid() && !it->second.nhid.valid()) {
        Ipv6RouteInfo merged = it->second;
        for (const auto& p : (*r)->nexthops)
            if (std::none_of(merged.nexthops.begin(), merged.nexthops.end(), [&](const RouteNexthop& q) { return same_path(p, q); }))
                merged.nexthops.push_back(p);
        upsert(routes6_, k, merged, Origin::notification, out);
        return std::nullopt;
    }
    if (removed) erase(routes6_, k, Origin::notification, out);
    else upsert(routes6_, k, **r, Origin::notification, out);
    return std::nullopt;
}

}  // namespace isthmus::netlink
