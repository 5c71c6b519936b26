#pragma once
// The egress labels this router puts on the 6PE routes it originates (issue 6 item 3), per
// label mode. Labels come from the one allocator (DECISIONS 1), stay with a prefix (or next
// hop, or table) as long as it is advertised, and go back when the last user goes. Each label
// that needs an LFIB entry is reported to the observer (explicit-null needs none: Linux pops
// label 2 and looks the packet up by itself).
#include <cstddef>
#include <map>
#include <optional>
#include <unordered_map>

#include "bgp/rib/rib.hpp"
#include "bgp/rib/types.hpp"
#include "lib/label_allocator.hpp"

namespace isthmus::bgp::rib {

class LabelManager {
public:
    LabelManager(LabelAllocator& alloc, config::LabelMode mode, RibObserver& observer);
    ~LabelManager();  // gives every label back to the allocator

    // The label to advertise for p, whose route this router forwards to next_hop (a CE, or a
    // local gateway), or by lookup when none. nullopt when the range is exhausted.
    std::optional<MplsLabel> assign(const Ipv6Prefix& p, std::optional<Ipv6Address> next_hop);
    // p is no longer originated by this router.
    void release(const Ipv6Prefix& p);
    std::optional<MplsLabel> label_of(const Ipv6Prefix& p) const;
    // Releases everything; callers assign again (a reload changed the mode).
    void set_mode(config::LabelMode mode);
    config::LabelMode mode() const { return mode_; }
    std::size_t labels_in_use() const { return shared_.size(); }

private:
    // per-prefix: {p, -}; per-nexthop: {-, nh} (no next hop: the lookup label); per-table: {-, -}.
    struct Key {
        std::optional<Ipv6Prefix> prefix;
        std::optional<Ipv6Address> next_hop;
        auto operator<=>(const Key&) const = default;
    };
    struct Shared {
        EgressLabel entry;
        std::size_t users = 0;
    };
    void drop(const Key& k);

    LabelAllocator& alloc_;
    config::LabelMode mode_;
    RibObserver& observer_;
    std::map<Key, Shared> shared_;
    std::unordered_map<Ipv6Prefix, Key> users_;
};

}  // namespace isthmus::bgp::rib
