// Following the kernel's own changes (from the Monitor): entries of ours removed or changed by
// someone else are put back; what a link took down waits for the link.
#include <algorithm>

#include "lib/log.hpp"
#include "lib/overloaded.hpp"
#include "netlink/fib.hpp"

namespace isthmus::netlink {

namespace {
bool same_content(const Forwarding& f, const NexthopInfo& n) {
    return n.ipv6 && n.members.empty() && n.gateway && n.gateway->is_v6() && n.gateway->v6() == f.gateway &&
           n.ifindex == f.ifindex && n.onlink == f.onlink && n.labels == f.labels;
}
}  // namespace

void Fib::on_event(const MonitorEvent& event) {
    std::visit(Overloaded{
                   [&](const LinkEvent& e) { link_changed(e.value, e.removed); },
                   [&](const NexthopEvent& e) {
                       const uint32_t id = e.value.id.value;
                       auto o = objects_.find(id);
                       auto g = groups_.find(id);
                       if (o == objects_.end() && g == groups_.end()) {
                           // Someone else's object with an id in our range: never allocate it.
                           if (!e.removed && e.value.protocol != kernel_.batch().protocol() &&
                               id - options_.first_nexthop_id < options_.nexthop_id_count)
                               taken_ids_.insert(id);
                           return;
                       }
                       if (!adopted_ || in_flight_) {
                           // Our own batch may be what changed it; a removal is never ours (we
                           // forget an entry before deleting it), so it is acted on.
                           if (!e.removed) return;
                       }
                       if (e.removed) {
                           if (o != objects_.end()) object_lost(id);
                           else group_lost(id);
                           return;
                       }
                       // Changed by someone else (another content, another owner): put ours back.
                       if (o != objects_.end() && o->second.installed && !o->second.dirty &&
                           (!same_content(o->second.content, e.value) || e.value.protocol != kernel_.batch().protocol())) {
                           log::warning("kernel: our nexthop {} was changed by someone else; restoring it", id);
                           ++stats_.repairs;
                           o->second.dirty = true;
                           schedule_flush();
                       } else if (g != groups_.end() && g->second.installed && !g->second.dirty && !g->second.partial) {
                           auto members = e.value.members;
                           std::sort(members.begin(), members.end(), [](auto& a, auto& b) { return a.id < b.id; });
                           if (members != g->second.members) {
                               log::warning("kernel: our nexthop group {} was changed by someone else; restoring it", id);
                               ++stats_.repairs;
                               g->second.dirty = true;
                               schedule_flush();
                           }
                       }
                   },
                   [&](const Ipv6RouteEvent& e) {
                       const auto& r = e.value;
                       if (r.table != options_.table || r.metric != options_.metric) return;
                       auto* s = routes_.find(r.prefix);
                       if (!s || !(s->flags & route_flag::installed) ||
                           (s->flags & (route_flag::dirty | route_flag::removing | route_flag::stale)))
                           return;
                       const uint8_t ours = kernel_.batch().protocol();
                       if (e.removed && r.protocol == ours) {
                           // Deleted: by an admin, or by the kernel with its object (then the
                           // object's loss puts the route back when the object is back).
                           if (!target_installed(s->nhid)) {
                               s->flags = uint8_t((s->flags & ~route_flag::installed) | route_flag::waiting);
                               return;
                           }
                           // Put back with a replace, not an add: if this announcement is late
                           // (the route is already back) an add would fail with EEXIST forever.
                           log::warning("kernel: our route {} was deleted by someone else; restoring it", r.prefix.to_string());
                           ++stats_.repairs;
                           mark_route_dirty(*s);
                           schedule_flush();
                       } else if (!e.removed && r.protocol != ours) {
                           // Another program's route took our route's place (`ip route replace`).
                           log::warning("kernel: our route {} was replaced by one of protocol {}; restoring it",
                                        r.prefix.to_string(), r.protocol);
                           ++stats_.repairs;
                           mark_route_dirty(*s);
                           schedule_flush();
                       }
                   },
                   [&](const LabelRouteEvent& e) {
                       auto m = mpls_.find(e.value.route.in_label.value());
                       if (m == mpls_.end() || !m->second.installed || m->second.dirty || m->second.stale) return;
                       const uint8_t ours = kernel_.batch().protocol();
                       if (e.removed != (e.value.protocol == ours)) return;  // ours deleted, or another's in its place
                       if (!e.removed && e.value.route == m->second.route) return;
                       // Put back with a replace (creates it if gone, harmless if the news is late).
                       log::warning("kernel: our label route {} was {} by someone else; restoring it",
                                    m->first, e.removed ? "deleted" : "replaced");
                       ++stats_.repairs;
                       m->second.dirty = true;
                       schedule_flush();
                   },
                   [&](const SyncEvent& e) {
                       // Notifications were lost: ours may have been among them. Read the kernel again.
                       if (e.initial || !adopted_) return;
                       reconcile_wanted_ = true;
                       schedule_flush();
                   },
                   [](const auto&) {},
               },
               event);
}

void Fib::object_lost(uint32_t id) {
    auto& o = objects_.at(id);
    if (!o.installed) return;
    o.installed = false;
    o.dirty = true;  // parked at the next flush if its link is down
    // The kernel deleted the routes using it (without a word in compat mode 0) and took it out
    // of its groups.
    routes_lost_on(id);
    for (auto& [gid, g] : groups_)
        if (std::any_of(g.members.begin(), g.members.end(), [&](const GroupMember& m) { return m.id.value == id; }))
            g.partial = true;
    schedule_flush();
}

void Fib::group_lost(uint32_t id) {
    auto& g = groups_.at(id);
    if (!g.installed) return;
    g.installed = false;
    g.dirty = true;
    routes_lost_on(id);
    schedule_flush();
}

void Fib::routes_lost_on(uint32_t nhid) {
    bool any = false;
    routes_.for_each([&](RouteSlot& s) {
        if (s.nhid != nhid || (s.flags & (route_flag::removing | route_flag::stale))) return;
        s.flags = uint8_t((s.flags & ~(route_flag::installed | route_flag::dirty)) | route_flag::waiting);
        any = true;
    });
    if (!any) return;
    if (auto o = objects_.find(nhid); o != objects_.end()) o->second.routes_waiting = true;
    if (auto g = groups_.find(nhid); g != groups_.end()) g->second.routes_waiting = true;
}

void Fib::link_changed(const Link& link, bool removed) {
    bool down = removed || !link.oper_up;
    if (down) {
        down_links_.insert(link.ifindex);
        return;
    }
    if (!down_links_.erase(link.ifindex)) return;
    // Up again: what waited for it goes now.
    bool any = false;
    for (auto& [id, o] : objects_)
        if (o.content.ifindex == link.ifindex && (o.parked || !o.installed)) {
            o.parked = false;
            o.dirty = true;
            any = true;
        }
    if (any) schedule_flush();
}

}  // namespace isthmus::netlink
