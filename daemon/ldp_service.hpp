#pragma once
// LDP in isthmusd: joins ldp/ (discovery, sessions, label base) with netlink/ (the kernel's view
// through the daemon's monitor; the LFIB through the daemon's Fib). Started when the configuration
// has an "ldp" section. Labels come from the daemon's allocator, shared with BGP.
#include <boost/asio/io_context.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon/control/registry.hpp"
#include "daemon/ldp_igp_sync.hpp"
#include "ldp/instance/instance.hpp"
#include "lib/config/types.hpp"
#include "lib/label_allocator.hpp"
#include "lib/result.hpp"
#include "netlink/fib.hpp"
#include "netlink/monitor.hpp"

namespace isthmus::daemon {

class LdpService {
public:
    using LspHandler = std::function<void(const std::vector<ldp::label::LspChange>&)>;

    // Local labels come from the daemon's one allocator (DECISIONS 1); the monitor (not started yet:
    // the service subscribes for its first dump) and the Fib (null: kernel.install is off) are the
    // daemon's. All must outlive the service.
    // Graceful restart (mode full): `preserved` is our previous incarnation's LFIB as the kernel
    // still has it (non-empty: we are restarting, RFC 3478); `recovery_complete` runs once LDP no
    // longer needs those entries kept (the daemon then lets the Fib sweep).
    static Result<std::unique_ptr<LdpService>, std::string> start(boost::asio::io_context& io,
                                                                  const config::Config& cfg,
                                                                  LabelAllocator& labels,
                                                                  netlink::Monitor& monitor, netlink::Fib* fib,
                                                                  std::vector<ldp::label::LfibEntry> preserved = {},
                                                                  std::function<void()> recovery_complete = {});
    ~LdpService();
    // Shutdown to every peer, our LFIB entries removed; or, for a planned graceful restart, sessions
    // closed without Notification (neighbours act as helpers) and the LFIB left in the kernel.
    void stop(bool keep_forwarding = false);

    // "show ldp neighbor|binding|lsp" on the control socket (removed again by stop()).
    void add_commands(control::Registry& registry);

    // The resolver's feed of LSP table changes (DECISIONS.md 4).
    void on_lsp_change(LspHandler h) { lsp_handler_ = std::move(h); }
    const ldp::Instance& instance() const { return *ldp_; }
    const std::map<MplsLabel, netlink::MplsRoute>& lfib() const { return installed_; }

private:
    LdpService(LabelAllocator& labels, netlink::Monitor& monitor, netlink::Fib* fib);
    void on_kernel_event(const netlink::MonitorEvent& e);
    void route_event(const Ipv4Prefix& prefix);
    void install(const std::vector<ldp::label::LfibEntry>& entries);

    LabelAllocator& labels_;
    netlink::Monitor& monitor_;
    netlink::Fib* fib_;
    std::size_t subscription_ = 0;
    std::unique_ptr<ldp::Instance> ldp_;
    std::unique_ptr<LdpIgpSync> igp_sync_;  // with ldp.igp-sync
    std::map<MplsLabel, netlink::MplsRoute> installed_;
    LspHandler lsp_handler_;
    control::Registry* registry_ = nullptr;
    bool stopped_ = false;
};

}  // namespace isthmus::daemon
