#include "errors.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "netlink/attributes.hpp"
#include "netlink/dump.hpp"

namespace isthmus::netlink {

std::string KernelError::to_string() const {
    std::string s = request + ": " + std::strerror(code);
    if (!extack.empty()) s += (not_sent ? " (not sent: " : " (kernel: ") + extack + ")";
    return s;
}

std::string BatchReport::to_string() const {
    std::string s;
    for (auto& f : failures) s += f.to_string() + "\n";
    if (!transport_error.empty()) s += transport_error + "\n";
    return s;
}

bool decode_error_reply(std::span<const uint8_t> msg, ErrorReply& out) {
    auto h = message_header(msg);
    if (!h || (*h)->nlmsg_type != NLMSG_ERROR) return false;
    if ((*h)->nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr)) return false;
    nlmsgerr e;
    std::memcpy(&e, msg.data() + NLMSG_HDRLEN, sizeof e);
    out.seq = (*h)->nlmsg_seq;
    out.code = -e.error;
    out.extack.clear();
    if (!((*h)->nlmsg_flags & NLM_F_ACK_TLVS)) return true;
    // The TLVs follow the echoed request, which is only its header when capped (NETLINK_CAP_ACK).
    std::size_t off = NLMSG_HDRLEN + sizeof(nlmsgerr);
    if (!((*h)->nlmsg_flags & NLM_F_CAPPED)) {
        if (e.msg.nlmsg_len < NLMSG_HDRLEN) return true;
        off += NLMSG_ALIGN(e.msg.nlmsg_len - NLMSG_HDRLEN);
    }
    if (off >= (*h)->nlmsg_len) return true;
    auto tlvs = Attrs::of_payload(msg.data() + off, (*h)->nlmsg_len - off);
    if (!tlvs) return true;
    auto text = tlvs->bytes(NLMSGERR_ATTR_MSG);
    out.extack.assign(reinterpret_cast<const char*>(text.data()), strnlen(reinterpret_cast<const char*>(text.data()), text.size()));
    return true;
}

std::string describe_request(std::span<const uint8_t> msg) {
    auto k = peek(msg);
    if (!k) return "malformed request (" + k.error() + ")";
    auto h = *message_header(msg);
    bool del = k->type == RTM_DELNEXTHOP || k->type == RTM_DELROUTE;
    std::string op = del ? "delete" : (h->nlmsg_flags & NLM_F_REPLACE) ? "replace" : "add";

    if (k->type == RTM_NEWNEXTHOP || k->type == RTM_DELNEXTHOP) {
        auto nh = decode_nexthop(msg);
        if (!nh) return op + " " + nh.error();
        if (del) return op + " nexthop " + std::to_string(std::visit([](auto& v) { return v.id.value; }, nh->value));
        return op + " nexthop " + std::visit([](auto& v) { return to_string(v); }, nh->value);
    }
    if (k->type == RTM_NEWROUTE || k->type == RTM_DELROUTE) {
        if (k->family == AF_MPLS) {
            auto r = decode_mpls_route(msg);
            return op + " " + (r ? "mpls route " + to_string(r->value) : r.error());
        }
        auto r = decode_route6(msg);
        return op + " " + (r ? "route " + to_string(r->value) : r.error());
    }
    return "request of type " + std::to_string(k->type);
}

}  // namespace isthmus::netlink
