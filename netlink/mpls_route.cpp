#include "mpls_route.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "netlink/attributes.hpp"
#include "netlink/message_builder.hpp"

namespace isthmus::netlink {

MplsRoute MplsRoute::swap(MplsLabel in, LabelStack out, Ipv4Address via, uint32_t ifindex) {
    return {in, {MplsPath{IpAddress(via), ifindex, out}}};
}
MplsRoute MplsRoute::pop(MplsLabel in, Ipv4Address via, uint32_t ifindex) {
    return {in, {MplsPath{IpAddress(via), ifindex, {}}}};
}
MplsRoute MplsRoute::pop_to_ipv6(MplsLabel in, Ipv6Address ce, uint32_t ifindex) {
    return {in, {MplsPath{IpAddress(ce), ifindex, {}}}};
}
MplsRoute MplsRoute::pop_and_lookup(MplsLabel in, uint32_t loopback_ifindex) {
    return {in, {MplsPath{std::nullopt, loopback_ifindex, {}}}};
}

namespace {

std::string path_text(const MplsPath& p) {
    std::string s;
    if (!p.out_labels.empty()) s += "as " + p.out_labels.to_string() + " ";
    if (p.via) s += std::string("via ") + (p.via->is_v4() ? "inet " : "inet6 ") + p.via->to_string() + " ";
    return s + "dev " + interface_text(p.ifindex);
}

// RTA_VIA: a struct rtvia, an address family followed by the address.
void put_path_attrs(MessageBuilder& m, const MplsPath& p) {
    if (!p.out_labels.empty()) m.attr_bytes(RTA_NEWDST, encode_label_stack(p.out_labels));
    if (p.via) {
        uint8_t via[2 + 16] = {};
        uint16_t family = p.via->is_v4() ? AF_INET : AF_INET6;
        std::memcpy(via, &family, 2);
        std::size_t len = 2;
        if (p.via->is_v4()) {
            std::memcpy(via + 2, p.via->v4().bytes().data(), 4);
            len += 4;
        } else {
            std::memcpy(via + 2, p.via->v6().bytes().data(), 16);
            len += 16;
        }
        m.attr(RTA_VIA, via, len);
    }
}

}  // namespace

std::string to_string(const MplsRoute& r) {
    std::string s = std::to_string(r.in_label.value());
    if (r.paths.size() == 1) return s + " " + path_text(r.paths[0]);
    for (auto& p : r.paths) s += " nexthop " + path_text(p);
    return s;
}

void append_request(std::vector<uint8_t>& out, Op op, const MplsRoute& r, uint8_t protocol) {
    MessageBuilder m(out, op == Op::remove ? RTM_DELROUTE : RTM_NEWROUTE, request_flags(op));
    rtmsg h{};
    h.rtm_family = AF_MPLS;
    h.rtm_dst_len = 20;  // one label
    h.rtm_table = RT_TABLE_MAIN;  // the only table MPLS has
    h.rtm_protocol = protocol;
    h.rtm_scope = RT_SCOPE_UNIVERSE;
    h.rtm_type = RTN_UNICAST;
    m.header(h);
    m.attr_bytes(RTA_DST, encode_label_stack(LabelStack{r.in_label}));
    if (op != Op::remove) {
        if (r.paths.size() == 1) {
            put_path_attrs(m, r.paths[0]);
            m.attr_u32(RTA_OIF, r.paths[0].ifindex);
        } else {
            auto mp = m.begin_nest(RTA_MULTIPATH, false);  // a plain array of rtnexthop, not a nest
            for (auto& p : r.paths) {
                rtnexthop nh{};
                nh.rtnh_ifindex = int(p.ifindex);
                auto entry = m.begin_sized(&nh, sizeof nh);
                put_path_attrs(m, p);
                m.end_sized(entry);
            }
            m.end_nest(mp);
        }
    }
    m.finish();
}

}  // namespace isthmus::netlink
