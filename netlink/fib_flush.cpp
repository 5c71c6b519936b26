// Turning pending changes into one ordered batch, and its outcome back into state.
#include <boost/asio/post.hpp>

#include <cerrno>

#include "lib/log.hpp"
#include "netlink/fib.hpp"

namespace isthmus::netlink {

struct Fib::Flight {
    std::vector<Tag> tags;          // one per request sent, in order
    std::vector<Ipv6Route> foreign;  // stale routes of ours in another table or metric (Tag::id indexes)
};

namespace {
NexthopObject object_value(uint32_t id, const Forwarding& f) {
    return NexthopObject{NexthopId{id}, f.gateway, f.ifindex, f.onlink, f.labels};
}
}  // namespace

void Fib::build_and_send() {
    if (!adopted_ || in_flight_) return;  // the reconciliation or the batch in flight calls back
    if (reconcile_wanted_) return reconcile();
    Batch batch = kernel_.batch();
    auto flight = std::make_shared<Flight>();
    auto& tags = flight->tags;
    // A value the batch refuses before sending is reported like a refusal, without a tag.
    auto add = [&](Op op, const auto& value, Tag tag) {
        std::size_t before = batch.size(), invalid = batch.invalid().size();
        batch.add(op, value);
        if (batch.size() > before) tags.push_back(tag);
        else if (batch.invalid().size() > invalid) failed(*flight, tag, batch.invalid().back());
    };
    std::set<uint32_t> sending;  // objects and groups added in this batch, usable by what follows

    // 1. Objects, before anything that points at them.
    for (auto& [id, o] : objects_) {
        if (!o.dirty) continue;
        if (down_links_.count(o.content.ifindex) && !o.installed) {
            o.parked = true;  // the kernel refuses objects on a down link; sent when it comes up
            continue;
        }
        o.parked = false;
        o.dirty = false;
        add(o.installed ? Op::replace : Op::add, object_value(id, o.content),
            Tag{Tag::object, !o.installed, id, {}});
        sending.insert(id);
    }
    auto available = [&](uint32_t id) { return target_installed(id) || sending.count(id) != 0; };
    // 2. Groups, with the members the kernel has (the others join when they are back).
    for (auto& [id, g] : groups_) {
        if (!g.dirty) continue;
        NexthopGroup value{NexthopId{id}, {}};
        for (const auto& m : g.members)
            if (available(m.id.value)) value.members.push_back(m);
        if (value.members.empty()) continue;  // nothing to point at yet: stays dirty
        g.dirty = false;
        g.partial = value.members.size() != g.members.size();
        add(g.installed ? Op::replace : Op::add, value, Tag{Tag::group, !g.installed, id, {}});
        sending.insert(id);
    }
    // 3. Routes onto them.
    std::size_t used = 0;
    for (; used < dirty_routes_.size() && batch.size() < options_.max_requests_per_batch; ++used) {
        const auto& prefix = dirty_routes_[used];
        auto* s = routes_.find(prefix);
        if (!s || !(s->flags & route_flag::dirty)) continue;
        s->flags &= uint8_t(~route_flag::dirty);
        if (s->flags & (route_flag::stale | route_flag::removing)) continue;
        if (!available(s->nhid)) {
            s->flags |= route_flag::waiting;
            if (auto o = objects_.find(s->nhid); o != objects_.end()) o->second.routes_waiting = true;
            if (auto g = groups_.find(s->nhid); g != groups_.end()) g->second.routes_waiting = true;
            continue;
        }
        bool installed = s->flags & route_flag::installed;
        add(installed ? Op::replace : Op::add, Ipv6Route{prefix, NexthopId{s->nhid}, options_.metric, options_.table},
            Tag{Tag::route, !installed, 0, prefix});
    }
    dirty_routes_.erase(dirty_routes_.begin(), dirty_routes_.begin() + std::ptrdiff_t(used));
    if (dirty_routes_.empty() && dirty_routes_.capacity() > 4096) dirty_routes_.shrink_to_fit();
    // 4. Label routes (they use no objects).
    for (auto& [label, m] : mpls_) {
        if (!m.dirty) continue;
        m.dirty = false;
        add(m.installed ? Op::replace : Op::add, m.route, Tag{Tag::mpls, !m.installed, label, {}});
    }
    for (uint32_t label : mpls_deletes_)
        add(Op::remove, MplsRoute{*MplsLabel::from_value(label), {}}, Tag{Tag::mpls_delete, false, label, {}});
    mpls_deletes_.clear();
    // 5. Routes no longer wanted, then what only they used.
    for (const auto& prefix : route_deletes_) {
        auto* s = routes_.find(prefix);
        if (!s || !(s->flags & route_flag::removing)) continue;  // wanted again meanwhile
        routes_.erase(*s);
        add(Op::remove, Ipv6Route{prefix, NexthopId{}, options_.metric, options_.table},
            Tag{Tag::route_delete, false, 0, prefix});
    }
    route_deletes_.clear();
    routes_.shrink_if_sparse();
    for (const auto& r : foreign_key_deletes_) {
        flight->foreign.push_back(r);
        add(Op::remove, r, Tag{Tag::stale_route_delete, false, uint32_t(flight->foreign.size() - 1), r.prefix});
    }
    foreign_key_deletes_.clear();
    // Groups before objects: a group going releases its members.
    for (auto it = unused_.begin(); it != unused_.end();) {
        auto g = groups_.find(*it);
        if (g == groups_.end() || g->second.refs != 0) {
            it = g == groups_.end() ? std::next(it) : unused_.erase(it);
            continue;
        }
        if (g->second.installed)
            add(Op::remove, NexthopGroup{NexthopId{g->first}, {}}, Tag{Tag::group_delete, false, g->first, {}});
        auto members = g->second.members;
        group_index_.erase(members);
        groups_.erase(g);
        it = unused_.erase(it);
        for (const auto& m : members) release(m.id.value);
    }
    for (uint32_t id : unused_) {
        auto o = objects_.find(id);
        if (o == objects_.end() || o->second.refs != 0) continue;
        if (o->second.installed)
            add(Op::remove, NexthopObject{NexthopId{id}, {}, 0, false, {}}, Tag{Tag::object_delete, false, id, {}});
        if (auto ix = object_index_.find(o->second.content); ix != object_index_.end() && ix->second == id)
            object_index_.erase(ix);
        objects_.erase(o);
    }
    unused_.clear();
    for (uint32_t id : id_deletes_)
        add(Op::remove, NexthopObject{NexthopId{id}, {}, 0, false, {}}, Tag{Tag::object_delete, false, id, {}});
    id_deletes_.clear();

    if (batch.empty()) return;
    in_flight_ = true;
    ++stats_.batches;
    stats_.requests += batch.size();
    kernel_.apply(std::move(batch), [this, alive = alive_, flight](BatchReport report) {
        if (!*alive) return;
        completed(flight, std::move(report));
    });
}

void Fib::completed(std::shared_ptr<Flight> flight, BatchReport report) {
    in_flight_ = false;
    std::vector<bool> refused(flight->tags.size(), false);
    for (const auto& f : report.failures)
        if (f.index < flight->tags.size()) refused[f.index] = true;
    // Transport trouble (lost replies, a failed sendmsg): what the kernel did is unknown. Assume
    // success and re-read the kernel, which corrects whatever was not.
    if (!report.transport_error.empty()) {
        log::error("kernel: {}; re-reading the kernel's state", report.transport_error);
        reconcile_wanted_ = true;
    }
    for (std::size_t i = 0; i < flight->tags.size(); ++i) {
        if (refused[i]) continue;
        const Tag& t = flight->tags[i];
        switch (t.kind) {
            case Tag::object:
                if (auto o = objects_.find(t.id); o != objects_.end()) {
                    bool was = o->second.installed;
                    o->second.installed = true;
                    failing_.erase("nexthop " + std::to_string(t.id));
                    if (!was || o->second.routes_waiting) after_installed(t.id);
                }
                break;
            case Tag::group:
                if (auto g = groups_.find(t.id); g != groups_.end()) {
                    bool was = g->second.installed;
                    g->second.installed = true;
                    failing_.erase("nexthop " + std::to_string(t.id));
                    if (!was || g->second.routes_waiting) after_installed(t.id);
                }
                break;
            case Tag::route:
                if (auto* s = routes_.find(t.prefix)) {
                    if (s->flags & route_flag::failed) failing_.erase("route " + t.prefix.to_string());
                    s->flags = uint8_t((s->flags | route_flag::installed) & ~route_flag::failed);
                }
                break;
            case Tag::mpls:
                if (auto m = mpls_.find(t.id); m != mpls_.end()) {
                    m->second.installed = true;
                    failing_.erase("mpls route " + std::to_string(t.id));
                }
                break;
            default: break;
        }
    }
    // Failures after successes: a route refused in the batch that added its object is judged
    // knowing the object is in.
    for (const auto& f : report.failures)
        if (f.index < flight->tags.size()) failed(*flight, flight->tags[f.index], f);
    if (report.failures.empty() && retry_.empty()) backoff_ = options_.retry_min;
    if (!retry_.empty() || !retry_foreign_.empty()) schedule_retry();
    build_and_send();  // whatever changed meanwhile (or the reconciliation)
}

void Fib::failed(const Flight& flight, const Tag& tag, const KernelError& e) {
    // Everything refused is tried again later (the kernel's state may change: a link comes up, a
    // conflicting entry goes); `queue` says whether the tag itself is what the retry re-sends.
    auto report = [&](const std::string& subject, bool queue) {
        ++stats_.failures;
        auto text = e.to_string();
        bool fresh = failing_.find(subject) == failing_.end();
        if (failing_.size() < 10'000 || !fresh) failing_[subject] = text;
        // One line per subject while it keeps failing, not one per retry.
        if (fresh) log::warning("kernel refused: {} (will retry)", text);
        if (failure_handler_) failure_handler_(e);
        if (queue) retry_.push_back(tag);
    };
    const bool gone = e.code == ENOENT || e.code == ESRCH;
    switch (tag.kind) {
        case Tag::object: {
            auto o = objects_.find(tag.id);
            if (o == objects_.end()) return;
            if (tag.was_add && e.code == EEXIST) {
                // Another program owns this id: move our object to a free one.
                taken_ids_.insert(tag.id);
                Object moved = std::move(o->second);
                objects_.erase(o);
                uint32_t id = allocate_id();
                log::notice("nexthop id {} belongs to another program; using {}", tag.id, id);
                moved.dirty = true;
                object_index_[moved.content] = id;
                objects_.emplace(id, std::move(moved));
                for (auto& [gid, g] : groups_) {
                    bool changed = false;
                    for (auto& m : g.members)
                        if (m.id.value == tag.id) m.id.value = id, changed = true;
                    if (!changed) continue;
                    for (auto ix = group_index_.begin(); ix != group_index_.end(); ++ix)
                        if (ix->second == gid) {
                            group_index_.erase(ix);
                            break;
                        }
                    std::sort(g.members.begin(), g.members.end(), [](auto& a, auto& b) { return a.id < b.id; });
                    group_index_[g.members] = gid;
                    g.dirty = true;
                }
                routes_.for_each([&](RouteSlot& s) {
                    if (s.nhid == tag.id) {
                        s.nhid = id;
                        mark_route_dirty(s);
                    }
                });
                schedule_flush();
                return;
            }
            if (e.code == ENETDOWN) {
                o->second.parked = true;  // its link went down: sent again when it is up
                o->second.dirty = true;
                return;
            }
            return report("nexthop " + std::to_string(tag.id), true);
        }
        case Tag::group:
            if (!groups_.count(tag.id)) return;
            return report("nexthop " + std::to_string(tag.id), true);
        case Tag::route: {
            auto* s = routes_.find(tag.prefix);
            if (!s || (s->flags & route_flag::removing)) return;
            if (!target_installed(s->nhid)) {
                // Its object failed (or vanished) too: one report for the object is enough; the
                // route goes when the object is in.
                s->flags |= route_flag::waiting;
                if (auto o = objects_.find(s->nhid); o != objects_.end()) o->second.routes_waiting = true;
                if (auto g = groups_.find(s->nhid); g != groups_.end()) g->second.routes_waiting = true;
                return;
            }
            s->flags |= route_flag::failed;
            return report("route " + tag.prefix.to_string(), true);
        }
        case Tag::mpls:
            if (!mpls_.count(tag.id)) return;
            return report("mpls route " + std::to_string(tag.id), true);
        case Tag::route_delete:
            if (gone) return;
            return report("route " + tag.prefix.to_string(), true);
        case Tag::stale_route_delete:
            if (gone) return;
            retry_foreign_.push_back(flight.foreign.at(tag.id));
            return report("route " + tag.prefix.to_string(), false);
        case Tag::mpls_delete:
            if (gone) return;
            return report("mpls route " + std::to_string(tag.id), true);
        case Tag::object_delete:
        case Tag::group_delete:
            if (gone) return;
            return report("nexthop " + std::to_string(tag.id), true);
    }
}

void Fib::after_installed(uint32_t nhid) {
    // Groups that lack this member get it; routes that waited for it are sent.
    for (auto& [gid, g] : groups_)
        if (g.partial &&
            std::any_of(g.members.begin(), g.members.end(), [&](const GroupMember& m) { return m.id.value == nhid; }))
            g.dirty = true;
    bool waiting = false;
    if (auto o = objects_.find(nhid); o != objects_.end()) waiting = std::exchange(o->second.routes_waiting, false);
    if (auto g = groups_.find(nhid); g != groups_.end()) waiting = std::exchange(g->second.routes_waiting, false);
    if (waiting)
        routes_.for_each([&](RouteSlot& s) {
            if (s.nhid == nhid && (s.flags & route_flag::waiting)) mark_route_dirty(s);
        });
    schedule_flush();
}

void Fib::schedule_retry() {
    if (retry_scheduled_) return;
    retry_scheduled_ = true;
    retry_timer_.expires_after(backoff_);
    retry_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (!*alive || ec) return;
        retry_scheduled_ = false;
        backoff_ = std::min(backoff_ * 2, options_.retry_max);
        auto again = std::move(retry_);
        retry_.clear();
        for (auto& r : retry_foreign_) foreign_key_deletes_.push_back(r);
        retry_foreign_.clear();
        for (const auto& t : again) {
            ++stats_.retries;
            switch (t.kind) {
                case Tag::object:
                    if (auto o = objects_.find(t.id); o != objects_.end()) o->second.dirty = true;
                    break;
                case Tag::group:
                    if (auto g = groups_.find(t.id); g != groups_.end()) g->second.dirty = true;
                    break;
                case Tag::route:
                    if (auto* s = routes_.find(t.prefix); s && (s->flags & route_flag::failed)) mark_route_dirty(*s);
                    break;
                case Tag::mpls:
                    if (auto m = mpls_.find(t.id); m != mpls_.end()) m->second.dirty = true;
                    break;
                case Tag::route_delete:
                    if (!routes_.find(t.prefix))
                        foreign_key_deletes_.push_back(Ipv6Route{t.prefix, NexthopId{}, options_.metric, options_.table});
                    break;
                case Tag::stale_route_delete: break;
                case Tag::mpls_delete:
                    if (!mpls_.count(t.id)) mpls_deletes_.insert(t.id);
                    break;
                case Tag::object_delete:
                case Tag::group_delete:
                    if (!objects_.count(t.id) && !groups_.count(t.id)) id_deletes_.insert(t.id);
                    break;
            }
        }
        schedule_flush();
    });
}

}  // namespace isthmus::netlink
