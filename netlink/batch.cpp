#include "batch.hpp"

#include <linux/netlink.h>

#include <cstring>

namespace isthmus::netlink {

std::span<const uint8_t> Batch::request(std::size_t i) const {
    std::size_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : bytes_.size();
    return {bytes_.data() + offsets_[i], end - offsets_[i]};
}

std::span<const uint8_t> Batch::range(std::size_t first, std::size_t last) const {
    if (first >= last) return {};
    std::size_t begin = offsets_[first];
    std::size_t end = last < offsets_.size() ? offsets_[last] : bytes_.size();
    return {bytes_.data() + begin, end - begin};
}

std::string Batch::invalid_reason(Op op, const NexthopObject& nh) {
    if (!nh.id.valid()) return "nexthop id 0 (the kernel would choose one)";
    if (op != Op::remove && nh.ifindex == 0) return "no output interface";
    for (auto l : nh.labels)
        if (l.is_implicit_null()) return "implicit null (3) is never pushed";
    return {};
}

std::string Batch::invalid_reason(Op op, const NexthopGroup& g) {
    if (!g.id.valid()) return "nexthop id 0 (the kernel would choose one)";
    if (op == Op::remove) return {};
    if (g.members.empty()) return "a group without members";
    for (auto& m : g.members) {
        if (!m.id.valid()) return "member id 0";
        if (m.weight < 1 || m.weight > 256) return "member weight " + std::to_string(m.weight) + " (1..256)";
    }
    return {};
}

std::string Batch::invalid_reason(Op op, const Ipv6Route& r) {
    if (op != Op::remove && !r.nhid.valid()) return "a route without a nexthop object";
    return {};
}

std::string Batch::invalid_reason(Op op, const MplsRoute& r) {
    if (op != Op::remove && r.paths.empty()) return "a label route without a path";
    return {};
}

void Batch::set_sequence(std::size_t i, uint32_t seq, bool ack) {
    nlmsghdr h;
    std::memcpy(&h, bytes_.data() + offsets_[i], sizeof h);
    h.nlmsg_seq = seq;
    if (ack) h.nlmsg_flags |= NLM_F_ACK;
    else h.nlmsg_flags &= uint16_t(~NLM_F_ACK);
    std::memcpy(bytes_.data() + offsets_[i], &h, sizeof h);
}

}  // namespace isthmus::netlink
