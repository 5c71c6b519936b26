#include "bgp/rib/labels.hpp"

#include "lib/log.hpp"

namespace isthmus::bgp::rib {

LabelManager::LabelManager(LabelAllocator& alloc, config::LabelMode mode, RibObserver& observer)
    : alloc_(alloc), mode_(mode), observer_(observer) {}

// Labels go back to the allocator; the observer is not called (it may be gone already, and at
// shutdown the kernel entries are netlink/'s to keep or sweep).
LabelManager::~LabelManager() {
    for (auto& [k, s] : shared_) alloc_.release(LabelClient::bgp, s.entry.label);
}

std::optional<MplsLabel> LabelManager::assign(const Ipv6Prefix& p, std::optional<Ipv6Address> next_hop) {
    using M = config::LabelMode;
    if (mode_ == M::explicit_null) return MplsLabel::ipv6_explicit_null();
    Key key;
    if (mode_ == M::per_prefix) key.prefix = p;
    if (mode_ == M::per_nexthop) key.next_hop = next_hop;
    EgressLabel want;
    want.next_hop = mode_ == M::per_table ? std::nullopt : next_hop;
    want.action = want.next_hop ? EgressLabel::Action::PopToNextHop : EgressLabel::Action::PopAndLookup;

    if (auto it = users_.find(p); it != users_.end()) {
        if (it->second == key) {
            auto& s = shared_.at(key);
            // per-prefix: same label, the forwarding behind it follows the route.
            if (s.entry.next_hop != want.next_hop || s.entry.action != want.action) {
                s.entry.next_hop = want.next_hop;
                s.entry.action = want.action;
                observer_.egress_label_added(s.entry);
            }
            return s.entry.label;
        }
        auto old = it->second;
        users_.erase(it);
        drop(old);
    }
    auto sit = shared_.find(key);
    if (sit == shared_.end()) {
        auto label = alloc_.allocate(LabelClient::bgp);
        if (!label) return std::nullopt;
        want.label = *label;
        sit = shared_.emplace(key, Shared{want, 0}).first;
        observer_.egress_label_added(want);
    }
    ++sit->second.users;
    users_.emplace(p, key);
    return sit->second.entry.label;
}

void LabelManager::drop(const Key& k) {
    auto it = shared_.find(k);
    if (it == shared_.end() || --it->second.users > 0) return;
    auto label = it->second.entry.label;
    shared_.erase(it);
    observer_.egress_label_removed(label);
    if (!alloc_.release(LabelClient::bgp, label))
        log::error("bgp: label {} released but the allocator did not hand it to bgp", label.value());
}

void LabelManager::release(const Ipv6Prefix& p) {
    auto it = users_.find(p);
    if (it == users_.end()) return;
    auto key = it->second;
    users_.erase(it);
    drop(key);
}

std::optional<MplsLabel> LabelManager::label_of(const Ipv6Prefix& p) const {
    if (mode_ == config::LabelMode::explicit_null) return MplsLabel::ipv6_explicit_null();
    auto it = users_.find(p);
    if (it == users_.end()) return std::nullopt;
    return shared_.at(it->second).entry.label;
}

void LabelManager::set_mode(config::LabelMode mode) {
    for (auto& [k, s] : shared_) {
        observer_.egress_label_removed(s.entry.label);
        alloc_.release(LabelClient::bgp, s.entry.label);
    }
    shared_.clear();
    users_.clear();
    mode_ = mode;
}

}  // namespace isthmus::bgp::rib
