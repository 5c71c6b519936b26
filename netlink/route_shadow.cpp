#include "route_shadow.hpp"

#include <algorithm>
#include <cstring>

namespace isthmus::netlink {

namespace {
bool same(const RouteSlot& s, const Ipv6Address::Bytes& a, uint8_t len) {
    return s.length == len && std::memcmp(s.address.data(), a.data(), a.size()) == 0;
}
}  // namespace

std::size_t RouteShadow::probe_start(const Ipv6Address::Bytes& a, uint8_t len) const {
    uint64_t hi, lo;
    std::memcpy(&hi, a.data(), 8);
    std::memcpy(&lo, a.data() + 8, 8);
    uint64_t h = (hi * 0x9e3779b97f4a7c15ull) ^ (lo + len) * 0xc2b2ae3d27d4eb4full;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    // Any capacity (< 2^32), not only powers of two: (h' * capacity) / 2^32 spreads the top 32
    // bits h' over [0, capacity).
    return std::size_t(((h >> 32) * uint64_t(capacity_)) >> 32);
}

RouteSlot* RouteShadow::find(const Ipv6Prefix& p) {
    if (size_ == 0) return nullptr;
    const auto& a = p.address().bytes();
    auto len = uint8_t(p.length());
    for (std::size_t i = probe_start(a, len), n = 0; n < capacity_; i = next(i), ++n) {
        auto& s = slots_[i];
        if (s.length == RouteSlot::kEmpty) return nullptr;
        if (same(s, a, len)) return &s;
    }
    return nullptr;
}

RouteSlot& RouteShadow::insert(const Ipv6Prefix& p, bool* inserted) {
    if (auto* s = find(p)) {
        if (inserted) *inserted = false;
        return *s;
    }
    // The load (tombstones included) stays under 4/5 so linear probes stay short; growing makes
    // it 8/15: 30 to 45 bytes a route.
    if ((size_ + tombstones_ + 1) * 5 > capacity_ * 4) rehash(std::max<std::size_t>(64, (size_ + 1) * 15 / 8));
    const auto& a = p.address().bytes();
    auto len = uint8_t(p.length());
    for (std::size_t i = probe_start(a, len);; i = next(i)) {
        auto& s = slots_[i];
        if (s.used()) continue;
        if (s.length == RouteSlot::kTombstone) --tombstones_;
        s = RouteSlot{a, len, 0, 0, 0};
        ++size_;
        if (inserted) *inserted = true;
        return s;
    }
}

void RouteShadow::erase(RouteSlot& slot) {
    slot.length = RouteSlot::kTombstone;
    slot.flags = 0;
    --size_;
    ++tombstones_;
    if (size_ == 0) {  // cheap full reset: no tombstones left behind
        for (std::size_t i = 0; i < capacity_; ++i) slots_[i].length = RouteSlot::kEmpty;
        tombstones_ = 0;
    }
}

void RouteShadow::shrink_if_sparse() {
    if (capacity_ > 64 && size_ * 4 < capacity_) rehash(std::max<std::size_t>(64, (size_ + 1) * 15 / 8));
}

void RouteShadow::rehash(std::size_t new_capacity) {
    auto old = std::move(slots_);
    std::size_t old_capacity = capacity_;
    slots_ = std::make_unique<RouteSlot[]>(new_capacity);
    capacity_ = new_capacity;
    for (std::size_t i = 0; i < capacity_; ++i) slots_[i].length = RouteSlot::kEmpty;
    size_ = 0;
    tombstones_ = 0;
    for (std::size_t i = 0; i < old_capacity; ++i) {
        if (!old[i].used()) continue;
        const auto& s = old[i];
        for (std::size_t j = probe_start(s.address, s.length);; j = next(j)) {
            if (slots_[j].used()) continue;
            slots_[j] = s;
            ++size_;
            break;
        }
    }
}

}  // namespace isthmus::netlink
