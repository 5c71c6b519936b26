#include "nexthop.hpp"

#include <linux/lwtunnel.h>
#include <linux/mpls_iptunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink/attributes.hpp"
#include "netlink/message_builder.hpp"

namespace isthmus::netlink {

NexthopObject NexthopObject::six_pe(NexthopId id, Ipv4Address core_nh, uint32_t ifindex, LabelStack labels) {
    return {id, Ipv6Address::v4_mapped(core_nh), ifindex, true, labels};
}

NexthopObject NexthopObject::ipv6(NexthopId id, Ipv6Address gateway, uint32_t ifindex) {
    return {id, gateway, ifindex, false, {}};
}

std::string to_string(const NexthopObject& nh) {
    std::string s = "id " + std::to_string(nh.id.value);
    if (!nh.labels.empty()) s += " encap mpls " + nh.labels.to_string();
    s += " via " + nh.gateway.to_string() + " dev " + interface_text(nh.ifindex);
    if (nh.onlink) s += " onlink";
    return s;
}

std::string to_string(const NexthopGroup& g) {
    std::string s = "id " + std::to_string(g.id.value) + " group ";
    for (std::size_t i = 0; i < g.members.size(); ++i) {
        if (i) s += '/';
        s += std::to_string(g.members[i].id.value);
        if (g.members[i].weight != 1) s += "," + std::to_string(g.members[i].weight);
    }
    return s;
}

namespace {

uint16_t request_type(Op op) { return op == Op::remove ? RTM_DELNEXTHOP : RTM_NEWNEXTHOP; }

}  // namespace

void append_request(std::vector<uint8_t>& out, Op op, const NexthopObject& nh, uint8_t protocol) {
    MessageBuilder m(out, request_type(op), request_flags(op));
    nhmsg h{};
    if (op != Op::remove) {
        h.nh_family = AF_INET6;
        h.nh_protocol = protocol;
        h.nh_flags = nh.onlink ? RTNH_F_ONLINK : 0;
    }
    m.header(h);
    m.attr_u32(NHA_ID, nh.id.value);
    if (op != Op::remove) {
        m.attr_u32(NHA_OIF, nh.ifindex);
        m.attr(NHA_GATEWAY, nh.gateway.bytes().data(), 16);
        if (!nh.labels.empty()) {
            m.attr_u16(NHA_ENCAP_TYPE, LWTUNNEL_ENCAP_MPLS);
            auto nest = m.begin_nest(NHA_ENCAP);
            m.attr_bytes(MPLS_IPTUNNEL_DST, encode_label_stack(nh.labels));
            m.end_nest(nest);
        }
    }
    m.finish();
}

void append_request(std::vector<uint8_t>& out, Op op, const NexthopGroup& g, uint8_t protocol) {
    MessageBuilder m(out, request_type(op), request_flags(op));
    nhmsg h{};  // groups are AF_UNSPEC; their members carry the family
    if (op != Op::remove) h.nh_protocol = protocol;
    m.header(h);
    m.attr_u32(NHA_ID, g.id.value);
    if (op != Op::remove) {
        std::vector<nexthop_grp> entries;
        for (auto& member : g.members) {
            nexthop_grp e{};
            e.id = member.id.value;
            e.weight = uint8_t(member.weight - 1);  // the kernel stores weight - 1
            entries.push_back(e);
        }
        m.attr(NHA_GROUP, entries.data(), entries.size() * sizeof(nexthop_grp));
        m.attr_u16(NHA_GROUP_TYPE, NEXTHOP_GRP_TYPE_MPATH);
    }
    m.finish();
}

}  // namespace isthmus::netlink
