// BGP's part of a reload: the smallest change that makes the running speaker match the new file.
#include "daemon/bgp_service.hpp"
#include "lib/log.hpp"

namespace isthmus::daemon {

using bgp::rib::PeerId;

namespace {

const config::BgpNeighbor* find_neighbor(const config::Bgp& b, const IpAddress& a) {
    for (const auto& n : b.neighbors)
        if (n.address == a) return &n;
    return nullptr;
}

const config::StaticRoute* find_static(const config::Config& c, const Ipv6Prefix& p) {
    for (const auto& r : c.static_routes)
        if (r.prefix == p) return &r;
    return nullptr;
}

}  // namespace

Status<std::string> BgpService::reconfigure(const config::Config& previous, const config::Config& next) {
    if (!next.bgp) return err(std::string("bgp: removing the bgp section needs a restart"));
    const auto& was = *previous.bgp;
    const auto& now = *next.bgp;
    if (was.local_as != now.local_as || previous.router_id != next.router_id ||
        was.graceful_restart != now.graceful_restart)
        log::warning("bgp: reload: local AS, router id and graceful restart take effect at the next restart");
    auto rib_cfg = bgp::rib::RibConfig::from(next);
    if (!rib_cfg) return err("bgp: " + rib_cfg.error());
    // Export policies, label mode, max-paths: the RIB re-decides and sends only the differences.
    rib_->reconfigure(std::move(rib_cfg).value());

    // Neighbors removed or changed: gone (a changed one comes back below as new).
    std::vector<config::BgpNeighbor> start;
    std::vector<std::pair<std::shared_ptr<bgp::session::Session>, std::string>> drop;
    for (const auto& s : speaker_->sessions()) {
        const auto* n = find_neighbor(now, s->neighbor().address);
        if (!n) drop.emplace_back(s, "neighbor removed from the configuration");
        else if (!(*n == s->neighbor())) {
            drop.emplace_back(s, "neighbor configuration changed");
            start.push_back(*n);
        }
    }
    for (const auto& n : now.neighbors)
        if (!find_neighbor(was, n.address)) start.push_back(n);
    for (auto& [s, why] : drop) {
        auto it = ids_.find(s.get());
        if (it == ids_.end()) continue;
        PeerId id = it->second;
        log::notice("bgp {}: {}: stopping the session", s->name(), why);
        speaker_->remove(s->neighbor().address, why);  // down() runs while the id is still known
        if (up_[id]) rib_->peer_down(id, false);
        up_.erase(id);
        stale_timers_.erase(id);
        ids_.erase(it);
    }
    for (const auto& n : start) {
        auto& s = speaker_->add(n);
        ids_[&s] = PeerId{next_id_++};
        log::notice("bgp {}: added by a reload", s.name());
    }

    // Import policies are applied as routes arrive: re-apply them where a policy changed.
    if (previous.policies != next.policies || previous.prefix_lists != next.prefix_lists)
        for (const auto& s : speaker_->sessions()) {
            auto it = ids_.find(s.get());
            if (it == ids_.end() || !up_[it->second] || !s->neighbor().import_policy) continue;
            log::info("bgp {}: policies changed, soft clear in", s->name());
            rib_->soft_clear_in(it->second);
        }

    // Static routes: withdraw what went, originate what is new or changed.
    for (const auto& r : previous.static_routes)
        if (!find_static(next, r.prefix)) rib_->withdraw_local(r.prefix, config::RouteSource::static_route);
    for (const auto& r : next.static_routes) {
        const auto* old = find_static(previous, r.prefix);
        if (old && *old == r) continue;
        rib_->originate(local_route(r));
    }
    schedule_flush();
    return ok_unit;
}

}  // namespace isthmus::daemon
