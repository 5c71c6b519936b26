#include "bgp/rib/adj_rib_out.hpp"

#include "bgp/codec/message.hpp"
#include "lib/log.hpp"

namespace isthmus::bgp::rib {

void AdjRibOut::set(const Ipv6Prefix& p, std::optional<OutRoute> r) {
    auto it = routes_.find(p);
    if (!r) {
        if (it == routes_.end()) return;
        routes_.erase(it);
        changed_.insert(p);
        withdrawn_.insert(p);
        return;
    }
    if (it != routes_.end() && it->second == *r) return;
    routes_.insert_or_assign(p, std::move(*r));
    changed_.insert(p);
    withdrawn_.erase(p);
}

const OutRoute* AdjRibOut::find(const Ipv6Prefix& p) const {
    auto it = routes_.find(p);
    return it == routes_.end() ? nullptr : &it->second;
}

namespace {

void append(Messages& out, Result<Messages, EncodeError> r, Family f) {
    if (!r) {
        // Only a prefix that alone exceeds a message gets here; nothing we hold can be that long.
        log::error("bgp: cannot pack an UPDATE for {}: {}", afi_safi_of(f).to_string(), r.error().reason);
        return;
    }
    for (auto& m : *r) out.push_back(std::move(m));
}

}  // namespace

Messages AdjRibOut::announce(const std::vector<std::pair<Ipv6Prefix, const OutRoute*>>& routes,
                             const Context& ctx) const {
    // Group by (attribute set, next hop): one packed run each. Ordered by first appearance.
    std::vector<std::pair<const OutRoute*, std::vector<Ipv6Nlri>>> runs;
    std::map<std::pair<const PathAttributes*, NextHop>, std::size_t> index;
    for (const auto& [p, r] : routes) {
        auto key = std::make_pair(r->attrs.get(), r->next_hop);
        auto [it, fresh] = index.try_emplace(key, runs.size());
        if (fresh) runs.push_back({r, {}});
        runs[it->second].second.push_back(Ipv6Nlri{p, 0, is_labeled(family_) ? r->labels : LabelStack{}});
    }
    Messages out;
    for (const auto& [r, nlri] : runs)
        append(out, pack_announcements(*r->attrs, family_, r->next_hop, nlri, ctx), family_);
    return out;
}

Messages AdjRibOut::take_changes(const Context& ctx) {
    Messages out;
    std::vector<Ipv6Nlri> withdraw;
    std::vector<std::pair<Ipv6Prefix, const OutRoute*>> announce_list;
    for (const auto& p : changed_) {
        if (withdrawn_.count(p)) {
            withdraw.push_back(Ipv6Nlri{p, 0, {}});
        } else if (auto* r = find(p)) {
            announce_list.emplace_back(p, r);
        }
    }
    if (!withdraw.empty()) append(out, pack_withdrawals(family_, withdraw, ctx), family_);
    for (auto& m : announce(announce_list, ctx)) out.push_back(std::move(m));
    changed_.clear();
    withdrawn_.clear();
    return out;
}

Messages AdjRibOut::full_table(const Context& ctx) const {
    std::vector<std::pair<Ipv6Prefix, const OutRoute*>> all;
    all.reserve(routes_.size());
    for (const auto& [p, r] : routes_) all.emplace_back(p, &r);
    return announce(all, ctx);
}

std::vector<uint8_t> AdjRibOut::end_of_rib(const Context& ctx) const {
    Update u;
    if (family_ != Family::Ipv4Unicast) u.mp_unreach = MpUnreach{family_, {}, {}};
    auto bytes = encode(Message{u}, ctx);
    return bytes ? std::move(*bytes) : std::vector<uint8_t>{};
}

}  // namespace isthmus::bgp::rib
