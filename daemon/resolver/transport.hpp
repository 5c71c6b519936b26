#pragma once
// Hierarchical forwarding (issue 11 item 2, KERNEL.md section 4): one local label per egress PE
// and one LFIB entry swapping it for the LDP label towards the core. Prefix routes push
// [local label, BGP label] into the recirculation port and never change when the LSP does: an
// LSP change is one label-route replace here, whatever the number of prefixes or BGP labels.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "daemon/resolver/core_view.hpp"
#include "daemon/resolver/egress.hpp"
#include "lib/label_allocator.hpp"
#include "netlink/mpls_route.hpp"

namespace isthmus::daemon::resolver {

// Where the recirculation port is: routes go via ::ffff:<gateway> onlink out of `ifindex`.
struct RecirculationPortRef {
    Ipv4Address gateway;
    uint32_t ifindex = 0;
};

class TransportTable {
public:
    using MplsSink = std::function<void(const netlink::MplsRoute&)>;    // install or replace
    using MplsRemove = std::function<void(MplsLabel)>;

    TransportTable(LabelAllocator& labels, MplsSink set, MplsRemove remove)
        : labels_(labels), set_(std::move(set)), remove_(std::move(remove)) {}

    struct Entry {
        std::optional<MplsLabel> local;  // none: the recirculation range is exhausted
        EgressResolution resolution;     // towards the egress with no BGP label: the LDP part only
        std::size_t refs = 0;
    };

    // A prefix starts using egress A: its entry (label allocated, LFIB entry installed on first use).
    const Entry& acquire(const Ipv4Address& a, const CoreView& core);
    void release(const Ipv4Address& a);
    // Re-resolves every egress; calls `resolvedness_changed(A)` for each one that became usable or
    // unusable (its prefixes must be re-installed), replaces the LFIB entry of the others.
    void core_changed(const CoreView& core, const std::function<void(const Ipv4Address&)>& resolvedness_changed);
    const Entry* find(const Ipv4Address& a) const;
    const std::map<Ipv4Address, Entry>& entries() const { return entries_; }
    uint64_t replaces() const { return replaces_; }
    void clear();  // removes every LFIB entry (shutdown)

private:
    void program(const Entry& e);

    LabelAllocator& labels_;
    MplsSink set_;
    MplsRemove remove_;
    std::map<Ipv4Address, Entry> entries_;
    uint64_t replaces_ = 0;
};

// The LFIB entry for an egress: swap `local` to the LDP label on every path (pop where the next
// hop is the egress itself, LDP implicit null).
netlink::MplsRoute transport_route(MplsLabel local, const EgressResolution& r);

}  // namespace isthmus::daemon::resolver
