#pragma once
// BGP in isthmusd: the speaker (bgp/speaker: listener, one session per neighbor) joined to
// the RIB (bgp/rib). Started when the configuration has a "bgp" section; logs every session
// transition. Owns a label allocator until the daemon has one shared with LDP (as LdpService).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

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

// DECISIONS 2: the resolver (next issue) answers for 6PE next hops. Until it is wired, a
// mapped next hop is reported unusable with that reason, so no 6PE path can win and
// black-hole traffic; IPv6 next hops of single-hop CE sessions are on a connected link.
class UnresolvedNextHops : public bgp::rib::NextHopView {
public:
    bgp::rib::NextHopState lookup(const Ipv4Address&) const override {
        return {false, 0, "no LSP resolver in this build yet"};
    }
    bgp::rib::NextHopState lookup(const Ipv6Address&) const override { return {true, 0, {}}; }
};

struct BgpServiceOptions {
    bgp::speaker::SpeakerOptions speaker;  // tests move the port
    std::chrono::milliseconds flush_delay{50};  // MRAI-style batching of RIB output
};

class BgpService : private bgp::session::Observer, private bgp::rib::RibObserver {
public:
    // Egress labels come from the daemon's one allocator (DECISIONS 1), which must outlive the service.
    static Result<std::unique_ptr<BgpService>, std::string> start(boost::asio::io_context& io,
                                                                  const config::Config& cfg, LabelAllocator& labels,
                                                                  BgpServiceOptions options = {});
    ~BgpService() override;
    // Cease/Administrative Shutdown to every peer (RFC 9003 text), listeners closed.
    void stop(std::string_view message = "isthmusd stopping");

    // "show bgp summary" and "show bgp neighbor <address>" (removed again on destruction).
    void add_commands(control::Registry& registry);
    control::Json summary() const;
    Result<control::Json, std::string> neighbor(const std::string& address) const;

    const bgp::speaker::Speaker& speaker() const { return *speaker_; }
    const bgp::rib::Rib& rib() const { return *rib_; }

private:
    BgpService(boost::asio::io_context& io, const config::Config& cfg, LabelAllocator& labels,
               BgpServiceOptions options);

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
    void send_route_refresh(bgp::rib::PeerId, bgp::Family) override;

    void schedule_flush();
    void drain(bgp::rib::PeerId id);
    void start_stale_timer(bgp::rib::PeerId id, std::chrono::seconds after);
    bgp::session::Session* session_of(bgp::rib::PeerId id);

    boost::asio::io_context& io_;
    BgpServiceOptions options_;
    bool graceful_restart_ = false;  // we act as GR helper (config mode helper or full)
    std::chrono::seconds stale_routes_time_{360};
    LabelAllocator& labels_;
    UnresolvedNextHops next_hops_;
    std::unique_ptr<bgp::rib::Rib> rib_;
    std::unique_ptr<bgp::speaker::Speaker> speaker_;
    // One id per neighbor for the service's life: a peer back from a graceful restart finds
    // its stale paths under the same id.
    std::map<const bgp::session::Session*, bgp::rib::PeerId> ids_;
    std::map<bgp::rib::PeerId, bool> up_;
    std::map<bgp::rib::PeerId, std::unique_ptr<boost::asio::steady_timer>> stale_timers_;
    boost::asio::steady_timer flush_timer_;
    bool flush_pending_ = false;
    control::Registry* registry_ = nullptr;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace isthmus::daemon
