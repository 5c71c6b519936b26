#pragma once
// Nexthop objects (Linux >= 5.3) as values: the shared forwarding entries 6PE routes point at.
// Always AF_INET6: an IPv6 route may not use an AF_INET object (KERNEL.md section 2).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "netlink/protocol.hpp"

namespace isthmus::netlink {

struct NexthopObject {
    NexthopId id;
    Ipv6Address gateway;  // ::ffff:<core IPv4 next hop> for 6PE, or a CE's IPv6 address
    uint32_t ifindex = 0;
    bool onlink = false;  // required for a v4-mapped gateway ("No route to host" otherwise)
    LabelStack labels;    // MPLS encap, outer first; empty: no encap

    // 6PE: push `labels` and send to the directly connected core next hop `core_nh` over ARP.
    static NexthopObject six_pe(NexthopId id, Ipv4Address core_nh, uint32_t ifindex, LabelStack labels);
    // A plain IPv6 next hop (CE routes), resolved by neighbour discovery.
    static NexthopObject ipv6(NexthopId id, Ipv6Address gateway, uint32_t ifindex);

    bool operator==(const NexthopObject&) const = default;
};

struct GroupMember {
    NexthopId id;
    uint16_t weight = 1;  // 1..256
    bool operator==(const GroupMember&) const = default;
    auto operator<=>(const GroupMember&) const = default;  // groups are keyed by their members
};

// ECMP over objects (each AF_INET6); the kernel hashes flows across members by weight.
struct NexthopGroup {
    NexthopId id;
    std::vector<GroupMember> members;
    bool operator==(const NexthopGroup&) const = default;
};

// iproute2-like text: "id 1 encap mpls 200/2 via ::ffff:10.0.1.2 dev core onlink".
std::string to_string(const NexthopObject& nh);
std::string to_string(const NexthopGroup& g);  // "id 3 group 1/2,3"

// One RTM_NEWNEXTHOP / RTM_DELNEXTHOP request appended to `out` (delete carries only the id).
void append_request(std::vector<uint8_t>& out, Op op, const NexthopObject& nh, uint8_t protocol);
void append_request(std::vector<uint8_t>& out, Op op, const NexthopGroup& g, uint8_t protocol);

}  // namespace isthmus::netlink
