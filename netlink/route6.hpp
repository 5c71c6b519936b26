#pragma once
// IPv6 routes as values. Ours always point at a nexthop object (RTA_NH_ID): the object holds
// gateway, device and labels, so a core change is one object replace, never a route rewrite.
#include <cstdint>
#include <string>
#include <vector>

#include "lib/prefix.hpp"
#include "netlink/protocol.hpp"

namespace isthmus::netlink {

inline constexpr uint32_t kMainTable = 254;     // RT_TABLE_MAIN
inline constexpr uint32_t kDefaultMetric = 1024;  // what the kernel gives IPv6 routes without one

struct Ipv6Route {
    Ipv6Prefix prefix;
    NexthopId nhid;  // invalid (0) only in routes read from the kernel that use no object
    uint32_t metric = kDefaultMetric;
    uint32_t table = kMainTable;
    bool operator==(const Ipv6Route&) const = default;
};

// "2001:db8::/48 nhid 7" (+ " metric M" / " table T" when not the defaults).
std::string to_string(const Ipv6Route& r);

// One RTM_NEWROUTE / RTM_DELROUTE appended to `out`. A delete names prefix, metric, table and our
// protocol, so the kernel itself refuses to delete another protocol's route at the same prefix.
void append_request(std::vector<uint8_t>& out, Op op, const Ipv6Route& r, uint8_t protocol);

}  // namespace isthmus::netlink
