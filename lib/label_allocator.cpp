#include "lib/label_allocator.hpp"

namespace isthmus {

std::string_view label_client_name(LabelClient c) {
    switch (c) {
        case LabelClient::ldp: return "ldp";
        case LabelClient::bgp: return "bgp";
        case LabelClient::recirculation: return "recirculation";
    }
    return "?";
}

LabelAllocator::LabelAllocator(const config::LabelRanges& ranges) { set_ranges(ranges); }

void LabelAllocator::Pool::reset(const config::LabelRange& r) {
    range = r;
    next_fresh = r.first.value();
    // Released labels outside the new range are dropped; in-range ones stay reusable.
    std::erase_if(released, [&](uint32_t v) { return !r.contains(MplsLabel::checked(v)); });
}

void LabelAllocator::set_ranges(const config::LabelRanges& ranges) {
    pool(LabelClient::ldp).reset(ranges.ldp);
    pool(LabelClient::bgp).reset(ranges.bgp);
    pool(LabelClient::recirculation).reset(ranges.recirculation);
}

std::optional<MplsLabel> LabelAllocator::allocate(LabelClient c) {
    Pool& p = pool(c);
    const uint32_t last = p.range.last.value();
    // Fresh values first, stepping over labels taken by reserve() or left from before a reload.
    while (p.next_fresh <= last && p.used[p.next_fresh]) ++p.next_fresh;
    if (p.next_fresh <= last) {
        p.take(p.next_fresh);
        return MplsLabel::checked(p.next_fresh++);
    }
    while (!p.released.empty()) {
        uint32_t v = p.released.front();
        p.released.pop_front();
        if (p.used[v]) continue;  // reserved again since it was released
        p.take(v);
        return MplsLabel::checked(v);
    }
    return std::nullopt;
}

Status<std::string> LabelAllocator::reserve(LabelClient c, MplsLabel l) {
    Pool& p = pool(c);
    const std::string what = std::string(label_client_name(c)) + " label " + std::to_string(l.value());
    if (!p.range.contains(l)) return err(what + " is outside its range " + p.range.to_string());
    if (p.used[l.value()]) return err(what + " is already in use");
    p.take(l.value());
    return ok_unit;
}

bool LabelAllocator::release(LabelClient c, MplsLabel l) {
    Pool& p = pool(c);
    if (!p.used[l.value()]) return false;
    p.used[l.value()] = false;
    --p.used_count;
    // Values above next_fresh are found again by the fresh scan; only the rest need the queue.
    if (p.range.contains(l) && l.value() < p.next_fresh) p.released.push_back(l.value());
    return true;
}

bool LabelAllocator::in_use(LabelClient c, MplsLabel l) const { return pool(c).used[l.value()]; }

std::size_t LabelAllocator::used(LabelClient c) const { return pool(c).used_count; }

config::LabelRange LabelAllocator::range(LabelClient c) const { return pool(c).range; }

}  // namespace isthmus
