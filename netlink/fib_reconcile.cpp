// Agreeing with the kernel: adoption and the sweep at start-up, re-reads after lost replies or
// notifications.
#include <algorithm>

#include "lib/log.hpp"
#include "netlink/fib.hpp"

namespace isthmus::netlink {

namespace {
Forwarding content_of(const NexthopObject& nh) { return {nh.gateway, nh.ifindex, nh.onlink, nh.labels}; }
std::vector<GroupMember> sorted_members(std::vector<GroupMember> m) {
    std::sort(m.begin(), m.end(), [](const GroupMember& a, const GroupMember& b) { return a.id < b.id; });
    return m;
}
}  // namespace

void Fib::start() {
    if (starting_ || adopted_) return;
    starting_ = true;
    reconcile();
}

void Fib::release_sweep() {
    if (!sweep_pending_) return;
    log::info("kernel: protocols re-converged; sweeping stale entries");
    sweep();
}

void Fib::reconcile() {
    reconcile_wanted_ = false;
    in_flight_ = true;  // no batch while the kernel is read: the dump must see a settled state
    ++stats_.reconciliations;
    kernel_.read_state([this, alive = alive_](Result<KernelState, std::string> state) {
        if (!*alive) return;
        in_flight_ = false;
        if (!state) {
            log::error("kernel: reading our entries failed: {}; trying again in 1 s", state.error());
            reread_timer_.expires_after(std::chrono::seconds(1));
            reread_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
                if (!*alive || ec) return;
                reconcile();
            });
            return;
        }
        apply_state(std::move(*state));
        build_and_send();
    });
}

void Fib::apply_state(KernelState state) {
    for (const auto& p : state.problems) log::warning("kernel: an entry of our protocol we can't read: {} (left alone)", p);
    if (adopted_) return resync(state);
    adopt(state);
    adopted_ = true;
    if (options_.sweep_hold.count() > 0) {
        sweep_pending_ = true;
        log::info("kernel: adopted {} entries; sweep held for up to {} ms (graceful restart)", stats_.adopted,
                  options_.sweep_hold.count());
        sweep_timer_.expires_after(options_.sweep_hold);
        sweep_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
            if (!*alive || ec || !sweep_pending_) return;
            log::warning("kernel: sweep hold ran out before the protocols re-converged; sweeping");
            sweep();
            build_and_send();
        });
    } else {
        sweep();
    }
}

void Fib::rename(uint32_t from, uint32_t to) {
    if (auto node = objects_.extract(from)) {
        node.key() = to;
        auto& o = objects_.insert(std::move(node)).position->second;
        if (auto ix = object_index_.find(o.content); ix != object_index_.end() && ix->second == from) ix->second = to;
        for (auto& [gid, g] : groups_) {
            if (std::none_of(g.members.begin(), g.members.end(), [&](const GroupMember& m) { return m.id.value == from; }))
                continue;
            auto old_key = g.members;
            for (auto& m : g.members)
                if (m.id.value == from) m.id.value = to;
            g.members = sorted_members(std::move(g.members));
            if (auto ix = group_index_.find(old_key); ix != group_index_.end() && ix->second == gid) {
                group_index_.erase(ix);
                group_index_.emplace(g.members, gid);
            }
        }
    } else if (auto gnode = groups_.extract(from)) {
        gnode.key() = to;
        auto& g = groups_.insert(std::move(gnode)).position->second;
        if (auto ix = group_index_.find(g.members); ix != group_index_.end() && ix->second == from) ix->second = to;
    } else {
        return;
    }
    if (unused_.erase(from)) unused_.insert(to);
    routes_.for_each([&](RouteSlot& s) {
        if (s.nhid == from) s.nhid = to;
    });
}

void Fib::adopt(KernelState& k) {
    // What the daemon asked for before start() has provisional ids: move those out of the way of
    // the kernel's ids first, then take the kernel's id wherever the content matches.
    std::set<uint32_t> kernel_ids;
    for (const auto& nh : k.nexthops) kernel_ids.insert(nh.id.value);
    for (const auto& g : k.groups) kernel_ids.insert(g.id.value);
    std::vector<uint32_t> ours;
    for (const auto& [id, o] : objects_) ours.push_back(id);
    for (const auto& [id, g] : groups_) ours.push_back(id);
    for (uint32_t id : ours) {
        if (!kernel_ids.count(id)) continue;
        uint32_t fresh;
        do fresh = allocate_id();
        while (kernel_ids.count(fresh));
        rename(id, fresh);
    }
    for (const auto& nh : k.nexthops) {
        auto f = content_of(nh);
        auto ix = object_index_.find(f);
        if (ix != object_index_.end() && !objects_.at(ix->second).installed) {
            rename(ix->second, nh.id.value);
            auto& o = objects_.at(nh.id.value);
            o.installed = true;
            o.dirty = false;
        } else {
            // Unused so far: kept (the daemon may want it again soon, above all during a
            // graceful restart); the sweep deletes it if nothing uses it by then.
            Object o;
            o.content = f;
            o.installed = true;
            objects_.emplace(nh.id.value, std::move(o));
            object_index_.emplace(f, nh.id.value);  // no-op for a duplicate of content already indexed
        }
        ++stats_.adopted;
    }
    for (const auto& g : k.groups) {
        auto members = sorted_members(g.members);
        if (std::any_of(members.begin(), members.end(), [&](const GroupMember& m) { return !objects_.count(m.id.value); })) {
            stale_ids_.insert(g.id.value);  // a member that is not ours: not something we built
            continue;
        }
        auto ix = group_index_.find(members);
        if (ix != group_index_.end() && !groups_.at(ix->second).installed) {
            rename(ix->second, g.id.value);
            auto& mine = groups_.at(g.id.value);
            mine.installed = true;
            mine.dirty = false;
        } else {
            Group mine;
            mine.members = members;
            mine.installed = true;
            for (const auto& m : members) ++objects_.at(m.id.value).refs;
            groups_.emplace(g.id.value, std::move(mine));
            group_index_.emplace(members, g.id.value);
        }
        ++stats_.adopted;
    }
    for (const auto& r : k.routes6) {
        if (r.table != options_.table || r.metric != options_.metric) {
            stale_foreign_.push_back(r);
            continue;
        }
        bool inserted = false;
        auto& s = routes_.insert(r.prefix, &inserted);
        if (inserted) {
            // Not wanted yet: stale until the daemon sets it (then nothing is sent if it matches).
            s.nhid = r.nhid.value;
            s.flags = route_flag::installed | route_flag::stale;
            if (auto o = objects_.find(s.nhid); o != objects_.end()) ++o->second.refs;
            else if (auto g = groups_.find(s.nhid); g != groups_.end()) ++g->second.refs;
            continue;
        }
        s.flags |= route_flag::installed;
        if (s.nhid == r.nhid.value) s.flags &= uint8_t(~route_flag::dirty);  // already right: nothing to send
        ++stats_.adopted;
    }
    for (const auto& m : k.mpls_routes) {
        auto it = mpls_.find(m.in_label.value());
        if (it == mpls_.end()) {
            mpls_.emplace(m.in_label.value(), Mpls{m, true, false, true});
            continue;
        }
        it->second.installed = true;
        it->second.dirty = !(it->second.route == m);
        ++stats_.adopted;
    }
}

void Fib::resync(KernelState& k) {
    std::set<uint32_t> kernel_has;
    for (const auto& nh : k.nexthops) {
        kernel_has.insert(nh.id.value);
        auto o = objects_.find(nh.id.value);
        if (o == objects_.end()) {
            if (!groups_.count(nh.id.value)) id_deletes_.insert(nh.id.value);
            continue;
        }
        o->second.installed = true;
        if (!(o->second.content == content_of(nh))) o->second.dirty = true;
    }
    for (const auto& g : k.groups) {
        kernel_has.insert(g.id.value);
        auto it = groups_.find(g.id.value);
        if (it == groups_.end()) {
            if (!objects_.count(g.id.value)) id_deletes_.insert(g.id.value);
            continue;
        }
        it->second.installed = true;
        if (sorted_members(g.members) != it->second.members) it->second.dirty = true;
    }
    for (auto& [id, o] : objects_)
        if (o.installed && !kernel_has.count(id)) o.installed = false, o.dirty = true;
    for (auto& [id, g] : groups_)
        if (g.installed && !kernel_has.count(id)) g.installed = false, g.dirty = true;

    routes_.for_each([](RouteSlot& s) { s.flags &= uint8_t(~route_flag::seen); });
    for (const auto& r : k.routes6) {
        if (r.table != options_.table || r.metric != options_.metric) {
            foreign_key_deletes_.push_back(r);
            continue;
        }
        auto* s = routes_.find(r.prefix);
        if (!s) {
            foreign_key_deletes_.push_back(r);  // ours, not wanted: someone re-added it, or a delete was lost
            continue;
        }
        s->flags |= route_flag::seen | route_flag::installed;
        if (s->nhid != r.nhid.value && !(s->flags & (route_flag::removing | route_flag::stale))) mark_route_dirty(*s);
    }
    std::vector<Ipv6Prefix> vanished_stale;
    routes_.for_each([&](RouteSlot& s) {
        if ((s.flags & route_flag::installed) && !(s.flags & route_flag::seen)) {
            s.flags &= uint8_t(~route_flag::installed);
            if (s.flags & (route_flag::stale | route_flag::removing)) vanished_stale.push_back(s.prefix());
            else mark_route_dirty(s);
        }
    });
    for (const auto& p : vanished_stale)
        if (auto* s = routes_.find(p)) {
            release(s->nhid);
            routes_.erase(*s);
        }

    std::set<uint32_t> labels;
    for (const auto& m : k.mpls_routes) {
        labels.insert(m.in_label.value());
        auto it = mpls_.find(m.in_label.value());
        if (it == mpls_.end()) {
            mpls_deletes_.insert(m.in_label.value());
            continue;
        }
        it->second.installed = true;
        if (!(it->second.route == m) && !it->second.stale) it->second.dirty = true;
    }
    for (auto it = mpls_.begin(); it != mpls_.end();) {
        if (it->second.installed && !labels.count(it->first)) {
            it->second.installed = false;
            if (it->second.stale) {
                it = mpls_.erase(it);
                continue;
            }
            it->second.dirty = true;
        }
        ++it;
    }
}

void Fib::sweep() {
    sweep_pending_ = false;
    sweep_timer_.cancel();
    std::vector<Ipv6Prefix> stale;
    routes_.for_each([&](RouteSlot& s) {
        if (s.flags & route_flag::stale) stale.push_back(s.prefix());
    });
    std::sort(stale.begin(), stale.end());  // in prefix order: logs and tests don't depend on hashing
    std::size_t swept = 0;
    for (const auto& p : stale) {
        auto* s = routes_.find(p);
        release(s->nhid);
        s->nhid = 0;
        if (s->flags & route_flag::installed) {
            s->flags = route_flag::installed | route_flag::removing;
            route_deletes_.push_back(p);
            ++swept;
        } else {
            routes_.erase(*s);
        }
    }
    for (auto& r : stale_foreign_) foreign_key_deletes_.push_back(r);
    swept += stale_foreign_.size();
    stale_foreign_.clear();
    for (uint32_t id : stale_ids_) id_deletes_.insert(id);
    swept += stale_ids_.size();
    stale_ids_.clear();
    for (auto it = mpls_.begin(); it != mpls_.end();) {
        if (!it->second.stale) {
            ++it;
            continue;
        }
        if (it->second.installed) mpls_deletes_.insert(it->first), ++swept;
        it = mpls_.erase(it);
    }
    // Groups first: deleting one releases its members, which may leave them unused too.
    for (const auto& [id, g] : groups_)
        if (g.refs == 0) unused_.insert(id), swept += g.installed;
    for (const auto& [id, o] : objects_)
        if (o.refs == 0) unused_.insert(id), swept += o.installed;  // those only unused groups hold go with them
    stats_.swept += swept;
    if (swept) log::notice("kernel: sweeping {} stale entries of ours (routes, label routes, nexthop objects)", swept + 0);
    schedule_flush();
}

}  // namespace isthmus::netlink
