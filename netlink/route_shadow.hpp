#pragma once
// The desired-state layer's copy of its IPv6 routes: prefix -> nexthop id and a few state bits,
// 24 bytes a route in one open-addressing array (no node per route, no pointer) kept 8/15 to 4/5
// full: 30-45 bytes a route, where a std::unordered_map node alone costs ~56 (issue 10: < 64).
// Table and metric are the layer's, the same for all its routes, so they are not stored per route.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "lib/prefix.hpp"

namespace isthmus::netlink {

struct RouteSlot {
    Ipv6Address::Bytes address;  // the prefix's network address
    uint8_t length;              // 0..128, or kEmpty / kTombstone
    uint8_t flags;               // RouteFlag bits
    uint16_t spare;
    uint32_t nhid;  // the object or group the route should point at

    static constexpr uint8_t kEmpty = 0xff;
    static constexpr uint8_t kTombstone = 0xfe;
    bool used() const { return length <= 128; }
    Ipv6Prefix prefix() const { return Ipv6Prefix::make(Ipv6Address(address), length); }
};
static_assert(sizeof(RouteSlot) == 24);

namespace route_flag {
inline constexpr uint8_t installed = 1;  // the kernel has the route (with some nhid; with `nhid` unless dirty)
inline constexpr uint8_t dirty = 2;      // queued for a request
inline constexpr uint8_t stale = 4;      // found in the kernel at start, not (yet) desired: the sweep deletes it
inline constexpr uint8_t seen = 8;       // found by the current reconciliation's dump
inline constexpr uint8_t failed = 16;    // its last request failed; waiting for the retry timer
inline constexpr uint8_t waiting = 32;   // its nexthop is not in the kernel (link down): sent when it is
inline constexpr uint8_t removing = 64;  // no longer wanted; the kernel still has it: deleted at the next flush
}  // namespace route_flag

class RouteShadow {
public:
    RouteShadow() = default;
    RouteShadow(const RouteShadow&) = delete;
    RouteShadow& operator=(const RouteShadow&) = delete;

    RouteSlot* find(const Ipv6Prefix& p);
    // The slot for `p`, created (flags 0, nhid 0) when absent. Invalidates other slot pointers.
    RouteSlot& insert(const Ipv6Prefix& p, bool* inserted = nullptr);
    void erase(RouteSlot& slot);
    // After many erasures: gives memory back (rehashes smaller) when under 1/4 full. Invalidates
    // slot pointers.
    void shrink_if_sparse();

    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    std::size_t memory_bytes() const { return capacity_ * sizeof(RouteSlot); }

    // Visits every route; `f` may change flags and nhid but not insert or erase.
    template <class F>
    void for_each(F&& f) {
        for (std::size_t i = 0; i < capacity_; ++i)
            if (slots_[i].used()) f(slots_[i]);
    }

private:
    std::size_t probe_start(const Ipv6Address::Bytes& a, uint8_t len) const;
    std::size_t next(std::size_t i) const { return i + 1 == capacity_ ? 0 : i + 1; }
    void rehash(std::size_t new_capacity);

    std::unique_ptr<RouteSlot[]> slots_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;
    std::size_t tombstones_ = 0;
};

}  // namespace isthmus::netlink
