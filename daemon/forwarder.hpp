#pragma once
// The daemon's one view of the kernel and one way into it (issue 11): the netlink monitor, the
// desired-state layer (netlink::Fib, only one per router: a second would sweep the first's
// entries) and the resolver between BGP's best paths and the kernel's routes. LDP follows the
// monitor and programs its LFIB through the Fib; BGP asks about next hops (NextHopTracker over the
// same view) and hands over best-path sets and egress labels.
//
// Core changes (an IPv4 route, a link, an address, an LDP LSP) are coalesced: one re-evaluation
// per loop turn, BGP's decision first (a next hop may become usable or not), then the resolver,
// which replaces shared nexthop objects instead of touching prefixes (PIC).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bgp/rib/types.hpp"
#include "daemon/control/registry.hpp"
#include "daemon/kernel_core_view.hpp"
#include "daemon/resolver/next_hops.hpp"
#include "daemon/resolver/resolver.hpp"
#include "ldp/label/lsp_table.hpp"
#include "lib/config/types.hpp"
#include "lib/result.hpp"
#include "netlink/fib.hpp"
#include "netlink/fib_kernel.hpp"
#include "netlink/kernel.hpp"
#include "netlink/monitor.hpp"
#include "netlink/recirculation.hpp"

namespace isthmus::daemon {

class Forwarder {
public:
    // The monitor always; the kernel layer and Fib only with kernel.install (otherwise routes are
    // resolved and shown but not installed).
    // Hierarchical forwarding (kernel.forwarding) creates the recirculation port here and takes the
    // egress PEs' local labels from `labels`, which must outlive the Forwarder.
    static Result<std::unique_ptr<Forwarder>, std::string> open(boost::asio::io_context& io, const config::Config& cfg,
                                                                LabelAllocator& labels);
    ~Forwarder();

    netlink::Monitor& monitor() { return *monitor_; }
    netlink::Fib* fib() { return fib_.get(); }
    const bgp::rib::NextHopView& next_hops() const { return tracker_; }
    const resolver::Resolver& resolver() const { return *resolver_; }

    // Subscribe LDP and the rest to monitor() first: the first dump reaches every subscriber.
    void start();

    // From BGP.
    void best_changed(const bgp::rib::BestPathSet& set) { resolver_->update(set); }
    void egress_label_added(const bgp::rib::EgressLabel& e);
    void egress_label_removed(MplsLabel label);
    // From LDP.
    void lsp_changed(const std::vector<ldp::label::LspChange>& changes);
    // Runs after the core changed, before the resolver re-resolves (BGP re-runs its decision).
    void on_next_hops_changed(std::function<void()> f) { next_hops_changed_ = std::move(f); }

    // Shutdown: remove BGP's routes and egress labels (unless `keep_routes`: a graceful restart
    // leaves them for the next run to adopt), then call `done` once the kernel has every pending
    // change (LDP's LFIB removals included) or after `limit`.
    void withdraw_all(std::function<void()> done, std::chrono::milliseconds limit, bool keep_routes = false);
    // Graceful restart: our label routes the kernel still has from the previous run (read before
    // the Fib starts), as LDP's preserved LFIB.
    std::vector<ldp::label::LfibEntry> previous_lfib();
    // The protocols have re-converged: sweep what was not re-learnt now, not when the hold runs out.
    void release_sweep();

    // "show fib" (the kernel's entries of ours, read back) and "show nexthops" (the egress PEs).
    void add_commands(control::Registry& registry);

private:
    class Sink;
    Forwarder(boost::asio::io_context& io, const config::Config& cfg, std::unique_ptr<netlink::Monitor> monitor);
    void on_event(const netlink::MonitorEvent& e);
    void core_changed();
    void reevaluate();
    void install_egress(const bgp::rib::EgressLabel& e);
    void port_event(const netlink::LinkEvent& l);
    void wait_idle(std::function<void()> done, std::chrono::steady_clock::time_point until);
    std::string interface_name(uint32_t ifindex) const;
    control::Json summary() const;

    boost::asio::io_context& io_;
    config::Config cfg_;  // the start-up snapshot: interfaces and kernel settings for the checks
    std::unique_ptr<netlink::Kernel> kernel_;
    std::unique_ptr<netlink::KernelPort> port_;
    std::unique_ptr<netlink::Fib> fib_;
    std::unique_ptr<netlink::Monitor> monitor_;
    KernelCoreView core_;
    resolver::NextHopTracker tracker_;
    std::unique_ptr<Sink> sink_;
    std::optional<netlink::RecirculationPort> recirc_;  // hierarchical forwarding
    std::optional<resolver::Resolver> resolver_;       // built once the port (if any) exists
    std::map<uint32_t, bgp::rib::EgressLabel> egress_;  // by label value
    std::function<void()> next_hops_changed_;
    bool reevaluate_pending_ = false;
    boost::asio::steady_timer idle_timer_;
    control::Registry* registry_ = nullptr;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace isthmus::daemon
