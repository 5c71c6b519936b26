#include "next_hop.hpp"

#include <algorithm>

namespace isthmus::bgp {

namespace {

Ipv6Address v6_at(std::span<const uint8_t> b) {
    Ipv6Address::Bytes a{};
    std::copy(b.begin(), b.begin() + 16, a.begin());
    return Ipv6Address(a);
}

}  // namespace

std::string to_string(const NextHop& nh) {
    if (auto* v4 = std::get_if<Ipv4Address>(&nh)) return v4->to_string();
    if (auto* m = std::get_if<MappedNextHop>(&nh)) return Ipv6Address::v4_mapped(m->v4).to_string();
    auto& v6 = std::get<Ipv6NextHop>(nh);
    return v6.link_local ? v6.global.to_string() + " " + v6.link_local->to_string() : v6.global.to_string();
}

Result<NextHop, std::string> decode_next_hop(Family f, std::span<const uint8_t> bytes, const Context& ctx) {
    std::size_t n = bytes.size();
    bool v6_allowed = is_ipv6(f) || ctx.has_extended_next_hop(f);
    if (!is_ipv6(f) && n == 4) return NextHop{Ipv4Address(Ipv4Address::Bytes{bytes[0], bytes[1], bytes[2], bytes[3]})};
    if (!v6_allowed || (n != 16 && n != 32))
        return err("next hop length " + std::to_string(n) + " is not valid for AFI/SAFI " +
                   afi_safi_of(f).to_string());
    Ipv6Address global = v6_at(bytes);
    if (auto v4 = global.to_v4(); v4 && is_ipv6(f)) return NextHop{MappedNextHop{*v4}};
    Ipv6NextHop nh{global, std::nullopt};
    if (n == 32) nh.link_local = v6_at(bytes.subspan(16));
    return NextHop{nh};
}

bool encode_next_hop(Family f, const NextHop& nh, const Context& ctx, ByteWriter& w) {
    if (auto* v4 = std::get_if<Ipv4Address>(&nh)) {
        if (is_ipv6(f)) return false;
        w.u8(4);
        w.bytes(v4->bytes());
        return true;
    }
    if (!is_ipv6(f) && !ctx.has_extended_next_hop(f)) return false;
    if (auto* m = std::get_if<MappedNextHop>(&nh)) {
        w.u8(16);
        w.bytes(Ipv6Address::v4_mapped(m->v4).bytes());
        return true;
    }
    auto& v6 = std::get<Ipv6NextHop>(nh);
    w.u8(v6.link_local ? 32 : 16);
    w.bytes(v6.global.bytes());
    if (v6.link_local) w.bytes(v6.link_local->bytes());
    return true;
}

}  // namespace isthmus::bgp
