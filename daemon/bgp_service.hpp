#pragma once
// BGP in isthmusd: the speaker (bgp/speaker: listener, one session per neighbor) joined to
// the RIB (bgp/rib). Started when the configuration has a "bgp" section; logs every session
// transition. Next hops are answered by the daemon's resolver (DECISIONS 2); best paths and egress
// labels go back to it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "bgp/rib/rib.hpp"
#include "bgp/speaker/speaker.hpp"
#include "daemon/control/registry.hpp"
#include "lib/config/types.hpp"
#include "lib/label_allocator.hpp"
#include "lib/result.hpp"

namespace isthmus::daemon {

// Where the RIB's results go in the daemon (the Forwarder); unset ones are dropped.
struct BgpOutputs {
    std::function<void(const bgp::rib::BestPathSet&)> best_changed;
    std::function<void(const bgp::rib::EgressLabel&)> egress_label_added;
    std::function<void(MplsLabel)> egress_label_removed;
    // For "show bgp routes": how a prefix is forwarded (installed, paths, unresolved reasons).
    std::function<control::Json(const Ipv6Prefix&)> forwarding_of;
};

struct BgpServiceOptions {
    bgp::speaker::SpeakerOptions speaker;  // tests move the port
    std::chrono::milliseconds flush_delay{50};  // MRAI-style batching of RIB output
};

class BgpService : private bgp::session::Observer, private bgp::rib::RibObserver {
public:
    // Egress labels come from the daemon's one allocator (DECISIONS 1), which must outlive the service.
    // `next_hops` too must outlive the service.
    static Result<std::unique_ptr<BgpService>, std::string> start(boost::asio::io_context& io,
                                                                  const config::Config& cfg, LabelAllocator& labels,
                                                                  const bgp::rib::NextHopView& next_hops,
                                                                  BgpOutputs outputs, BgpServiceOptions options = {});
    ~BgpService() override;
    // Cease/Administrative Shutdown to every peer (RFC 9003 text), listeners closed.
    void stop(std::string_view message = "isthmusd stopping");
    // Graceful restart (mode full): nothing is sent and nothing reaches the kernel any more; the
    // sessions close with the process, without NOTIFICATION, and the routes stay installed.
    void abandon();

    // Something the next-hop view reads changed: re-run the decision where a path's state did.
    void next_hops_changed();

    // "show bgp summary|neighbor|routes" (removed again on destruction).
    void add_commands(control::Registry& registry);
    control::Json summary() const;
    Result<control::Json, std::string> neighbor(const std::string& address) const;
    control::Json routes(const std::optional<Ipv6Prefix>& only, std::optional<bgp::Family> family) const;
    // A reload (bgp_reload.cpp): policies, label mode and the rest of the RIB's config apply to every
    // prefix; neighbors added start, removed ones get an admin shutdown, changed ones are reset;
    // peers whose import policy changed are soft-cleared in. Others are untouched. What needs a
    // restart (local AS, router id, graceful-restart mode) is logged and kept as it was.
    Status<std::string> reconfigure(const config::Config& previous, const config::Config& next);
    // who: a neighbor address or "all"; soft: in and/or out, hard otherwise.
    Result<control::Json, std::string> clear(const std::string& who, bool soft, bool in, bool out);

    const bgp::speaker::Speaker& speaker() const { return *speaker_; }
    const bgp::rib::Rib& rib() const { return *rib_; }

private:
    BgpService(boost::asio::io_context& io, const config::Config& cfg, LabelAllocator& labels,
               const bgp::rib::NextHopView& next_hops, BgpOutputs outputs, BgpServiceOptions options);

    // session::Observer
    void state_changed(bgp::session::Session&, bgp::fsm::State from, bgp::fsm::State to,
                       std::string_view why) override;
    void established(bgp::session::Session&, const bgp::session::PeerInfo&) override;
    void down(bgp::session::Session&, bool graceful) override;
    void update(bgp::session::Session&, const bgp::Update&) override;
    void route_refresh(bgp::session::Session&, const bgp::RouteRefresh&) override;
    // rib::RibObserver
    void output_ready(bgp::rib::PeerId) override;
    void best_changed(const bgp::rib::BestPathSet&) override;
    void egress_label_added(const bgp::rib::EgressLabel&) override;
    void egress_label_removed(MplsLabel) override;
    void send_route_refresh(bgp::rib::PeerId, bgp::Family) override;

    void schedule_flush();
    void drain(bgp::rib::PeerId id);
    void start_stale_timer(bgp::rib::PeerId id, std::chrono::seconds after);
    bgp::session::Session* session_of(bgp::rib::PeerId id);
    std::string peer_name(bgp::rib::PeerId id) const;
    static bgp::rib::LocalRoute local_route(const config::StaticRoute& r);
    void add_routes_command(control::Registry& registry);  // bgp_routes.cpp
    void add_clear_command(control::Registry& registry);   // bgp_clear.cpp

    boost::asio::io_context& io_;
    BgpServiceOptions options_;
    bool graceful_restart_ = false;  // we act as GR helper (config mode helper or full)
    std::chrono::seconds stale_routes_time_{360};
    LabelAllocator& labels_;
    const bgp::rib::NextHopView& next_hops_;
    BgpOutputs outputs_;
    std::unique_ptr<bgp::rib::Rib> rib_;
    std::unique_ptr<bgp::speaker::Speaker> speaker_;
    // One id per neighbor for the service's life: a peer back from a graceful restart finds
    // its stale paths under the same id.
    std::map<const bgp::session::Session*, bgp::rib::PeerId> ids_;
    uint32_t next_id_ = 1;
    std::map<bgp::rib::PeerId, bool> up_;
    std::map<bgp::rib::PeerId, std::unique_ptr<boost::asio::steady_timer>> stale_timers_;
    boost::asio::steady_timer flush_timer_;
    bool flush_pending_ = false;
    control::Registry* registry_ = nullptr;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace isthmus::daemon
