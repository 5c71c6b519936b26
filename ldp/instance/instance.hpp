#pragma once
// The LDP instance: discovery (link and targeted Hellos on the UDP socket, the adjacency table and
// its hold timers), the TCP listener and one Session per peer LSR, and the label base they feed.
// daemon/ gives it the kernel's view (interfaces, addresses, routes) and carries its outputs out:
// LFIB decisions to netlink/, LSP table changes to the resolver.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ldp/discovery/adjacency.hpp"
#include "ldp/discovery/protection.hpp"
#include "ldp/gr/graceful_restart.hpp"
#include "ldp/io/discovery_socket.hpp"
#include "ldp/io/session.hpp"
#include "ldp/label/label_base.hpp"
#include "lib/config/types.hpp"
#include "lib/label_allocator.hpp"

namespace isthmus::ldp {

struct InstanceOutputs {
    std::function<void(const std::vector<label::LfibEntry>&)> lfib;
    std::function<void(const std::vector<label::LspChange>&)> lsp;
    // Called once: LDP no longer needs the stale LFIB entries the daemon kept from before a restart
    // (every preserved entry re-learnt, or the recovery time over; at once, posted from start(),
    // when not restarting). The daemon then releases the kernel sweep (DECISIONS.md 6).
    std::function<void()> recovery_complete;
};

// Per neighbour LSR, across its sessions (kept while the instance runs), for display and tests.
struct PeerCounters {
    uint64_t sessions_up = 0;  // times a session with it reached OPERATIONAL
    uint64_t label_mappings_sent = 0;
    uint64_t label_mappings_received = 0;
    uint64_t label_withdraws_sent = 0;
    uint64_t label_withdraws_received = 0;
    bool operator==(const PeerCounters&) const = default;
};

// Graceful restart as seen for one neighbour, for display.
struct PeerGracefulRestart {
    gr::NeighborState state = gr::NeighborState::none;
    std::optional<std::chrono::milliseconds> remaining;  // until its stale bindings go
    std::optional<FtSessionParams> peer_ft;              // its latest FT Session TLV
    std::size_t stale = 0;                               // its stale labels and addresses held
};

struct InstanceOptions {
    uint16_t port = io::kLdpPort;  // UDP and TCP; tests may use another
    session::Settings session;     // init timeout and backoff (role is decided per peer)
    std::function<bool(const Ipv4Prefix&)> accept_fec;  // fec-policy; unset: /32 host routes
    // Graceful restart, restarting role (used with graceful-restart mode full only): we restarted
    // and the kernel still forwards on our previous incarnation's LFIB, which the daemon's Fib
    // adopted and keeps until recovery_complete. preserved_lfib: those entries as found (in label,
    // paths with next hop and out label; the FEC may be left empty); labels outside the LDP range
    // are ignored. Their labels are re-used for the FECs they served (RFC 3478 3.5.1).
    bool restarting = false;
    std::vector<label::LfibEntry> preserved_lfib;
};

class Instance : private io::SessionOwner {
public:
    Instance(boost::asio::io_context& io, const config::Ldp& cfg, RouterId router_id, LabelAllocator& labels,
             InstanceOutputs out, InstanceOptions options = {});
    ~Instance() override;

    // Opens the UDP and TCP sockets; an error names what failed.
    Status<std::string> start();
    // Shutdown Notification to every peer, sockets closed, LFIB entries withdrawn, labels returned.
    void stop();
    // Planned graceful restart (mode full): sessions closed without Notification and our LFIB
    // entries left in the kernel (no LFIB or LSP removals are output), labels given back.
    void stop_keeping_forwarding();

    // The discovery socket's input (public so tests can hand in link Hellos without a real link).
    void hello_datagram(const io::Datagram& d) { on_datagram(d); }

    // The kernel's view, from daemon/.
    void interface_changed(uint32_t ifindex, const std::string& name, bool up);
    void interface_removed(uint32_t ifindex);
    void address_added(const label::LocalAddress& a);
    void address_removed(const label::LocalAddress& a);
    void route_changed(const label::Route& r);
    void route_removed(const Ipv4Prefix& p);

    // For display and tests.
    const discovery::AdjacencyTable& adjacencies() const { return table_; }
    const label::LabelBase& labels() const { return label_; }
    const std::map<LdpId, std::shared_ptr<io::Session>>& sessions() const { return sessions_; }
    LdpId id() const { return self_; }
    const std::map<LdpId, PeerCounters>& counters() const { return counters_; }
    PeerCounters counters(const LdpId& lsr) const;
    PeerGracefulRestart graceful_restart(const LdpId& lsr) const;
    const gr::GracefulRestart& graceful_restart() const { return gr_; }
    // Session protection: which LSRs get targeted Hellos, and which are held by them alone.
    const discovery::SessionProtection& protection() const { return protection_; }
    // Restarting: our LFIB recovery still holds preserved entries.
    bool recovering() const { return label_.recovering(); }

private:
    struct Interface {
        std::string name;
        bool up = false;
        const config::LdpInterface* config = nullptr;  // null: LDP not enabled on it
        std::unique_ptr<boost::asio::steady_timer> hello_timer;
    };
    struct Targeted {
        Ipv4Address address;
        std::chrono::seconds interval{15};
        uint16_t hold_time = discovery::kDefaultTargetedHoldTime;
        bool configured = false;
        bool protection = false;  // session protection sends these (the LSR is directly connected)
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    void session_up(io::Session& s, const session::NegotiatedSession& n) override;
    void session_down(io::Session& s, const std::string& reason) override;
    void session_message(io::Session& s, const Message& m) override;

    void apply(label::Effects e);
    void stop(bool keep_forwarding);
    void rearm_gr();
    void on_gr_timer();
    void check_recovery();
    void finish_recovery();
    void check_refreshed(const LdpId& lsr);
    void protect(const LdpId& lsr, std::optional<Ipv4Address> transport);
    void apply_protection(const std::vector<discovery::ProtectionOutput>& outputs);
    void rearm_protection();
    bool operational(const LdpId& lsr) const;
    void enable_interface(uint32_t ifindex, Interface& i);
    void disable_interface(uint32_t ifindex, Interface& i);
    void send_link_hello(uint32_t ifindex);
    void send_targeted_hello(Ipv4Address to);
    void schedule_link_hello(uint32_t ifindex, std::chrono::milliseconds after);
    void schedule_targeted_hello(Ipv4Address to, std::chrono::milliseconds after);
    std::chrono::milliseconds jittered(std::chrono::seconds interval);
    std::vector<uint8_t> hello_pdu(uint16_t hold_time, bool targeted, bool gtsm);
    void on_datagram(const io::Datagram& d);
    void handle_discovery(std::vector<discovery::Output> outputs);
    void rearm_expiry();
    void accept();
    void on_accepted(boost::asio::ip::tcp::socket socket);
    void create_session(const LdpId& lsr, Ipv4Address transport);
    void remove_session(const LdpId& lsr);
    std::optional<std::string> password_for(const LdpId& lsr) const;
    bool single_hop(const LdpId& lsr) const;

    boost::asio::io_context& io_;
    config::Ldp config_;
    LdpId self_;
    Ipv4Address transport_;
    InstanceOutputs out_;
    InstanceOptions options_;
    discovery::AdjacencyTable table_;
    label::LabelBase label_;
    std::unique_ptr<io::DiscoverySocket> udp_;
    std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
    boost::asio::steady_timer expiry_;
    std::map<uint32_t, Interface> interfaces_;
    std::map<Ipv4Address, Targeted> targeted_;
    std::map<LdpId, std::shared_ptr<io::Session>> sessions_;
    std::map<LdpId, bool> peer_gtsm_;
    gr::GracefulRestart gr_;
    boost::asio::steady_timer gr_timer_;
    bool recovery_signalled_ = false;
    std::map<LdpId, PeerCounters> counters_;
    discovery::SessionProtection protection_;
    boost::asio::steady_timer protection_timer_;  // the G flag of the LSR's latest link Hello
    uint32_t message_id_ = 0;
    std::minstd_rand rng_{std::random_device{}()};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool running_ = false;
};

}  // namespace isthmus::ldp
