#pragma once
// AF_MPLS routes (the LFIB) as values: incoming label -> one or more paths. The kernel takes no
// nexthop objects and no RTA_GATEWAY here (KERNEL.md section 3): paths carry RTA_VIA/RTA_NEWDST.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "netlink/protocol.hpp"

namespace isthmus::netlink {

struct MplsPath {
    std::optional<IpAddress> via;  // none: pop and hand the payload to `ifindex` (lo: look it up)
    uint32_t ifindex = 0;
    LabelStack out_labels;  // swap to these (outer first); empty: pop
    bool operator==(const MplsPath&) const = default;
};

struct MplsRoute {
    MplsLabel in_label = MplsLabel::implicit_null();
    std::vector<MplsPath> paths;  // more than one: multipath (the kernel has no weights here)

    // LDP transit: swap the top label, send to the IPv4 next hop.
    static MplsRoute swap(MplsLabel in, LabelStack out, Ipv4Address via, uint32_t ifindex);
    // Penultimate hop popping towards an IPv4 next hop (the labels below travel on).
    static MplsRoute pop(MplsLabel in, Ipv4Address via, uint32_t ifindex);
    // Egress per-CE / per-prefix label: pop and forward the IPv6 payload to the CE.
    static MplsRoute pop_to_ipv6(MplsLabel in, Ipv6Address ce, uint32_t ifindex);
    // Pop and look the payload up (per-table label): give `ifindex` = the loopback.
    static MplsRoute pop_and_lookup(MplsLabel in, uint32_t loopback_ifindex);

    bool operator==(const MplsRoute&) const = default;
};

// iproute2-like text: "200 as 300 via inet 10.0.2.2 dev east", multipath paths joined by " nexthop ".
std::string to_string(const MplsRoute& r);

// One RTM_NEWROUTE / RTM_DELROUTE (AF_MPLS) appended to `out`; a delete carries only the label.
void append_request(std::vector<uint8_t>& out, Op op, const MplsRoute& r, uint8_t protocol);

}  // namespace isthmus::netlink
