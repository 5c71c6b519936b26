#pragma once
// The resolver (issue 11 item 1-2): BGP best-path sets in, kernel forwarding out.
//
// A 6PE path (egress PE A, BGP label L) resolves onto the LSPs of A's FEC (egress.hpp); a CE path
// onto its IPv6 gateway. A prefix's forwarding is the union of its paths' ways out (one ECMP group
// across several egress PEs). Prefixes with the same (A, L) share forwarding objects, so when the
// core changes (an IGP next hop, an LDP label) the resolver replaces the shared objects — one
// kernel request per object, none per prefix — whenever the number of ways out stays the same.
// Only when it changes (a path appears or disappears) are the prefixes using (A, L) re-pointed.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "bgp/rib/types.hpp"
#include "daemon/resolver/core_view.hpp"
#include "daemon/resolver/egress.hpp"
#include "daemon/resolver/transport.hpp"
#include "netlink/fib.hpp"

namespace isthmus::daemon::resolver {

// Where resolved forwarding goes: netlink::Fib in the daemon, a recorder in tests.
class ForwardingSink {
public:
    virtual ~ForwardingSink() = default;
    virtual void set_route(const Ipv6Prefix& prefix, std::span<const netlink::Path> paths) = 0;
    virtual void remove_route(const Ipv6Prefix& prefix) = 0;
    virtual bool replace_forwarding(const netlink::Forwarding& from, const netlink::Forwarding& to) = 0;
    // Hierarchical mode: the per-egress LFIB entries.
    virtual void set_mpls_route(const netlink::MplsRoute& route) = 0;
    virtual void remove_mpls_route(MplsLabel in_label) = 0;
};

// Flat (default): a prefix's objects carry the whole stack [LDP label, BGP label]. Hierarchical:
// they push [local label of the egress PE, BGP label] into the recirculation port, and one LFIB
// entry per egress PE (transport.hpp) swaps in the LDP label.
struct ResolverOptions {
    std::optional<RecirculationPortRef> port;  // set: hierarchical
    LabelAllocator* labels = nullptr;          // the local labels' allocator (hierarchical)
};

// A prefix as show commands report it.
struct PrefixState {
    bool installed = false;
    std::vector<netlink::Path> paths;
    std::vector<std::string> unresolved;  // one reason per path that could not be used
};

struct ResolverStats {
    uint64_t route_sets = 0;       // per-prefix kernel work (set_route)
    uint64_t route_removes = 0;
    uint64_t object_replaces = 0;  // shared work (replace_forwarding)
    uint64_t transport_replaces = 0;  // shared work in hierarchical mode (one LFIB entry per egress PE)
};

class Resolver {
public:
    Resolver(const CoreView& core, ForwardingSink& sink, ResolverOptions options = {});

    // The RIB's best-path set for a prefix changed (empty: gone).
    void update(const bgp::rib::BestPathSet& set);
    // Something in the core changed (an IPv4 route, an LDP binding): re-resolve every egress PE
    // and apply the differences.
    void core_changed();

    // Hierarchical: the recirculation port was re-created with another ifindex; every prefix moves.
    void port_changed(const RecirculationPortRef& port);
    // Removes every route it installed and forgets all prefixes (shutdown without graceful restart).
    void clear();
    // Every egress PE in use: (egress, BGP label) -> resolution, prefixes using it.
    void for_each_egress(const std::function<void(const Ipv4Address&, MplsLabel, const EgressResolution&,
                                                  std::size_t users)>& f) const;
    std::optional<PrefixState> prefix(const Ipv6Prefix& p) const;
    const EgressResolution* egress(const Ipv4Address& a, MplsLabel bgp_label) const;
    ResolverStats stats() const;
    bool hierarchical() const { return transports_.has_value(); }
    const TransportTable* transports() const { return transports_ ? &*transports_ : nullptr; }
    std::size_t prefixes() const { return prefixes_.size(); }
    std::size_t installed_prefixes() const;  // handed to the sink (O(prefixes))

private:
    struct EgressKey {
        Ipv4Address egress;
        MplsLabel label;
        auto operator<=>(const EgressKey&) const = default;
    };
    struct CeKey {
        Ipv6Address gateway;
        auto operator<=>(const CeKey&) const = default;
    };
    struct Entry {
        std::vector<EgressKey> egresses;
        std::vector<CeKey> ces;
        PrefixState state;
    };
    struct Egress {
        EgressResolution resolution;
        std::set<Ipv6Prefix> users;
    };

    void install(const Ipv6Prefix& p, Entry& e);
    // The way out for one 6PE path, or why there is none.
    void add_paths(const EgressKey& k, std::vector<netlink::Path>& paths, std::vector<std::string>& unresolved) const;
    void acquire(const Ipv6Prefix& p, const EgressKey& k);
    void release(const Ipv6Prefix& p, const EgressKey& k);

    const CoreView& core_;
    ForwardingSink& sink_;
    std::optional<RecirculationPortRef> port_;
    std::optional<TransportTable> transports_;
    std::map<Ipv6Prefix, Entry> prefixes_;
    std::map<EgressKey, Egress> egresses_;
    ResolverStats stats_;
};

}  // namespace isthmus::daemon::resolver
