#include "monitor_decode.hpp"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/lwtunnel.h>
#include <linux/mpls_iptunnel.h>
#include <linux/neighbour.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "netlink/attributes.hpp"
#include "netlink/dump.hpp"
#include "netlink/message_builder.hpp"

namespace isthmus::netlink {

namespace {

template <class Header>
Result<Header, std::string> family_header(std::span<const uint8_t> msg, const char* what) {
    auto h = message_header(msg);
    if (!h) return err(std::string(what) + ": " + h.error());
    if ((*h)->nlmsg_len < NLMSG_HDRLEN + sizeof(Header)) return err(std::string(what) + ": message too short");
    Header out;
    std::memcpy(&out, msg.data() + NLMSG_HDRLEN, sizeof out);
    return out;
}

Result<IpAddress, std::string> decode_address_bytes(std::span<const uint8_t> b) {
    if (b.size() == 4) return IpAddress(*decode_ipv4(b));
    if (b.size() == 16) return IpAddress(*decode_ipv6(b));
    return err("address of " + std::to_string(b.size()) + " bytes");
}

// RTA_VIA: address family (u16) then the address.
Result<IpAddress, std::string> decode_via(std::span<const uint8_t> b) {
    if (b.size() < 2) return err(std::string("RTA_VIA too short"));
    return decode_address_bytes(b.subspan(2));
}

Result<LabelStack, std::string> decode_encap(const Attrs& a, uint16_t type_attr, uint16_t encap_attr) {
    if (!a.has(encap_attr)) return LabelStack{};
    if (a.u16(type_attr) != LWTUNNEL_ENCAP_MPLS) return LabelStack{};  // other encaps: not ours to read
    auto encap = a.bytes(encap_attr);
    auto inner = Attrs::of_payload(encap.data(), encap.size());
    if (!inner) return err("encap: " + inner.error());
    auto labels = decode_label_stack(inner->bytes(MPLS_IPTUNNEL_DST));
    if (!labels) return err("encap labels: " + labels.error());
    return *labels;
}

// A path's attributes (the route's own, or one rtnexthop's).
Status<std::string> decode_path(const Attrs& a, RouteNexthop& p) {
    if (a.has(RTA_GATEWAY)) {
        auto gw = decode_address_bytes(a.bytes(RTA_GATEWAY));
        if (!gw) return err("RTA_GATEWAY: " + gw.error());
        p.gateway = *gw;
    } else if (a.has(RTA_VIA)) {
        auto via = decode_via(a.bytes(RTA_VIA));
        if (!via) return err(via.error());
        p.gateway = *via;
    }
    auto labels = decode_encap(a, RTA_ENCAP_TYPE, RTA_ENCAP);
    if (!labels) return err(labels.error());
    p.labels = *labels;
    return ok_unit;
}

template <class Prefix>
Result<std::optional<RouteInfo<Prefix>>, std::string> decode_route(std::span<const uint8_t> msg, uint8_t family) {
    auto h = family_header<rtmsg>(msg, "route");
    if (!h) return err(h.error());
    if (h->rtm_family != family) return std::optional<RouteInfo<Prefix>>();
    if (h->rtm_flags & RTM_F_CLONED) return std::optional<RouteInfo<Prefix>>();  // a cache entry, not a route
    using Addr = std::remove_cvref_t<decltype(Prefix().address())>;
    if (h->rtm_dst_len > Addr::kBits) return err("route with prefix length " + std::to_string(h->rtm_dst_len));
    auto a = Attrs::of_message(msg, sizeof(rtmsg));
    if (!a) return err("route: " + a.error());
    Addr dst;
    if (a->has(RTA_DST)) {
        auto b = a->bytes(RTA_DST);
        if (b.size() != dst.bytes().size()) return err("route RTA_DST of " + std::to_string(b.size()) + " bytes");
        std::memcpy(dst.bytes().data(), b.data(), b.size());
    }
    RouteInfo<Prefix> r;
    r.prefix = Prefix::make(dst, h->rtm_dst_len);
    std::string where = "route " + r.prefix.to_string() + ": ";
    r.table = a->u32(RTA_TABLE).value_or(h->rtm_table);
    r.protocol = h->rtm_protocol;
    r.metric = a->u32(RTA_PRIORITY).value_or(0);
    r.type = RouteType(h->rtm_type);
    r.nhid = NexthopId{a->u32(RTA_NH_ID).value_or(0)};

    if (a->has(RTA_MULTIPATH)) {
        auto walked = for_each_rtnexthop(a->bytes(RTA_MULTIPATH), [&](const rtnexthop& nh, const Attrs& pa) {
            RouteNexthop p;
            p.ifindex = uint32_t(nh.rtnh_ifindex);
            p.weight = uint16_t(nh.rtnh_hops + 1);
            p.onlink = (nh.rtnh_flags & RTNH_F_ONLINK) != 0;
            if (auto s = decode_path(pa, p); !s) return s;
            r.nexthops.push_back(std::move(p));
            return Status<std::string>(ok_unit);
        });
        if (!walked) return err(where + walked.error());
    } else if (a->has(RTA_OIF) || a->has(RTA_GATEWAY) || a->has(RTA_VIA)) {
        RouteNexthop p;
        p.ifindex = a->u32(RTA_OIF).value_or(0);
        p.onlink = (h->rtm_flags & RTNH_F_ONLINK) != 0;
        if (auto s = decode_path(*a, p); !s) return err(where + s.error());
        r.nexthops.push_back(std::move(p));
    }
    return std::optional<RouteInfo<Prefix>>(std::move(r));
}

}  // namespace

std::optional<MonitorMessage> classify(std::span<const uint8_t> msg) {
    auto h = message_header(msg);
    if (!h) return std::nullopt;
    MonitorMessage m;
    switch ((*h)->nlmsg_type) {
        case RTM_NEWLINK: m.table = Table::links; break;
        case RTM_DELLINK: m.table = Table::links; m.removed = true; break;
        case RTM_NEWADDR: m.table = Table::addresses; break;
        case RTM_DELADDR: m.table = Table::addresses; m.removed = true; break;
        case RTM_NEWNEIGH: m.table = Table::neighbours; break;
        case RTM_DELNEIGH: m.table = Table::neighbours; m.removed = true; break;
        case RTM_NEWNEXTHOP: m.table = Table::nexthops; break;
        case RTM_DELNEXTHOP: m.table = Table::nexthops; m.removed = true; break;
        case RTM_NEWROUTE:
        case RTM_DELROUTE: {
            auto f = route_family(msg);
            if (f == AF_INET) m.table = Table::ipv4_routes;
            else if (f == AF_INET6) m.table = Table::ipv6_routes;
            else if (f == AF_MPLS) m.table = Table::label_routes;
            else return std::nullopt;
            m.removed = (*h)->nlmsg_type == RTM_DELROUTE;
            m.append = !m.removed && ((*h)->nlmsg_flags & NLM_F_APPEND) && f == AF_INET6;
            break;
        }
        default: return std::nullopt;
    }
    return m;
}

uint8_t route_family(std::span<const uint8_t> msg) {
    if (msg.size() < NLMSG_HDRLEN + sizeof(rtmsg)) return 0;
    return msg[NLMSG_HDRLEN];  // rtm_family comes first
}

Result<std::optional<Link>, std::string> decode_link(std::span<const uint8_t> msg) {
    auto h = family_header<ifinfomsg>(msg, "link");
    if (!h) return err(h.error());
    // IPv6 announces its per-link settings as RTM_NEWLINK of family AF_INET6: not a link change.
    if (h->ifi_family != AF_UNSPEC) return std::optional<Link>();
    auto a = Attrs::of_message(msg, sizeof(ifinfomsg));
    if (!a) return err("link " + std::to_string(h->ifi_index) + ": " + a.error());
    Link l;
    l.ifindex = uint32_t(h->ifi_index);
    auto name = a->bytes(IFLA_IFNAME);
    l.name.assign(reinterpret_cast<const char*>(name.data()), strnlen(reinterpret_cast<const char*>(name.data()), name.size()));
    l.admin_up = (h->ifi_flags & IFF_UP) != 0;
    l.oper_up = l.admin_up && (h->ifi_flags & IFF_RUNNING) && (h->ifi_flags & IFF_LOWER_UP);
    l.mtu = a->u32(IFLA_MTU).value_or(0);
    return std::optional<Link>(std::move(l));
}

Result<std::optional<Address>, std::string> decode_address(std::span<const uint8_t> msg) {
    auto h = family_header<ifaddrmsg>(msg, "address");
    if (!h) return err(h.error());
    if (h->ifa_family != AF_INET && h->ifa_family != AF_INET6) return std::optional<Address>();
    auto a = Attrs::of_message(msg, sizeof(ifaddrmsg));
    if (!a) return err("address on ifindex " + std::to_string(h->ifa_index) + ": " + a.error());
    // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer's on point-to-point links
    // (and the only one IPv6 usually sends).
    auto b = a->has(IFA_LOCAL) ? a->bytes(IFA_LOCAL) : a->bytes(IFA_ADDRESS);
    auto addr = decode_address_bytes(b);
    if (!addr) return err("address on ifindex " + std::to_string(h->ifa_index) + ": " + addr.error());
    if (addr->is_v4() != (h->ifa_family == AF_INET)) return err(std::string("address of the wrong family"));
    if (h->ifa_prefixlen > (addr->is_v4() ? 32 : 128)) return err("address prefix length " + std::to_string(h->ifa_prefixlen));
    return std::optional<Address>(Address{h->ifa_index, *addr, h->ifa_prefixlen});
}

Result<std::optional<Ipv4RouteInfo>, std::string> decode_route4_info(std::span<const uint8_t> msg) {
    return decode_route<Ipv4Prefix>(msg, AF_INET);
}

Result<std::optional<Ipv6RouteInfo>, std::string> decode_route6_info(std::span<const uint8_t> msg) {
    return decode_route<Ipv6Prefix>(msg, AF_INET6);
}

Result<std::optional<Neighbour>, std::string> decode_neighbour(std::span<const uint8_t> msg) {
    auto h = family_header<ndmsg>(msg, "neighbour");
    if (!h) return err(h.error());
    if (h->ndm_family != AF_INET) return std::optional<Neighbour>();
    auto a = Attrs::of_message(msg, sizeof(ndmsg));
    if (!a) return err("neighbour: " + a.error());
    auto dst = decode_ipv4(a->bytes(NDA_DST));
    if (!dst) return err("neighbour NDA_DST: " + dst.error());
    Neighbour n;
    n.ifindex = uint32_t(h->ndm_ifindex);
    n.address = *dst;
    n.state = h->ndm_state;
    auto ll = a->bytes(NDA_LLADDR);
    if (ll.size() == 6) {
        std::array<uint8_t, 6> mac;
        std::memcpy(mac.data(), ll.data(), 6);
        n.mac = mac;
    }
    return std::optional<Neighbour>(n);
}

Result<NexthopInfo, std::string> decode_nexthop_info(std::span<const uint8_t> msg) {
    auto h = family_header<nhmsg>(msg, "nexthop");
    if (!h) return err(h.error());
    auto a = Attrs::of_message(msg, sizeof(nhmsg));
    if (!a) return err("nexthop: " + a.error());
    auto id = a->u32(NHA_ID);
    if (!id) return err(std::string("nexthop without NHA_ID"));
    std::string where = "nexthop " + std::to_string(*id) + ": ";
    NexthopInfo n;
    n.id = NexthopId{*id};
    n.protocol = h->nh_protocol;
    n.ipv6 = h->nh_family == AF_INET6;
    n.onlink = (h->nh_flags & RTNH_F_ONLINK) != 0;
    n.blackhole = a->has(NHA_BLACKHOLE);
    n.ifindex = a->u32(NHA_OIF).value_or(0);
    if (a->has(NHA_GROUP)) {
        auto b = a->bytes(NHA_GROUP);
        if (b.empty() || b.size() % sizeof(nexthop_grp) != 0)
            return err(where + "NHA_GROUP of " + std::to_string(b.size()) + " bytes");
        for (std::size_t i = 0; i < b.size(); i += sizeof(nexthop_grp)) {
            nexthop_grp e;
            std::memcpy(&e, b.data() + i, sizeof e);
            n.members.push_back({NexthopId{e.id}, uint16_t(e.weight + 1)});
        }
    }
    if (a->has(NHA_GATEWAY)) {
        auto gw = decode_address_bytes(a->bytes(NHA_GATEWAY));
        if (!gw) return err(where + "NHA_GATEWAY: " + gw.error());
        n.gateway = *gw;
    }
    auto labels = decode_encap(*a, NHA_ENCAP_TYPE, NHA_ENCAP);
    if (!labels) return err(where + labels.error());
    n.labels = *labels;
    return n;
}

Result<LabelRouteInfo, std::string> decode_label_route(std::span<const uint8_t> msg) {
    auto r = decode_mpls_route(msg);
    if (!r) return err(r.error());
    return LabelRouteInfo{std::move(r->value), r->protocol};
}

}  // namespace isthmus::netlink
