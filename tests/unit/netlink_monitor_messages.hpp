#pragma once
// Kernel messages for the monitor tests, built field by field the way the kernel lays them out
// (links, addresses, routes with single paths or RTA_MULTIPATH, neighbours, nexthop objects).
// One multipath route is also written out as hex in the decode tests, so the builder itself is checked.
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/lwtunnel.h>
#include <linux/mpls_iptunnel.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"
#include "netlink/attributes.hpp"
#include "netlink/message_builder.hpp"

namespace isthmus::netlink::test {

using Msg = std::vector<uint8_t>;

inline void set_header(Msg& m, uint32_t seq, uint16_t extra_flags, bool clear_request = true) {
    auto* h = reinterpret_cast<nlmsghdr*>(m.data());
    h->nlmsg_seq = seq;
    if (clear_request) h->nlmsg_flags &= uint16_t(~NLM_F_REQUEST);  // the kernel's messages are not requests
    h->nlmsg_flags |= extra_flags;
}

inline Msg link_msg(bool removed, uint32_t ifindex, const std::string& name, unsigned flags, uint32_t mtu,
                    uint8_t family = AF_UNSPEC) {
    Msg out;
    MessageBuilder m(out, removed ? RTM_DELLINK : RTM_NEWLINK, 0);
    ifinfomsg h{};
    h.ifi_family = family;
    h.ifi_index = int(ifindex);
    h.ifi_flags = flags;
    m.header(h);
    m.attr(IFLA_IFNAME, name.c_str(), name.size() + 1);
    m.attr_u32(IFLA_MTU, mtu);
    m.finish();
    set_header(out, 0, 0);
    return out;
}
constexpr unsigned kUp = IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
constexpr unsigned kNoCarrier = IFF_UP;  // admin up, no carrier
constexpr unsigned kDown = 0;

inline void put_address(MessageBuilder& m, uint16_t type, const IpAddress& a) {
    if (a.is_v4()) m.attr(type, a.v4().bytes().data(), 4);
    else m.attr(type, a.v6().bytes().data(), 16);
}

inline Msg address_msg(bool removed, uint32_t ifindex, const IpAddress& a, uint8_t len) {
    Msg out;
    MessageBuilder m(out, removed ? RTM_DELADDR : RTM_NEWADDR, 0);
    ifaddrmsg h{};
    h.ifa_family = a.is_v4() ? AF_INET : AF_INET6;
    h.ifa_prefixlen = len;
    h.ifa_index = ifindex;
    m.header(h);
    put_address(m, IFA_ADDRESS, a);
    if (a.is_v4()) put_address(m, IFA_LOCAL, a);
    m.finish();
    set_header(out, 0, 0);
    return out;
}

struct PathSpec {
    std::optional<IpAddress> gateway;
    uint32_t ifindex = 0;
    uint8_t hops = 0;  // weight - 1
    LabelStack labels;
};

inline void put_encap(MessageBuilder& m, const LabelStack& labels) {
    if (labels.empty()) return;
    m.attr_u16(RTA_ENCAP_TYPE, LWTUNNEL_ENCAP_MPLS);
    auto nest = m.begin_nest(RTA_ENCAP, false);
    m.attr_bytes(MPLS_IPTUNNEL_DST, encode_label_stack(labels));
    m.end_nest(nest);
}

struct RouteSpec {
    bool removed = false;
    bool v6 = false;
    IpAddress dst = Ipv4Address();
    uint8_t len = 0;
    uint32_t table = RT_TABLE_MAIN;
    uint8_t protocol = RTPROT_STATIC;
    uint8_t type = RTN_UNICAST;
    std::optional<uint32_t> metric;
    std::optional<uint32_t> nhid;
    std::vector<PathSpec> paths;  // one: RTA_GATEWAY/RTA_OIF; several: RTA_MULTIPATH
    uint16_t extra_flags = 0;
    uint32_t seq = 0;
    unsigned rtm_flags = 0;
};

inline Msg route_msg(const RouteSpec& s) {
    Msg out;
    MessageBuilder m(out, s.removed ? RTM_DELROUTE : RTM_NEWROUTE, 0);
    rtmsg h{};
    h.rtm_family = s.v6 ? AF_INET6 : AF_INET;
    h.rtm_dst_len = s.len;
    h.rtm_table = uint8_t(s.table < 256 ? s.table : RT_TABLE_UNSPEC);
    h.rtm_protocol = s.protocol;
    h.rtm_scope = RT_SCOPE_UNIVERSE;
    h.rtm_type = s.type;
    h.rtm_flags = s.rtm_flags;
    m.header(h);
    m.attr_u32(RTA_TABLE, s.table);
    if (s.len) put_address(m, RTA_DST, s.dst);
    if (s.metric) m.attr_u32(RTA_PRIORITY, *s.metric);
    if (s.nhid) m.attr_u32(RTA_NH_ID, *s.nhid);
    if (s.paths.size() == 1) {
        if (s.paths[0].gateway) put_address(m, RTA_GATEWAY, *s.paths[0].gateway);
        m.attr_u32(RTA_OIF, s.paths[0].ifindex);
        put_encap(m, s.paths[0].labels);
    } else if (s.paths.size() > 1) {
        auto nest = m.begin_nest(RTA_MULTIPATH, false);
        for (const auto& p : s.paths) {
            rtnexthop nh{};
            nh.rtnh_hops = p.hops;
            nh.rtnh_ifindex = int(p.ifindex);
            auto t = m.begin_sized(&nh, sizeof nh);
            if (p.gateway) put_address(m, RTA_GATEWAY, *p.gateway);
            put_encap(m, p.labels);
            m.end_sized(t);
        }
        m.end_nest(nest);
    }
    m.finish();
    set_header(out, s.seq, s.extra_flags);
    return out;
}

inline Msg neighbour_msg(bool removed, uint32_t ifindex, Ipv4Address a, uint16_t state,
                         std::optional<std::array<uint8_t, 6>> mac) {
    Msg out;
    MessageBuilder m(out, removed ? RTM_DELNEIGH : RTM_NEWNEIGH, 0);
    ndmsg h{};
    h.ndm_family = AF_INET;
    h.ndm_ifindex = int(ifindex);
    h.ndm_state = state;
    m.header(h);
    m.attr(NDA_DST, a.bytes().data(), 4);
    if (mac) m.attr(NDA_LLADDR, mac->data(), 6);
    m.finish();
    set_header(out, 0, 0);
    return out;
}

struct NexthopSpec {
    bool removed = false;
    uint32_t id = 0;
    uint8_t family = AF_INET6;
    uint8_t protocol = 205;
    std::optional<IpAddress> gateway{};
    uint32_t ifindex = 0;
    bool onlink = false;
    LabelStack labels{};
    std::vector<std::pair<uint32_t, uint8_t>> group{};  // id, weight - 1
};

inline Msg nexthop_msg(const NexthopSpec& s) {
    Msg out;
    MessageBuilder m(out, s.removed ? RTM_DELNEXTHOP : RTM_NEWNEXTHOP, 0);
    nhmsg h{};
    h.nh_family = s.group.empty() ? s.family : AF_UNSPEC;
    h.nh_protocol = s.protocol;
    h.nh_flags = s.onlink ? RTNH_F_ONLINK : 0;
    m.header(h);
    m.attr_u32(NHA_ID, s.id);
    if (!s.group.empty()) {
        std::vector<nexthop_grp> g;
        for (auto [id, w] : s.group) {
            nexthop_grp e{};
            e.id = id;
            e.weight = w;
            g.push_back(e);
        }
        m.attr(NHA_GROUP, g.data(), g.size() * sizeof(nexthop_grp));
    } else {
        m.attr_u32(NHA_OIF, s.ifindex);
        if (s.gateway) put_address(m, NHA_GATEWAY, *s.gateway);
        if (!s.labels.empty()) {
            m.attr_u16(NHA_ENCAP_TYPE, LWTUNNEL_ENCAP_MPLS);
            auto nest = m.begin_nest(NHA_ENCAP);
            m.attr_bytes(MPLS_IPTUNNEL_DST, encode_label_stack(s.labels));
            m.end_nest(nest);
        }
    }
    m.finish();
    set_header(out, 0, 0);
    return out;
}

inline Ipv4Address v4(const char* t) { return *Ipv4Address::parse(t); }
inline Ipv6Address v6(const char* t) { return *Ipv6Address::parse(t); }
inline Ipv4Prefix p4(const char* t) { return *Ipv4Prefix::parse(t); }
inline Ipv6Prefix p6(const char* t) { return *Ipv6Prefix::parse(t); }
inline MplsLabel label(uint32_t v) { return *MplsLabel::from_value(v); }

}  // namespace isthmus::netlink::test
