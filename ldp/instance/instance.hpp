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
#include "ldp/io/discovery_socket.hpp"
#include "ldp/io/session.hpp"
#include "ldp/label/label_base.hpp"
#include "lib/config/types.hpp"
#include "lib/label_allocator.hpp"

namespace isthmus::ldp {

struct InstanceOutputs {
    std::function<void(const std::vector<label::LfibEntry>&)> lfib;
    std::function<void(const std::vector<label::LspChange>&)> lsp;
};

struct InstanceOptions {
    uint16_t port = io::kLdpPort;  // UDP and TCP; tests may use another
    session::Settings session;     // init timeout and backoff (role is decided per peer)
    std::function<bool(const Ipv4Prefix&)> accept_fec;  // fec-policy; unset: /32 host routes
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
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    void session_up(io::Session& s, const session::NegotiatedSession& n) override;
    void session_down(io::Session& s, const std::string& reason) override;
    void session_message(io::Session& s, const Message& m) override;

    void apply(label::Effects e);
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
    std::map<LdpId, bool> peer_gtsm_;  // the G flag of the LSR's latest link Hello
    uint32_t message_id_ = 0;
    std::minstd_rand rng_{std::random_device{}()};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool running_ = false;
};

}  // namespace isthmus::ldp
