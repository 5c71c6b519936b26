#pragma once
// Kernel messages the monitor follows, decoded into its value types. Pure functions. Internal to
// netlink/ (the monitor and its tests); a nullopt value means "a message of this kind we don't follow"
// (another address family, a cached clone), an error that it was malformed.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "lib/result.hpp"
#include "netlink/monitor_types.hpp"

namespace isthmus::netlink {

// What a monitor message is: which table, and whether it announces a removal.
struct MonitorMessage {
    Table table = Table::links;
    bool removed = false;
    bool append = false;  // NLM_F_APPEND on an IPv6 route: one more path for an existing route
};
// nullopt for message types the monitor does not follow (NLMSG_DONE, errors, other families' types).
std::optional<MonitorMessage> classify(std::span<const uint8_t> msg);

Result<std::optional<Link>, std::string> decode_link(std::span<const uint8_t> msg);
Result<std::optional<Address>, std::string> decode_address(std::span<const uint8_t> msg);
Result<std::optional<Ipv4RouteInfo>, std::string> decode_route4_info(std::span<const uint8_t> msg);
Result<std::optional<Ipv6RouteInfo>, std::string> decode_route6_info(std::span<const uint8_t> msg);
Result<std::optional<Neighbour>, std::string> decode_neighbour(std::span<const uint8_t> msg);
Result<NexthopInfo, std::string> decode_nexthop_info(std::span<const uint8_t> msg);
Result<LabelRouteInfo, std::string> decode_label_route(std::span<const uint8_t> msg);

// The route family of an RTM_*ROUTE message (AF_INET, AF_INET6, ...), 0 if too short.
uint8_t route_family(std::span<const uint8_t> msg);

}  // namespace isthmus::netlink
