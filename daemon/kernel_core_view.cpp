#include "daemon/kernel_core_view.hpp"

namespace isthmus::daemon {

std::optional<resolver::CoreRoute> KernelCoreView::route_to(const Ipv4Address& a) const {
    const auto* r = view_.lookup(a);
    // A blackhole or unreachable route to the egress PE resolves nothing.
    if (!r || r->type != netlink::RouteType::unicast) return std::nullopt;
    return resolver::CoreRoute{r->prefix, r->metric};
}

const std::vector<ldp::label::LspNextHop>* KernelCoreView::lsp(const Ipv4Prefix& fec) const {
    auto it = lsps_.find(fec);
    return it == lsps_.end() ? nullptr : &it->second;
}

std::optional<uint32_t> KernelCoreView::ipv6_interface(const Ipv6Address& a) const {
    std::optional<uint32_t> best;
    int best_len = -1;
    for (const auto& [key, addr] : view_.addresses()) {
        if (!addr.address.is_v6() || addr.prefix_length <= best_len) continue;
        if (!Ipv6Prefix::make(addr.address.v6(), addr.prefix_length).contains(a)) continue;
        const auto* link = view_.link(addr.ifindex);
        if (!link || !link->admin_up || !link->oper_up) continue;
        best = addr.ifindex;
        best_len = addr.prefix_length;
    }
    return best;
}

void KernelCoreView::apply(const std::vector<ldp::label::LspChange>& changes) {
    for (const auto& c : changes) {
        if (c.next_hops.empty()) lsps_.erase(c.fec);
        else lsps_[c.fec] = c.next_hops;
    }
}

}  // namespace isthmus::daemon
