#include "daemon/ldp_service.hpp"

#include "daemon/fec_policy.hpp"

#include "lib/log.hpp"

namespace isthmus::daemon {

namespace {

ldp::label::NextHop next_hop_of(const netlink::RouteNexthop& n) {
    ldp::label::NextHop h;
    if (n.gateway && n.gateway->is_v4()) h.gateway = n.gateway->v4();
    h.ifindex = n.ifindex;
    return h;
}

ldp::label::NextHop next_hop_of(const netlink::NexthopInfo& n) {
    ldp::label::NextHop h;
    if (n.gateway && n.gateway->is_v4()) h.gateway = n.gateway->v4();
    h.ifindex = n.ifindex;
    return h;
}

}  // namespace

LdpService::LdpService(LabelAllocator& labels, netlink::Monitor& monitor, netlink::Fib* fib)
    : labels_(labels), monitor_(monitor), fib_(fib) {}

LdpService::~LdpService() {
    stop();
    monitor_.unsubscribe(subscription_);
}

Result<std::unique_ptr<LdpService>, std::string> LdpService::start(boost::asio::io_context& io,
                                                                  const config::Config& cfg,
                                                                  LabelAllocator& labels,
                                                                  netlink::Monitor& monitor, netlink::Fib* fib,
                                                                  std::vector<ldp::label::LfibEntry> preserved,
                                                                  std::function<void()> recovery_complete) {
    std::unique_ptr<LdpService> s(new LdpService(labels, monitor, fib));
    const config::Ldp& l = *cfg.ldp;
    ldp::InstanceOutputs out;
    LdpService* self = s.get();
    out.lfib = [self](const std::vector<ldp::label::LfibEntry>& e) { self->install(e); };
    out.lsp = [self](const std::vector<ldp::label::LspChange>& c) {
        for (const auto& x : c)
            log::info("ldp: LSP {} {}", x.fec.to_string(),
                      x.next_hops.empty() ? std::string("none")
                                          : fmt::format("via {} next hop(s), first {}", x.next_hops.size(),
                                                        ldp::label::to_string(x.next_hops.front())));
        if (self->lsp_handler_) self->lsp_handler_(c);
    };
    out.recovery_complete = std::move(recovery_complete);
    ldp::InstanceOptions options;
    if (!preserved.empty()) {
        log::notice("ldp: graceful restart: {} LFIB entries of our previous run kept, re-learning", preserved.size());
        options.restarting = true;
        options.preserved_lfib = std::move(preserved);
    }
    std::vector<std::string> warnings;
    options.accept_fec = fec_filter(cfg, warnings);
    for (const auto& w : warnings) log::warning("{}", w);
    if (l.fec_policy) log::info("ldp: FECs are the IPv4 routes fec-policy \"{}\" accepts", *l.fec_policy);
    s->ldp_ = std::make_unique<ldp::Instance>(io, l, cfg.router_id, s->labels_, std::move(out), std::move(options));
    if (auto st = s->ldp_->start(); !st) return err(st.error());
    if (l.igp_sync_hook) {
        std::vector<std::string> names;
        for (const auto& i : l.interfaces) names.push_back(i.name);
        s->igp_sync_ = std::make_unique<LdpIgpSync>(io, *l.igp_sync_hook, l.igp_sync_delay, std::move(names), *s->ldp_,
                                                    monitor);
        s->igp_sync_->start();
    }
    s->subscription_ = monitor.subscribe([self](const netlink::MonitorEvent& e) { self->on_kernel_event(e); });
    return s;
}

void LdpService::stop(bool keep_forwarding) {
    if (stopped_) return;
    stopped_ = true;
    if (registry_) {
        for (const char* c : {"show ldp neighbor", "show ldp binding", "show ldp lsp"}) registry_->remove(c);
        registry_ = nullptr;
    }
    if (igp_sync_) igp_sync_->stop();
    if (!ldp_) return;
    if (keep_forwarding) ldp_->stop_keeping_forwarding();
    else ldp_->stop();  // removes our LFIB entries through install()
}

void LdpService::on_kernel_event(const netlink::MonitorEvent& e) {
    if (stopped_) return;
    if (const auto* l = std::get_if<netlink::LinkEvent>(&e)) {
        if (l->removed) ldp_->interface_removed(l->value.ifindex);
        else ldp_->interface_changed(l->value.ifindex, l->value.name, l->value.admin_up && l->value.oper_up);
    } else if (const auto* a = std::get_if<netlink::AddressEvent>(&e)) {
        if (!a->value.address.is_v4()) return;
        ldp::label::LocalAddress x{a->value.address.v4(), a->value.prefix_length, a->value.ifindex};
        a->removed ? ldp_->address_removed(x) : ldp_->address_added(x);
    } else if (const auto* r = std::get_if<netlink::Ipv4RouteEvent>(&e)) {
        if (r->value.table == netlink::kMainTable) route_event(r->value.prefix);
    } else if (const auto* n = std::get_if<netlink::NexthopEvent>(&e)) {
        // Routes using this object (FRR's zebra installs its routes over nexthop objects).
        std::vector<Ipv4Prefix> users;
        for (const auto& [key, route] : monitor_.view().ipv4_routes())
            if (route.table == netlink::kMainTable && route.nhid == n->value.id) users.push_back(route.prefix);
        for (const auto& p : users) route_event(p);
    }
}

// The label base wants the route the kernel uses for exactly this prefix (lowest metric).
void LdpService::route_event(const Ipv4Prefix& prefix) {
    const auto& view = monitor_.view();
    const netlink::Ipv4RouteInfo* best = view.ipv4_route(prefix);
    if (!best || best->type != netlink::RouteType::unicast) {
        ldp_->route_removed(prefix);
        return;
    }
    ldp::label::Route r{prefix, {}, best->metric};
    for (const auto& n : best->nexthops) r.next_hops.push_back(next_hop_of(n));
    if (r.next_hops.empty() && best->nhid.value != 0) {
        if (const auto* obj = view.nexthop(best->nhid)) {
            if (obj->members.empty()) {
                r.next_hops.push_back(next_hop_of(*obj));
            } else {
                for (const auto& m : obj->members)
                    if (const auto* member = view.nexthop(m.id)) r.next_hops.push_back(next_hop_of(*member));
            }
        }
    }
    if (r.next_hops.empty()) ldp_->route_removed(prefix);
    else ldp_->route_changed(r);
}

void LdpService::install(const std::vector<ldp::label::LfibEntry>& entries) {
    for (const auto& e : entries) {
        log::info("ldp: LFIB {}", ldp::label::to_string(e));
        if (e.paths.empty()) {
            if (!installed_.erase(e.in_label)) continue;
            if (fib_) fib_->remove_mpls_route(e.in_label);
            continue;
        }
        netlink::MplsRoute route;
        route.in_label = e.in_label;
        for (const auto& p : e.paths) {
            netlink::MplsPath path;
            path.via = IpAddress(p.next_hop);
            path.ifindex = p.ifindex;
            if (!p.out_label.is_implicit_null()) path.out_labels.push_back(p.out_label);
            route.paths.push_back(path);
        }
        installed_.insert_or_assign(e.in_label, route);
        if (fib_) fib_->set_mpls_route(route);
    }
}

namespace {

std::string label_text(MplsLabel l) { return l.is_implicit_null() ? "imp-null" : std::to_string(l.value()); }

control::Json lsp_json(const std::vector<ldp::label::LspNextHop>& hops) {
    control::Json a = control::Json::array();
    for (const auto& h : hops)
        a.push_back({{"next-hop", h.next_hop.to_string()}, {"ifindex", h.ifindex}, {"label", label_text(h.out_label)}});
    return a;
}

}  // namespace

void LdpService::add_commands(control::Registry& registry) {
    using control::Call;
    using control::Json;
    registry_ = &registry;
    auto add = [&](control::Command c) {
        if (auto r = registry.add(std::move(c)); !r) log::error("control: {}", r.error());
    };
    add({"show ldp neighbor", "", "LDP sessions and adjacencies", 0, 0, {},
         [this](const Call&) -> Result<Json, std::string> {
             Json sessions = Json::array();
             for (const auto& [lsr, s] : ldp_->sessions()) {
                 Json j{{"lsr-id", lsr.to_string()},
                        {"transport-address", s->params().peer_transport.to_string()},
                        {"state", std::string(ldp::session::to_string(s->state()))},
                        {"role", s->role() == ldp::session::Role::active ? "active" : "passive"},
                        {"gtsm", s->params().gtsm},
                        {"md5", s->params().md5_key.has_value()},
                        {"messages-sent", s->messages_sent()},
                        {"messages-received", s->messages_received()}};
                 if (const auto& n = s->negotiated()) j["keepalive-time"] = n->keepalive_time.count();
                 sessions.push_back(std::move(j));
             }
             // Per neighbour across its sessions (a flap shows as sessions-up + 1).
             Json neighbors = Json::array();
             for (const auto& [lsr, c] : ldp_->counters()) {
                 auto gr = ldp_->graceful_restart(lsr);
                 Json j{{"lsr-id", lsr.to_string()},
                        {"sessions-up", c.sessions_up},
                        {"label-mappings-sent", c.label_mappings_sent},
                        {"label-mappings-received", c.label_mappings_received},
                        {"label-withdraws-sent", c.label_withdraws_sent},
                        {"label-withdraws-received", c.label_withdraws_received},
                        {"graceful-restart", std::string(ldp::gr::to_string(gr.state))},
                        {"stale-held", gr.stale},
                        {"protected", ldp_->protection().protecting(lsr)},
                        {"held-by-protection", ldp_->protection().holding(lsr)}};
                 if (gr.remaining) j["graceful-restart-remaining-ms"] = gr.remaining->count();
                 neighbors.push_back(std::move(j));
             }
             Json adjacencies = Json::array();
             for (const auto& [key, a] : ldp_->adjacencies().adjacencies())
                 adjacencies.push_back({{"lsr-id", key.lsr.to_string()},
                                        {"type", key.source.targeted ? "targeted" : "link"},
                                        {"source", key.source.targeted ? key.source.address.to_string()
                                                                       : std::to_string(key.source.ifindex)},
                                        {"transport-address", a.transport.to_string()},
                                        {"hold-time", a.hold_time}});
             return Json{{"lsr-id", ldp_->id().to_string()}, {"sessions", sessions}, {"neighbors", neighbors},
                         {"adjacencies", adjacencies}, {"recovering", ldp_->recovering()},
                         {"igp-sync", igp_sync_ ? igp_sync_->state() : Json(nullptr)}};
         }});
    add({"show ldp binding", "", "every FEC: our label, the peers' labels, the LSP", 0, 0, {},
         [this](const Call&) -> Result<Json, std::string> {
             Json out = Json::array();
             for (const auto& b : ldp_->labels().bindings()) {
                 Json remote = Json::object();
                 for (const auto& [peer, l] : b.received) remote[peer.to_string()] = label_text(l);
                 out.push_back({{"fec", b.fec.to_string()},
                                {"own", b.own},
                                {"routed", b.routed},
                                {"local-label", b.local ? label_text(*b.local) : "-"},
                                {"remote-labels", remote},
                                {"lsp", lsp_json(b.lsp)}});
             }
             return Json{{"bindings", out}};
         }});
    add({"show ldp lsp", "", "the LSP table: FEC -> next hops and out labels", 0, 0, {},
         [this](const Call&) -> Result<Json, std::string> {
             Json out = Json::array();
             for (const auto& [fec, hops] : ldp_->labels().lsp_table())
                 out.push_back({{"fec", fec.to_string()}, {"next-hops", lsp_json(hops)}});
             return Json{{"lsps", out}};
         }});
}

}  // namespace isthmus::daemon
