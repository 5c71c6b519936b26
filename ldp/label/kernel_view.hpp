#pragma once
// What the label base needs to know about the kernel, as ldp/'s own value types: this router's
// IPv4 addresses and its IPv4 routes with their next hops. daemon/ translates the netlink monitor's
// view and events into these (ldp/ never includes netlink/).
#include <compare>
#include <cstdint>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/prefix.hpp"

namespace isthmus::ldp::label {

// An IPv4 address configured on one of our interfaces.
struct LocalAddress {
    Ipv4Address address;
    int prefix_length = 32;
    uint32_t ifindex = 0;
    auto operator<=>(const LocalAddress&) const = default;
};

// One next hop of a kernel route. No gateway (a device route): the FEC's address itself is the
// next hop, as for a peer's loopback routed straight onto a point-to-point link.
struct NextHop {
    Ipv4Address gateway;  // unspecified (0.0.0.0): none
    uint32_t ifindex = 0;
    auto operator<=>(const NextHop&) const = default;
};

// An IPv4 route of the main table; several next hops: ECMP.
struct Route {
    Ipv4Prefix prefix;
    std::vector<NextHop> next_hops;
    uint32_t metric = 0;
    bool operator==(const Route&) const = default;
};

}  // namespace isthmus::ldp::label
