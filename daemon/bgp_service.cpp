#include "daemon/bgp_service.hpp"

#include <boost/asio/post.hpp>

#include "lib/log.hpp"

namespace isthmus::daemon {

namespace asio = boost::asio;
using bgp::fsm::State;
using bgp::rib::PeerId;

namespace {

bgp::session::LocalIdentity identity(const config::Config& cfg) {
    bgp::session::LocalIdentity l;
    l.asn = cfg.bgp->local_as;
    l.router_id = cfg.router_id;
    l.graceful_restart = cfg.bgp->graceful_restart.mode;
    l.restart_time = cfg.bgp->graceful_restart.restart_time;
    return l;
}

}  // namespace

Result<std::unique_ptr<BgpService>, std::string> BgpService::start(asio::io_context& io, const config::Config& cfg,
                                                                   LabelAllocator& labels,
                                                                   const bgp::rib::NextHopView& next_hops,
                                                                   BgpOutputs outputs, BgpServiceOptions options) {
    if (!cfg.bgp) return err(std::string("bgp: the configuration has no bgp section"));
    auto rib_cfg = bgp::rib::RibConfig::from(cfg);
    if (!rib_cfg) return err("bgp: " + rib_cfg.error());
    std::unique_ptr<BgpService> s(new BgpService(io, cfg, labels, next_hops, std::move(outputs), std::move(options)));
    s->rib_ = std::make_unique<bgp::rib::Rib>(std::move(rib_cfg).value(), s->labels_, s->next_hops_,
                                            static_cast<bgp::rib::RibObserver&>(*s));
    for (auto& r : cfg.static_routes) s->rib_->originate(local_route(r));
    s->speaker_ = std::make_unique<bgp::speaker::Speaker>(io, identity(cfg), cfg.bgp->neighbors,
                                                          static_cast<bgp::session::Observer&>(*s),
                                                          s->options_.speaker);
    for (auto& session : s->speaker_->sessions()) s->ids_[session.get()] = PeerId{s->next_id_++};
    if (auto r = s->speaker_->start(); !r) return err("bgp: " + r.error());
    log::notice("bgp: AS {} router id {}, {} neighbor(s)", cfg.bgp->local_as.to_string(), cfg.router_id.to_string(),
                cfg.bgp->neighbors.size());
    return s;
}

bgp::rib::LocalRoute BgpService::local_route(const config::StaticRoute& r) {
    bgp::rib::LocalRoute lr;
    lr.prefix = r.prefix;
    lr.source = config::RouteSource::static_route;
    lr.next_hop = r.next_hop;
    return lr;
}

BgpService::BgpService(asio::io_context& io, const config::Config& cfg, LabelAllocator& labels,
                       const bgp::rib::NextHopView& next_hops, BgpOutputs outputs, BgpServiceOptions options)
    : io_(io),
      options_(std::move(options)),
      graceful_restart_(cfg.bgp->graceful_restart.mode != config::GracefulRestartMode::off),
      stale_routes_time_(cfg.bgp->graceful_restart.stale_routes_time),
      labels_(labels),
      next_hops_(next_hops),
      outputs_(std::move(outputs)),
      flush_timer_(io) {}

BgpService::~BgpService() {
    *alive_ = false;
    if (registry_) {
        registry_->remove("show bgp summary");
        registry_->remove("show bgp neighbor");
        registry_->remove("show bgp routes");
        registry_->remove("clear bgp");
    }
    speaker_.reset();  // sessions first: their last callbacks still find the RIB
}

void BgpService::abandon() {
    log::notice("bgp: graceful restart: closing {} session(s) without NOTIFICATION, routes kept",
                speaker_ ? speaker_->sessions().size() : 0);
    outputs_ = {};
}

void BgpService::stop(std::string_view message) {
    if (speaker_) speaker_->stop(message);
}

bgp::session::Session* BgpService::session_of(PeerId id) {
    for (auto& [s, pid] : ids_)
        if (pid == id) return const_cast<bgp::session::Session*>(s);
    return nullptr;
}

void BgpService::state_changed(bgp::session::Session& s, State from, State to, std::string_view why) {
    auto level = (to == State::established || from == State::established) ? log::Level::notice : log::Level::info;
    log::at(level, "bgp {}: {} -> {} ({})", s.name(), bgp::fsm::to_string(from), bgp::fsm::to_string(to), why);
}

void BgpService::established(bgp::session::Session& s, const bgp::session::PeerInfo& p) {
    auto known = ids_.find(&s);
    if (known == ids_.end()) return;  // a neighbor a reload removed: its last words
    PeerId id = known->second;
    bgp::rib::PeerFacts f;
    f.address = p.address;
    f.remote_as = p.asn;
    f.router_id = p.id;
    f.ibgp = p.ibgp;
    f.route_reflector_client = s.neighbor().route_reflector_client;
    f.negotiated = p.negotiated;
    if (p.local_address.is_v4()) f.local_ipv4 = p.local_address.v4();
    if (p.local_address.is_v6()) f.local_ipv6 = p.local_address.v6();
    // 6PE next hop ::ffff:<IPv4 update-source> (RFC 4798 2) even when the session runs elsewhere.
    if (auto& us = s.neighbor().update_source; us && us->is_v4()) f.local_ipv4 = us->v4();
    f.import_policy = s.neighbor().import_policy;
    f.export_policy = s.neighbor().export_policy;
    f.soft_reconfiguration_inbound = !p.negotiated.route_refresh;
    if (p.graceful_restart)
        for (auto& e : p.graceful_restart->entries)
            if (auto fam = bgp::family_of(e.afi_safi)) f.graceful_restart_families.push_back(*fam);
    std::string families;
    for (auto fam : p.negotiated.families) families += (families.empty() ? "" : " ") + bgp::afi_safi_of(fam).to_string();
    log::notice("bgp {}: Established with AS {} id {}, hold {}s, families [{}]", s.name(), p.asn.to_string(),
                p.id.to_string(), p.hold.count(), families);
    // Back after a graceful restart: stale paths stay until End-of-RIB or the stale timer.
    if (stale_timers_.count(id)) start_stale_timer(id, stale_routes_time_);
    if (auto r = rib_->peer_up(id, std::move(f)); !r) {
        log::error("bgp {}: RIB refused the peer: {}", s.name(), r.error());
        return;
    }
    up_[id] = true;
    schedule_flush();
}

void BgpService::down(bgp::session::Session& s, bool graceful) {
    auto known = ids_.find(&s);
    if (known == ids_.end()) return;  // a neighbor a reload removed: its last words
    PeerId id = known->second;
    if (!up_[id]) return;
    up_[id] = false;
    bool keep = graceful && graceful_restart_;
    log::notice("bgp {}: session down{}", s.name(), keep ? ", routes kept stale (graceful restart helper)" : "");
    rib_->peer_down(id, keep);
    if (keep) {
        auto& peer = s.peer();
        auto restart = std::chrono::seconds(peer && peer->graceful_restart ? peer->graceful_restart->restart_time : 0);
        start_stale_timer(id, restart);
    }
    schedule_flush();
}

void BgpService::start_stale_timer(PeerId id, std::chrono::seconds after) {
    auto& t = stale_timers_[id];
    if (!t) t = std::make_unique<asio::steady_timer>(io_);
    t->expires_after(after);
    t->async_wait([this, id, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        rib_->sweep_stale(id);
        stale_timers_.erase(id);
        schedule_flush();
    });
}

void BgpService::update(bgp::session::Session& s, const bgp::Update& u) {
    auto known = ids_.find(&s);
    if (known == ids_.end()) return;  // a neighbor a reload removed: its last words
    PeerId id = known->second;
    if (!up_[id]) return;
    if (auto eor = u.end_of_rib()) {
        rib_->end_of_rib(id, *eor);
    } else {
        rib_->receive(id, u);
        if (auto& p = s.peer())
            for (auto f : p->negotiated.families) s.prefixes_received(f, rib_->adj_rib_in_size(id, f));
    }
    schedule_flush();
}

void BgpService::route_refresh(bgp::session::Session& s, const bgp::RouteRefresh& rr) {
    auto known = ids_.find(&s);
    if (known == ids_.end()) return;  // a neighbor a reload removed: its last words
    PeerId id = known->second;
    auto f = bgp::family_of(rr.afi_safi);
    if (!f || !up_[id] || rr.subtype != bgp::route_refresh_subtype::kNormal) return;
    rib_->route_refresh_received(id, *f);
    schedule_flush();
}

void BgpService::schedule_flush() {
    if (flush_pending_) return;
    flush_pending_ = true;
    flush_timer_.expires_after(options_.flush_delay);
    flush_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        flush_pending_ = false;
        rib_->flush();
        for (auto& [id, up] : up_)
            if (up) drain(id);
    });
}

void BgpService::output_ready(PeerId id) {
    // Not from inside the RIB call (RibObserver contract): drain on the next turn.
    asio::post(io_, [this, id, alive = std::weak_ptr<bool>(alive_)] {
        if (!alive.expired()) drain(id);
    });
}

void BgpService::drain(PeerId id) {
    auto* s = session_of(id);
    if (!s || !up_[id]) return;
    for (auto& m : rib_->take_output(id)) s->send_raw(std::move(m));
}

void BgpService::best_changed(const bgp::rib::BestPathSet& b) {
    log::debug("bgp: best path set of {} now has {} path(s)", b.prefix.to_string(), b.paths.size());
    if (outputs_.best_changed) outputs_.best_changed(b);
}

void BgpService::egress_label_added(const bgp::rib::EgressLabel& e) {
    log::debug("bgp: egress label {} {}", e.label.value(),
               e.next_hop ? "pops to " + e.next_hop->to_string() : std::string("pops and looks up"));
    if (outputs_.egress_label_added) outputs_.egress_label_added(e);
}

void BgpService::egress_label_removed(MplsLabel l) {
    log::debug("bgp: egress label {} released", l.value());
    if (outputs_.egress_label_removed) outputs_.egress_label_removed(l);
}

void BgpService::next_hops_changed() {
    rib_->next_hops_changed();
    schedule_flush();
}

void BgpService::send_route_refresh(PeerId id, bgp::Family f) {
    asio::post(io_, [this, id, f, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired()) return;
        if (auto* s = session_of(id)) s->send(bgp::RouteRefresh{bgp::afi_safi_of(f), bgp::route_refresh_subtype::kNormal});
    });
}

namespace {

std::string notification_text(const std::optional<bgp::Notification>& n) {
    if (!n) return "";
    std::string s = std::to_string(n->code) + "/" + std::to_string(n->subcode);
    if (auto text = n->shutdown_communication()) s += " \"" + *text + "\"";
    return s;
}

}  // namespace

control::Json BgpService::summary() const {
    control::Json j;
    j["loc-rib-prefixes"] = rib_->loc_rib_size();
    control::Json list = control::Json::array();
    for (auto& s : speaker_->sessions()) {
        PeerId id = ids_.at(s.get());
        control::Json n;
        n["address"] = s->neighbor().address.to_string();
        n["remote-as"] = s->neighbor().remote_as.value();
        n["state"] = std::string(bgp::fsm::to_string(s->state()));
        n["established-count"] = s->established_count();
        control::Json fams = control::Json::object();
        if (auto& p = s->peer(); p && s->state() == State::established) {
            n["peer-id"] = p->id.to_string();
            n["hold-time"] = p->hold.count();
            n["local-address"] = p->local_address.to_string();
            for (auto f : p->negotiated.families) fams[bgp::afi_safi_of(f).to_string()] = rib_->adj_rib_in_size(id, f);
            n["prefixes-sent"] = rib_->adj_rib_out_size(id);
        }
        n["prefixes-received"] = fams;
        n["last-notification-sent"] = notification_text(s->last_sent());
        n["last-notification-received"] = notification_text(s->last_received());
        list.push_back(n);
    }
    j["neighbors"] = list;
    return j;
}

Result<control::Json, std::string> BgpService::neighbor(const std::string& address) const {
    auto j = summary();
    for (auto& n : j["neighbors"])
        if (n["address"] == address) return control::Json(n);
    return err("no BGP neighbor " + address);
}

void BgpService::add_commands(control::Registry& registry) {
    registry_ = &registry;
    auto add = [&](control::Command c) {
        if (auto r = registry.add(std::move(c)); !r) log::error("control: {}", r.error());
    };
    add({"show bgp summary", "", "BGP neighbors: state, negotiated families, prefixes received and sent", 0, 0, {},
         [this](const control::Call&) -> Result<control::Json, std::string> { return summary(); }});
    add({"show bgp neighbor", "<address>", "one BGP neighbor", 1, 1, {},
         [this](const control::Call& c) -> Result<control::Json, std::string> { return neighbor(c.args.at(0)); }});
    add_routes_command(registry);
    add_clear_command(registry);
}

}  // namespace isthmus::daemon
