#include "bgp/rib/import.hpp"

#include <algorithm>

namespace isthmus::bgp::rib {

LoopCheck check_loops(const PathAttributes& a, const RibConfig& cfg) {
    if (a.as_path)
        for (const auto& seg : a.as_path->segments)
            if (std::find(seg.asns.begin(), seg.asns.end(), cfg.local_as) != seg.asns.end()) return LoopCheck::as_path;
    if (a.originator_id && *a.originator_id == cfg.router_id) return LoopCheck::originator_id;
    if (std::find(a.cluster_list.begin(), a.cluster_list.end(), cfg.cluster_id) != a.cluster_list.end())
        return LoopCheck::cluster_list;
    return LoopCheck::ok;
}

namespace {

bool bad_v4(const Ipv4Address& v4) {
    uint32_t x = v4.to_uint();
    return x == 0 || (x >> 28) == 0xE || (x >> 24) == 127 || x == 0xFFFFFFFF;
}

bool bad_v6(const Ipv6Address& a) {
    static const Ipv6Address loopback = *Ipv6Address::parse("::1");
    return a.is_unspecified() || a.bytes()[0] == 0xff || a.is_link_local() || a.is_v4_mapped() || a == loopback;
}

}  // namespace

Result<PathNextHop, std::string> validate_next_hop(Family f, const NextHop& nh, const PeerFacts& peer,
                                                   const RibConfig& cfg) {
    PathNextHop out;
    if (f == Family::Ipv6Labeled) {
        const auto* m = std::get_if<MappedNextHop>(&nh);
        if (!m) return err("not 6PE: labeled IPv6 with next hop " + to_string(nh) + " (not ::ffff:a.b.c.d)");
        if (bad_v4(m->v4)) return err("6PE next hop " + to_string(nh) + " is not a unicast address");
        if (m->v4 == cfg.router_id.to_address() || (peer.local_ipv4 && m->v4 == *peer.local_ipv4))
            return err("6PE next hop " + to_string(nh) + " is this router");
        out.mapped = m->v4;
        return out;
    }
    if (f == Family::Ipv6Unicast) {
        const auto* v6 = std::get_if<Ipv6NextHop>(&nh);
        if (!v6) return err("IPv6 unicast with next hop " + to_string(nh) + " (RFC 8950/4798 forms are not taken here)");
        if (bad_v6(v6->global)) return err("IPv6 next hop " + v6->global.to_string() + " is not a global unicast address");
        if (peer.local_ipv6 && v6->global == *peer.local_ipv6)
            return err("IPv6 next hop " + v6->global.to_string() + " is this router");
        out.ipv6 = v6->global;
        out.link_local = v6->link_local;
        return out;
    }
    return err("family " + afi_safi_of(f).to_string() + " is not handled by this speaker");
}

void strip_ebgp_only_attributes(PathAttributes& a) {
    a.local_pref.reset();
    a.originator_id.reset();
    a.cluster_list.clear();
}

}  // namespace isthmus::bgp::rib
