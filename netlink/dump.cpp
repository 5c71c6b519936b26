#include "dump.hpp"

#include <linux/lwtunnel.h>
#include <linux/mpls_iptunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "netlink/attributes.hpp"
#include "netlink/message_builder.hpp"

namespace isthmus::netlink {

namespace {

template <class Header>
Result<Header, std::string> family_header(std::span<const uint8_t> msg) {
    auto h = message_header(msg);
    if (!h) return err(h.error());
    if ((*h)->nlmsg_len < NLMSG_HDRLEN + sizeof(Header)) return err(std::string("message too short"));
    Header out;
    std::memcpy(&out, msg.data() + NLMSG_HDRLEN, sizeof out);
    return out;
}

Result<IpAddress, std::string> decode_via(std::span<const uint8_t> b) {
    if (b.size() < 2) return err(std::string("RTA_VIA too short"));
    uint16_t family;
    std::memcpy(&family, b.data(), 2);
    if (family == AF_INET) {
        auto a = decode_ipv4(b.subspan(2));
        if (!a) return err("RTA_VIA: " + a.error());
        return IpAddress(*a);
    }
    if (family == AF_INET6) {
        auto a = decode_ipv6(b.subspan(2));
        if (!a) return err("RTA_VIA: " + a.error());
        return IpAddress(*a);
    }
    return err("RTA_VIA of address family " + std::to_string(family));
}

Result<MplsPath, std::string> decode_mpls_path(const Attrs& a, uint32_t ifindex) {
    MplsPath p;
    p.ifindex = ifindex;
    if (a.has(RTA_VIA)) {
        auto via = decode_via(a.bytes(RTA_VIA));
        if (!via) return err(via.error());
        p.via = *via;
    }
    if (a.has(RTA_NEWDST)) {
        auto labels = decode_label_stack(a.bytes(RTA_NEWDST));
        if (!labels) return err("RTA_NEWDST: " + labels.error());
        p.out_labels = *labels;
    }
    return p;
}

}  // namespace

Result<MessageKind, std::string> peek(std::span<const uint8_t> msg) {
    auto h = message_header(msg);
    if (!h) return err(h.error());
    MessageKind k;
    k.type = (*h)->nlmsg_type;
    switch (k.type) {
        case RTM_NEWNEXTHOP:
        case RTM_DELNEXTHOP:
        case RTM_GETNEXTHOP: {
            auto nh = family_header<nhmsg>(msg);
            if (!nh) return err(nh.error());
            k.family = nh->nh_family;
            k.protocol = nh->nh_protocol;
            return k;
        }
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
        case RTM_GETROUTE: {
            auto rt = family_header<rtmsg>(msg);
            if (!rt) return err(rt.error());
            k.family = rt->rtm_family;
            k.protocol = rt->rtm_protocol;
            return k;
        }
        default: return k;
    }
}

Result<Decoded<NexthopEntry>, std::string> decode_nexthop(std::span<const uint8_t> msg) {
    auto h = family_header<nhmsg>(msg);
    if (!h) return err("nexthop: " + h.error());
    auto a = Attrs::of_message(msg, sizeof(nhmsg));
    if (!a) return err("nexthop: " + a.error());
    auto id = a->u32(NHA_ID);
    if (!id) return err(std::string("nexthop without NHA_ID"));
    std::string where = "nexthop " + std::to_string(*id) + ": ";

    if (a->has(NHA_GROUP)) {
        auto b = a->bytes(NHA_GROUP);
        if (b.size() % sizeof(nexthop_grp) != 0) return err(where + "NHA_GROUP of " + std::to_string(b.size()) + " bytes");
        NexthopGroup g{NexthopId{*id}, {}};
        for (std::size_t i = 0; i < b.size(); i += sizeof(nexthop_grp)) {
            nexthop_grp e;
            std::memcpy(&e, b.data() + i, sizeof e);
            g.members.push_back({NexthopId{e.id}, uint16_t(e.weight + 1)});
        }
        return Decoded<NexthopEntry>{g, h->nh_protocol};
    }
    if (a->has(NHA_BLACKHOLE)) return err(where + "a blackhole");
    if (h->nh_family != AF_INET6 && h->nh_family != AF_UNSPEC)
        return err(where + "address family " + std::to_string(h->nh_family) + ", not AF_INET6");

    NexthopObject nh;
    nh.id = NexthopId{*id};
    nh.ifindex = a->u32(NHA_OIF).value_or(0);
    nh.onlink = (h->nh_flags & RTNH_F_ONLINK) != 0;
    if (a->has(NHA_GATEWAY)) {
        auto gw = decode_ipv6(a->bytes(NHA_GATEWAY));
        if (!gw) return err(where + "NHA_GATEWAY: " + gw.error());
        nh.gateway = *gw;
    }
    if (a->has(NHA_ENCAP)) {
        auto type = a->u16(NHA_ENCAP_TYPE);
        if (type != LWTUNNEL_ENCAP_MPLS)
            return err(where + "encap type " + std::to_string(type.value_or(0)) + ", not MPLS");
        auto encap = a->bytes(NHA_ENCAP);
        auto inner = Attrs::of_payload(encap.data(), encap.size());
        if (!inner) return err(where + "NHA_ENCAP: " + inner.error());
        auto labels = decode_label_stack(inner->bytes(MPLS_IPTUNNEL_DST));
        if (!labels) return err(where + "MPLS_IPTUNNEL_DST: " + labels.error());
        nh.labels = *labels;
    }
    return Decoded<NexthopEntry>{nh, h->nh_protocol};
}

Result<Decoded<Ipv6Route>, std::string> decode_route6(std::span<const uint8_t> msg) {
    auto h = family_header<rtmsg>(msg);
    if (!h) return err("route: " + h.error());
    if (h->rtm_family != AF_INET6) return err("route of family " + std::to_string(h->rtm_family) + ", not AF_INET6");
    if (h->rtm_dst_len > 128) return err("route with prefix length " + std::to_string(h->rtm_dst_len));
    auto a = Attrs::of_message(msg, sizeof(rtmsg));
    if (!a) return err("route: " + a.error());
    Ipv6Address dst;
    if (a->has(RTA_DST)) {
        auto d = decode_ipv6(a->bytes(RTA_DST));
        if (!d) return err("route RTA_DST: " + d.error());
        dst = *d;
    }
    Ipv6Route r;
    r.prefix = Ipv6Prefix::make(dst, h->rtm_dst_len);
    r.nhid = NexthopId{a->u32(RTA_NH_ID).value_or(0)};
    r.metric = a->u32(RTA_PRIORITY).value_or(0);
    r.table = a->u32(RTA_TABLE).value_or(h->rtm_table);
    return Decoded<Ipv6Route>{r, h->rtm_protocol};
}

Result<Decoded<MplsRoute>, std::string> decode_mpls_route(std::span<const uint8_t> msg) {
    auto h = family_header<rtmsg>(msg);
    if (!h) return err("mpls route: " + h.error());
    if (h->rtm_family != AF_MPLS) return err("route of family " + std::to_string(h->rtm_family) + ", not AF_MPLS");
    auto a = Attrs::of_message(msg, sizeof(rtmsg));
    if (!a) return err("mpls route: " + a.error());
    auto in = decode_label_stack(a->bytes(RTA_DST));
    if (!in || in->size() != 1) return err(std::string("mpls route without a single incoming label"));
    MplsRoute r;
    r.in_label = in->top();
    std::string where = "mpls route " + std::to_string(r.in_label.value()) + ": ";

    if (a->has(RTA_MULTIPATH)) {
        auto walked = for_each_rtnexthop(a->bytes(RTA_MULTIPATH), [&](const rtnexthop& nh, const Attrs& pa) {
            auto p = decode_mpls_path(pa, uint32_t(nh.rtnh_ifindex));
            if (!p) return Status<std::string>(err(p.error()));
            r.paths.push_back(*p);
            return Status<std::string>(ok_unit);
        });
        if (!walked) return err(where + walked.error());
    } else if (a->has(RTA_OIF) || a->has(RTA_VIA)) {
        auto p = decode_mpls_path(*a, a->u32(RTA_OIF).value_or(0));
        if (!p) return err(where + p.error());
        r.paths.push_back(*p);
    }
    return Decoded<MplsRoute>{r, h->rtm_protocol};
}

std::vector<uint8_t> dump_request(DumpKind kind) {
    std::vector<uint8_t> out;
    if (kind == DumpKind::nexthops) {
        MessageBuilder m(out, RTM_GETNEXTHOP, NLM_F_DUMP);
        m.header(nhmsg{});
        m.finish();
    } else {
        MessageBuilder m(out, RTM_GETROUTE, NLM_F_DUMP);
        rtmsg h{};
        h.rtm_family = kind == DumpKind::routes6 ? AF_INET6 : AF_MPLS;
        m.header(h);
        m.finish();
    }
    return out;
}

}  // namespace isthmus::netlink
