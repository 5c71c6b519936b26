#include "negotiate.hpp"

#include <algorithm>

namespace isthmus::bgp {

namespace {

std::vector<AfiSafi> multiprotocol(const Open& o) {
    std::vector<AfiSafi> out;
    for (auto& c : o.capabilities)
        if (auto* mp = std::get_if<MultiprotocolCapability>(&c)) out.push_back(mp->afi_safi);
    if (out.empty()) out.push_back(afi_safi_of(Family::Ipv4Unicast));  // RFC 4760 8
    return out;
}

// The add-path direction bits a side announced for a family (1 receive, 2 send).
uint8_t add_path_bits(const Open& o, Family f) {
    uint8_t bits = 0;
    for (auto& c : o.capabilities)
        if (auto* ap = std::get_if<AddPathCapability>(&c))
            for (auto& e : ap->entries)
                if (e.afi_safi == afi_safi_of(f)) bits |= e.direction & 3;
    return bits;
}

bool announces_v6_next_hop(const Open& o, Family f) {
    AfiSafi as = afi_safi_of(f);
    for (auto& c : o.capabilities)
        if (auto* enh = std::get_if<ExtendedNextHopCapability>(&c))
            for (auto& e : enh->entries)
                if (e.nlri_afi == as.afi && e.nlri_safi == as.safi && e.next_hop_afi == kAfiIpv6) return true;
    return false;
}

}  // namespace

Negotiated negotiate(const Open& local, const Open& remote) {
    Negotiated n;
    bool four = local.find<FourOctetAsCapability>() && remote.find<FourOctetAsCapability>();
    bool ext = local.find<ExtendedMessageCapability>() && remote.find<ExtendedMessageCapability>();
    n.receive.four_octet_as = n.send.four_octet_as = four;
    n.receive.extended_message = n.send.extended_message = ext;
    auto ours = multiprotocol(local);
    auto theirs = multiprotocol(remote);
    for (std::size_t i = 0; i < kFamilyCount; ++i) {
        auto f = Family(i);
        AfiSafi as = afi_safi_of(f);
        bool both = std::find(ours.begin(), ours.end(), as) != ours.end() &&
                    std::find(theirs.begin(), theirs.end(), as) != theirs.end();
        if (both) n.families.push_back(f);
        uint8_t l = add_path_bits(local, f), r = add_path_bits(remote, f);
        n.receive.add_path[i] = (l & AddPathCapability::Receive) && (r & AddPathCapability::Send);
        n.send.add_path[i] = (l & AddPathCapability::Send) && (r & AddPathCapability::Receive);
        if (!is_ipv6(f)) {
            n.receive.extended_next_hop[i] = announces_v6_next_hop(local, f);
            n.send.extended_next_hop[i] = announces_v6_next_hop(remote, f);
        }
    }
    n.route_refresh = remote.find<RouteRefreshCapability>() != nullptr;
    n.enhanced_route_refresh =
        local.find<EnhancedRouteRefreshCapability>() && remote.find<EnhancedRouteRefreshCapability>();
    return n;
}

}  // namespace isthmus::bgp
