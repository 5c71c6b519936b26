// The desired state: routes, objects and groups with their reference counts.
#include "fib.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "lib/log.hpp"

namespace isthmus::netlink {

Forwarding Forwarding::six_pe(Ipv4Address core_nh, uint32_t ifindex, LabelStack labels) {
    return {Ipv6Address::v4_mapped(core_nh), ifindex, true, labels};
}

Forwarding Forwarding::ipv6(Ipv6Address gateway, uint32_t ifindex) { return {gateway, ifindex, false, {}}; }

std::string to_string(const Forwarding& f) {
    NexthopObject nh{NexthopId{0}, f.gateway, f.ifindex, f.onlink, f.labels};
    auto s = to_string(nh);  // "id 0 encap ..."
    return s.substr(s.find(' ', 3) + 1);
}

Fib::Fib(boost::asio::io_context& io, FibKernel& kernel, FibOptions options)
    : io_(io),
      kernel_(kernel),
      options_(options),
      next_id_(options.first_nexthop_id),
      backoff_(options.retry_min),
      retry_timer_(io),
      sweep_timer_(io),
      reread_timer_(io) {}

Fib::~Fib() { *alive_ = false; }

// --- objects and groups ---

uint32_t Fib::allocate_id() {
    const uint32_t first = options_.first_nexthop_id, count = options_.nexthop_id_count;
    for (uint32_t tries = 0; tries < count; ++tries) {
        uint32_t id = next_id_;
        next_id_ = next_id_ + 1 >= first + count ? first : next_id_ + 1;
        if (id == 0 || objects_.count(id) || groups_.count(id) || taken_ids_.count(id) || id_deletes_.count(id)) continue;
        return id;
    }
    throw std::runtime_error("no free nexthop id in our range");  // 16M objects: not a real situation
}

uint32_t Fib::acquire_object(const Forwarding& f) {
    if (auto it = object_index_.find(f); it != object_index_.end()) {
        auto& o = objects_.at(it->second);
        ++o.refs;
        return it->second;
    }
    uint32_t id = allocate_id();
    Object o;
    o.content = f;
    o.refs = 1;
    o.dirty = true;
    objects_.emplace(id, std::move(o));
    object_index_.emplace(f, id);
    return id;
}

uint32_t Fib::acquire_group(std::vector<GroupMember> members) {
    if (auto it = group_index_.find(members); it != group_index_.end()) {
        ++groups_.at(it->second).refs;
        for (auto& m : members) release(m.id.value);  // the existing group already holds its members
        return it->second;
    }
    uint32_t id = allocate_id();
    Group g;
    g.members = members;
    g.refs = 1;
    g.dirty = true;
    groups_.emplace(id, std::move(g));
    group_index_.emplace(std::move(members), id);
    return id;
}

void Fib::release(uint32_t nhid) {
    if (auto it = objects_.find(nhid); it != objects_.end()) {
        if (it->second.refs > 0 && --it->second.refs == 0) unused_.insert(nhid);
    } else if (auto g = groups_.find(nhid); g != groups_.end()) {
        if (g->second.refs > 0 && --g->second.refs == 0) unused_.insert(nhid);
    }
    // Unknown ids: a stale route's foreign target; nothing to count.
}

bool Fib::target_installed(uint32_t nhid) const {
    if (auto it = objects_.find(nhid); it != objects_.end()) return it->second.installed;
    if (auto g = groups_.find(nhid); g != groups_.end()) return g->second.installed;
    return false;
}

// --- routes ---

void Fib::mark_route_dirty(RouteSlot& s) {
    s.flags &= uint8_t(~route_flag::waiting);  // `failed` stays until a request for it succeeds
    if (s.flags & route_flag::dirty) return;
    s.flags |= route_flag::dirty;
    dirty_routes_.push_back(s.prefix());
}

Status<std::string> Fib::set_route(const Ipv6Prefix& prefix, std::span<const Path> paths) {
    if (paths.empty()) {
        remove_route(prefix);
        return ok_unit;
    }
    for (const auto& p : paths) {
        if (p.weight < 1 || p.weight > 256)
            return err("route " + prefix.to_string() + ": weight " + std::to_string(p.weight) + " (1..256)");
        if (p.forwarding.ifindex == 0) return err("route " + prefix.to_string() + ": a next hop without an interface");
        for (auto l : p.forwarding.labels)
            if (l.is_implicit_null())
                return err("route " + prefix.to_string() + ": implicit null (3) is never pushed");
    }
    // Acquire the new target before releasing the old one, so shared content keeps its object.
    uint32_t nhid;
    if (paths.size() == 1) {
        nhid = acquire_object(paths[0].forwarding);
    } else {
        std::map<uint32_t, uint32_t> weights;  // the same next hop twice: one member, weights added
        for (const auto& p : paths) {
            uint32_t id = acquire_object(p.forwarding);
            auto [it, fresh] = weights.emplace(id, p.weight);
            if (!fresh) {
                it->second = std::min<uint32_t>(256, it->second + p.weight);
                release(id);
            }
        }
        if (weights.size() == 1) {
            nhid = weights.begin()->first;
        } else {
            std::vector<GroupMember> members;
            for (auto [id, w] : weights) members.push_back({NexthopId{id}, uint16_t(w)});
            nhid = acquire_group(std::move(members));
        }
    }
    bool inserted = false;
    auto& s = routes_.insert(prefix, &inserted);
    if (!inserted) {
        uint32_t old = s.nhid;
        bool was_stale_or_removing = s.flags & (route_flag::stale | route_flag::removing);
        s.flags &= uint8_t(~(route_flag::stale | route_flag::removing));
        if (!was_stale_or_removing || old != 0) release(old);
        if (old == nhid && (s.flags & route_flag::installed) && !(s.flags & route_flag::failed)) {
            // Nothing changes in the kernel (the common case for a route adopted at start).
            schedule_flush();
            return ok_unit;
        }
    }
    s.nhid = nhid;
    mark_route_dirty(s);
    schedule_flush();
    return ok_unit;
}

void Fib::remove_route(const Ipv6Prefix& prefix) {
    auto* s = routes_.find(prefix);
    if (!s || (s->flags & route_flag::removing)) return;
    release(s->nhid);
    s->nhid = 0;
    if (s->flags & route_flag::installed) {
        // Kept until the delete is built, so a quick re-add finds it installed and replaces it.
        s->flags = route_flag::installed | route_flag::removing;
        route_deletes_.push_back(prefix);
    } else {
        routes_.erase(*s);
    }
    schedule_flush();
}

bool Fib::replace_forwarding(const Forwarding& from, const Forwarding& to) {
    auto it = object_index_.find(from);
    if (it == object_index_.end()) return false;
    if (from == to) return true;
    uint32_t id = it->second;
    object_index_.erase(it);
    object_index_.emplace(to, id);  // no-op when `to` already has an object: that one stays the indexed one
    auto& o = objects_.at(id);
    o.content = to;
    o.dirty = true;
    o.parked = false;
    schedule_flush();
    return true;
}

// --- MPLS ---

void Fib::set_mpls_route(const MplsRoute& route) {
    auto& m = mpls_[route.in_label.value()];
    mpls_deletes_.erase(route.in_label.value());
    m.stale = false;
    if (m.route == route && m.installed) return;
    m.route = route;
    m.dirty = true;
    schedule_flush();
}

void Fib::remove_mpls_route(MplsLabel in_label) {
    auto it = mpls_.find(in_label.value());
    if (it == mpls_.end()) return;
    if (it->second.installed) mpls_deletes_.insert(in_label.value());
    mpls_.erase(it);
    schedule_flush();
}

// --- inspection ---

uint32_t Fib::route_nhid(const Ipv6Prefix& prefix) const {
    auto* s = const_cast<RouteShadow&>(routes_).find(prefix);
    return s && !(s->flags & route_flag::removing) ? s->nhid : 0;
}

bool Fib::route_installed(const Ipv6Prefix& prefix) const {
    auto* s = const_cast<RouteShadow&>(routes_).find(prefix);
    return s && (s->flags & route_flag::installed) && !(s->flags & (route_flag::dirty | route_flag::removing));
}

std::optional<Forwarding> Fib::object(NexthopId id) const {
    auto it = objects_.find(id.value);
    if (it == objects_.end()) return std::nullopt;
    return it->second.content;
}

std::optional<NexthopId> Fib::object_id(const Forwarding& f) const {
    auto it = object_index_.find(f);
    if (it == object_index_.end()) return std::nullopt;
    return NexthopId{it->second};
}

std::size_t Fib::object_refs(NexthopId id) const {
    if (auto it = objects_.find(id.value); it != objects_.end()) return it->second.refs;
    if (auto g = groups_.find(id.value); g != groups_.end()) return g->second.refs;
    return 0;
}

std::optional<std::vector<GroupMember>> Fib::group(NexthopId id) const {
    auto it = groups_.find(id.value);
    if (it == groups_.end()) return std::nullopt;
    return it->second.members;
}

std::vector<std::string> Fib::failures() const {
    std::vector<std::string> out;
    for (const auto& [subject, text] : failing_) out.push_back(text);
    return out;
}

FibStats Fib::stats() const {
    FibStats s = stats_;
    s.routes = routes_.size();
    s.objects = objects_.size();
    s.groups = groups_.size();
    s.mpls_routes = mpls_.size();
    s.route_bytes = routes_.memory_bytes();
    return s;
}

bool Fib::idle() const {
    if (in_flight_ || flush_scheduled_ || !retry_.empty() || !retry_foreign_.empty() || !adopted_) return false;
    if (!dirty_routes_.empty() || !route_deletes_.empty() || !foreign_key_deletes_.empty() || !unused_.empty() ||
        !id_deletes_.empty() || !mpls_deletes_.empty())
        return false;
    for (const auto& [id, o] : objects_)
        if (o.dirty && !o.parked) return false;
    // A dirty group waits for members; it is pending only if one of them can be sent.
    auto sendable = [&](const GroupMember& m) {
        auto o = objects_.find(m.id.value);
        return o != objects_.end() && (o->second.installed || (o->second.dirty && !o->second.parked));
    };
    for (const auto& [id, g] : groups_)
        if (g.dirty && std::any_of(g.members.begin(), g.members.end(), sendable)) return false;
    for (const auto& [l, m] : mpls_)
        if (m.dirty) return false;
    return true;
}

void Fib::schedule_flush() {
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
    boost::asio::post(io_, [this, alive = alive_] {
        if (!*alive) return;
        flush_scheduled_ = false;
        build_and_send();
    });
}

void Fib::flush() { build_and_send(); }

}  // namespace isthmus::netlink
