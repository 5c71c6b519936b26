#include "link_request.hpp"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>

#include "netlink/attributes.hpp"
#include "netlink/message_builder.hpp"

namespace isthmus::netlink {

std::string to_string(const MacAddress& mac) {
    char s[18];
    std::snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return s;
}

namespace {

void put_name(MessageBuilder& m, const std::string& name) { m.attr(IFLA_IFNAME, name.c_str(), name.size() + 1); }

ifinfomsg link_header(uint32_t ifindex, bool up) {
    ifinfomsg h{};
    h.ifi_family = AF_UNSPEC;
    h.ifi_index = int(ifindex);
    if (up) h.ifi_flags = h.ifi_change = IFF_UP;
    return h;
}

std::string text_of(std::span<const uint8_t> b) {
    return std::string(reinterpret_cast<const char*>(b.data()), strnlen(reinterpret_cast<const char*>(b.data()), b.size()));
}

}  // namespace

std::vector<uint8_t> get_link_request(const std::string& name) {
    std::vector<uint8_t> out;
    MessageBuilder m(out, RTM_GETLINK, NLM_F_ACK);
    m.header(link_header(0, false));
    put_name(m, name);
    m.finish();
    return out;
}

std::vector<uint8_t> new_veth_request(const std::string& name, const std::string& peer, uint32_t mtu) {
    std::vector<uint8_t> out;
    MessageBuilder m(out, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
    m.header(link_header(0, true));
    put_name(m, name);
    if (mtu) m.attr_u32(IFLA_MTU, mtu);
    auto info = m.begin_nest(IFLA_LINKINFO);
    m.attr(IFLA_INFO_KIND, "veth", 4);
    auto data = m.begin_nest(IFLA_INFO_DATA);
    // The peer is described like a link of its own: an ifinfomsg followed by its attributes. Not
    // up: the kernel opens it before the pair is joined and refuses (ENOTCONN); it is set up after.
    auto p = m.begin_nest(VETH_INFO_PEER);
    m.header(link_header(0, false));
    put_name(m, peer);
    if (mtu) m.attr_u32(IFLA_MTU, mtu);
    m.end_nest(p);
    m.end_nest(data);
    m.end_nest(info);
    m.finish();
    return out;
}

std::vector<uint8_t> set_link_up_request(uint32_t ifindex, uint32_t mtu) {
    std::vector<uint8_t> out;
    MessageBuilder m(out, RTM_NEWLINK, NLM_F_ACK);
    m.header(link_header(ifindex, true));
    if (mtu) m.attr_u32(IFLA_MTU, mtu);
    m.finish();
    return out;
}

std::vector<uint8_t> delete_link_request(uint32_t ifindex) {
    std::vector<uint8_t> out;
    MessageBuilder m(out, RTM_DELLINK, NLM_F_ACK);
    m.header(link_header(ifindex, false));
    m.finish();
    return out;
}

std::vector<uint8_t> permanent_neighbour_request(uint32_t ifindex, Ipv4Address address, const MacAddress& mac) {
    std::vector<uint8_t> out;
    MessageBuilder m(out, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK);
    ndmsg h{};
    h.ndm_family = AF_INET;
    h.ndm_ifindex = int(ifindex);
    h.ndm_state = NUD_PERMANENT;
    m.header(h);
    m.attr(NDA_DST, address.bytes().data(), 4);
    m.attr(NDA_LLADDR, mac.data(), mac.size());
    m.finish();
    return out;
}

std::vector<uint8_t> get_neighbour_request(uint32_t ifindex, Ipv4Address address) {
    std::vector<uint8_t> out;
    MessageBuilder m(out, RTM_GETNEIGH, NLM_F_ACK);
    ndmsg h{};
    h.ndm_family = AF_INET;
    h.ndm_ifindex = int(ifindex);
    m.header(h);
    m.attr(NDA_DST, address.bytes().data(), 4);
    m.finish();
    return out;
}

Result<LinkInfo, std::string> decode_link_info(std::span<const uint8_t> msg) {
    auto hdr = message_header(msg);
    if (!hdr) return err(hdr.error());
    if ((*hdr)->nlmsg_len < NLMSG_HDRLEN + sizeof(ifinfomsg)) return err(std::string("link: message too short"));
    ifinfomsg h;
    std::memcpy(&h, msg.data() + NLMSG_HDRLEN, sizeof h);
    auto a = Attrs::of_message(msg, sizeof h);
    if (!a) return err("link " + std::to_string(h.ifi_index) + ": " + a.error());
    LinkInfo l;
    l.ifindex = uint32_t(h.ifi_index);
    l.name = text_of(a->bytes(IFLA_IFNAME));
    l.up = (h.ifi_flags & IFF_UP) != 0;
    l.mtu = a->u32(IFLA_MTU).value_or(0);
    l.peer_ifindex = a->u32(IFLA_LINK).value_or(0);
    l.peer_elsewhere = a->has(IFLA_LINK_NETNSID);
    if (auto mac = a->bytes(IFLA_ADDRESS); mac.size() == 6) {
        MacAddress m;
        std::memcpy(m.data(), mac.data(), 6);
        l.mac = m;
    }
    if (auto info = a->get(IFLA_LINKINFO)) {
        auto in = Attrs::of_payload(mnl_attr_get_payload(info), mnl_attr_get_payload_len(info));
        if (!in) return err("link " + std::to_string(h.ifi_index) + ": IFLA_LINKINFO: " + in.error());
        l.kind = text_of(in->bytes(IFLA_INFO_KIND));
    }
    return l;
}

}  // namespace isthmus::netlink
