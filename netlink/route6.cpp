#include "route6.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink/message_builder.hpp"

namespace isthmus::netlink {

std::string to_string(const Ipv6Route& r) {
    std::string s = r.prefix.to_string();
    if (r.nhid.valid()) s += " nhid " + std::to_string(r.nhid.value);
    if (r.metric != kDefaultMetric) s += " metric " + std::to_string(r.metric);
    if (r.table != kMainTable) s += " table " + std::to_string(r.table);
    return s;
}

void append_request(std::vector<uint8_t>& out, Op op, const Ipv6Route& r, uint8_t protocol) {
    MessageBuilder m(out, op == Op::remove ? RTM_DELROUTE : RTM_NEWROUTE, request_flags(op));
    rtmsg h{};
    h.rtm_family = AF_INET6;
    h.rtm_dst_len = uint8_t(r.prefix.length());
    h.rtm_table = r.table < 256 ? uint8_t(r.table) : uint8_t(RT_TABLE_UNSPEC);
    h.rtm_protocol = protocol;
    h.rtm_scope = RT_SCOPE_UNIVERSE;
    h.rtm_type = RTN_UNICAST;
    m.header(h);
    m.attr(RTA_DST, r.prefix.address().bytes().data(), 16);
    m.attr_u32(RTA_TABLE, r.table);
    m.attr_u32(RTA_PRIORITY, r.metric);
    if (op != Op::remove) m.attr_u32(RTA_NH_ID, r.nhid.value);
    m.finish();
}

}  // namespace isthmus::netlink
