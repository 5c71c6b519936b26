#include "daemon/forwarder.hpp"

#include <boost/asio/post.hpp>

#include "daemon/kernel_check.hpp"
#include "lib/log.hpp"

namespace isthmus::daemon {

namespace asio = boost::asio;

// The resolver's output: the Fib when routes are installed, nothing otherwise.
class Forwarder::Sink final : public resolver::ForwardingSink {
public:
    explicit Sink(Forwarder& f) : f_(f) {}
    void set_route(const Ipv6Prefix& prefix, std::span<const netlink::Path> paths) override {
        if (!f_.fib_) return;
        if (auto r = f_.fib_->set_route(prefix, paths); !r) log::error("fib: {}: {}", prefix.to_string(), r.error());
    }
    void remove_route(const Ipv6Prefix& prefix) override {
        if (f_.fib_) f_.fib_->remove_route(prefix);
    }
    bool replace_forwarding(const netlink::Forwarding& from, const netlink::Forwarding& to) override {
        return f_.fib_ && f_.fib_->replace_forwarding(from, to);
    }
    void set_mpls_route(const netlink::MplsRoute& route) override {
        if (f_.fib_) f_.fib_->set_mpls_route(route);
    }
    void remove_mpls_route(MplsLabel label) override {
        if (f_.fib_) f_.fib_->remove_mpls_route(label);
    }

private:
    Forwarder& f_;
};

Forwarder::Forwarder(asio::io_context& io, const config::Config& cfg, std::unique_ptr<netlink::Monitor> monitor)
    : io_(io), cfg_(cfg), monitor_(std::move(monitor)), core_(monitor_->view()), tracker_(core_, cfg.kernel.install), sink_(std::make_unique<Sink>(*this)),
      idle_timer_(io) {}

Forwarder::~Forwarder() {
    *alive_ = false;
    if (registry_)
        for (const char* c : {"show fib", "show fib summary", "show nexthops"}) registry_->remove(c);
}

Result<std::unique_ptr<Forwarder>, std::string> Forwarder::open(asio::io_context& io, const config::Config& cfg,
                                                                LabelAllocator& labels) {
    auto m = netlink::Monitor::open(io);
    if (!m) return err("kernel monitor: " + m.error());
    std::unique_ptr<Forwarder> f(new Forwarder(io, cfg, std::move(m).value()));
    if (cfg.kernel.install) {
        check_kernel(cfg);
        auto k = netlink::Kernel::open(io);
        if (!k) return err("kernel layer: " + k.error());
        f->kernel_ = std::move(k).value();
        if (auto nh = f->kernel_->check_nexthop_objects_sync(); !nh) return err(nh.error());
        f->port_ = std::make_unique<netlink::KernelPort>(*f->kernel_);
        netlink::FibOptions options;
        // DECISIONS 6: after our own restart, keep the old entries until the protocols are back
        // (release_sweep) or the longest of their timers has run out.
        using config::GracefulRestartMode;
        if (cfg.bgp && cfg.bgp->graceful_restart.mode == GracefulRestartMode::full)
            options.sweep_hold = std::max<std::chrono::milliseconds>(options.sweep_hold,
                                                                     cfg.bgp->graceful_restart.restart_time);
        if (cfg.ldp && cfg.ldp->graceful_restart.mode == GracefulRestartMode::full)
            options.sweep_hold = std::max<std::chrono::milliseconds>(options.sweep_hold,
                                                                     cfg.ldp->graceful_restart.recovery_time);
        f->fib_ = std::make_unique<netlink::Fib>(io, *f->port_, options);
    }
    resolver::ResolverOptions ro;
    if (cfg.kernel.install && cfg.kernel.forwarding == config::ForwardingMode::hierarchical) {
        auto port = netlink::Recirculation::ensure(*f->kernel_);
        if (!port) return err(port.error());
        for (const auto& c : port->changes) log::info("recirculation port: {}", c);
        f->recirc_ = std::move(port).value();
        log::notice("hierarchical forwarding through {} (ifindex {}), local labels {}", f->recirc_->out_name,
                    f->recirc_->ifindex_out, cfg.labels.recirculation.to_string());
        ro.port = resolver::RecirculationPortRef{f->recirc_->gateway, f->recirc_->ifindex_out};
        ro.labels = &labels;
    }
    f->resolver_.emplace(f->core_, *f->sink_, ro);
    return f;
}

void Forwarder::start() {
    monitor_->subscribe([this](const netlink::MonitorEvent& e) { on_event(e); });
    monitor_->start();
}

void Forwarder::on_event(const netlink::MonitorEvent& e) {
    if (fib_) {
        fib_->on_event(e);
        if (const auto* s = std::get_if<netlink::SyncEvent>(&e); s && s->initial) fib_->start();
    }
    if (const auto* l = std::get_if<netlink::LinkEvent>(&e);
        l && !l->removed && l->origin == netlink::Origin::notification && cfg_.kernel.install &&
        cfg_.kernel.set_sysctls && cfg_.ldp) {
        // An LDP interface created after the start (a VLAN, a tunnel) needs MPLS input too.
        for (const auto& i : cfg_.ldp->interfaces)
            if (i.name == l->value.name) check_kernel(cfg_, false);
    }
    if (const auto* l = std::get_if<netlink::LinkEvent>(&e); l && recirc_ && recirc_->uses(l->value.ifindex)) port_event(*l);
    // What resolution reads: IPv4 routes (the egress PEs), links and global IPv6 addresses (CE
    // interfaces). Anything else (a link-local address finishing DAD, IPv4 addresses) would only
    // make BGP re-decide every prefix for nothing.
    bool core = std::holds_alternative<netlink::LinkEvent>(e) || std::holds_alternative<netlink::SyncEvent>(e);
    if (const auto* a = std::get_if<netlink::AddressEvent>(&e))
        core = a->value.address.is_v6() && !a->value.address.v6().is_link_local();
    if (const auto* r = std::get_if<netlink::Ipv4RouteEvent>(&e)) core = r->value.table == netlink::kMainTable;
    if (core) core_changed();
}

void Forwarder::port_event(const netlink::LinkEvent& l) {
    if (auto ok = netlink::Recirculation::check(*kernel_); ok) return;
    else log::warning("recirculation port: {}; repairing it", ok.error());
    auto port = netlink::Recirculation::ensure(*kernel_);
    if (!port) {
        log::error("recirculation port: {}", port.error());
        return;
    }
    bool moved = port->ifindex_out != recirc_->ifindex_out;
    recirc_ = std::move(port).value();
    // A new pair (new ifindex): every route goes via it. Down and up again on the same pair, the
    // Fib re-installs what the kernel dropped by itself.
    (void)l;
    if (moved)
        resolver_->port_changed(resolver::RecirculationPortRef{recirc_->gateway, recirc_->ifindex_out});
}

void Forwarder::lsp_changed(const std::vector<ldp::label::LspChange>& changes) {
    core_.apply(changes);
    core_changed();
}

void Forwarder::core_changed() {
    if (reevaluate_pending_) return;
    reevaluate_pending_ = true;
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired()) return;
        reevaluate_pending_ = false;
        reevaluate();
    });
}

void Forwarder::reevaluate() {
    tracker_.invalidate();
    if (next_hops_changed_) next_hops_changed_();
    resolver_->core_changed();
    for (const auto& [label, e] : egress_) install_egress(e);  // a CE interface may have appeared
}

void Forwarder::egress_label_added(const bgp::rib::EgressLabel& e) {
    if (e.label.value() < 16) return;  // reserved (explicit null): the kernel pops and looks up itself
    egress_[e.label.value()] = e;
    install_egress(e);
}

void Forwarder::egress_label_removed(MplsLabel label) {
    if (egress_.erase(label.value()) && fib_) fib_->remove_mpls_route(label);
}

void Forwarder::install_egress(const bgp::rib::EgressLabel& e) {
    if (!fib_) return;
    using Action = bgp::rib::EgressLabel::Action;
    if (e.action == Action::PopToNextHop && e.next_hop) {
        auto ifindex = core_.ipv6_interface(*e.next_hop);
        if (!ifindex) {
            log::debug("bgp: egress label {}: no interface toward {} yet", e.label.value(), e.next_hop->to_string());
            return;
        }
        fib_->set_mpls_route(netlink::MplsRoute::pop_to_ipv6(e.label, *e.next_hop, *ifindex));
        return;
    }
    const auto* lo = monitor_->view().link(std::string_view("lo"));
    fib_->set_mpls_route(netlink::MplsRoute::pop_and_lookup(e.label, lo ? lo->ifindex : 1));
}

std::vector<ldp::label::LfibEntry> Forwarder::previous_lfib() {
    std::vector<ldp::label::LfibEntry> out;
    if (!kernel_) return out;
    auto state = kernel_->read_state_sync();
    if (!state) {
        log::warning("graceful restart: reading our previous LFIB: {}", state.error());
        return out;
    }
    for (const auto& r : state->mpls_routes) {
        ldp::label::LfibEntry e;
        e.in_label = r.in_label;
        for (const auto& p : r.paths)
            if (p.via && p.via->is_v4())
                e.paths.push_back({p.via->v4(), p.ifindex,
                                   p.out_labels.empty() ? MplsLabel::implicit_null() : p.out_labels.top()});
        if (!e.paths.empty()) out.push_back(std::move(e));
    }
    return out;
}

void Forwarder::release_sweep() {
    if (fib_ && fib_->sweep_pending()) fib_->release_sweep();
}

void Forwarder::withdraw_all(std::function<void()> done, std::chrono::milliseconds limit, bool keep_routes) {
    if (!keep_routes) {
        resolver_->clear();
        if (fib_)
            for (const auto& [label, e] : egress_) fib_->remove_mpls_route(e.label);
        egress_.clear();
    }
    if (!fib_) {
        done();
        return;
    }
    fib_->flush();
    wait_idle(std::move(done), std::chrono::steady_clock::now() + limit);
}

void Forwarder::wait_idle(std::function<void()> done, std::chrono::steady_clock::time_point until) {
    if (fib_->idle() || std::chrono::steady_clock::now() >= until) {
        if (!fib_->idle()) log::warning("fib: stopping with changes the kernel has not confirmed");
        done();
        return;
    }
    idle_timer_.expires_after(std::chrono::milliseconds(20));
    idle_timer_.async_wait([this, done = std::move(done), until](const boost::system::error_code& ec) mutable {
        if (!ec) wait_idle(std::move(done), until);
    });
}

}  // namespace isthmus::daemon
