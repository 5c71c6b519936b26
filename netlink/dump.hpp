#pragma once
// Decoding kernel messages (dump replies, notifications, our own requests) into the value types,
// and the dump requests. Pure functions: no socket.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "lib/result.hpp"
#include "netlink/mpls_route.hpp"
#include "netlink/nexthop.hpp"
#include "netlink/route6.hpp"

namespace isthmus::netlink {

// What the kernel says about an entry besides the value: who installed it.
template <class T>
struct Decoded {
    T value;
    uint8_t protocol = 0;
};

using NexthopEntry = std::variant<NexthopObject, NexthopGroup>;

// RTM_NEWNEXTHOP (a dump reply or a request). Objects of another family than AF_INET6 (other
// daemons' IPv4 objects) and blackholes are errors: callers skip them by protocol first.
Result<Decoded<NexthopEntry>, std::string> decode_nexthop(std::span<const uint8_t> msg);
// RTM_NEWROUTE, AF_INET6. A route without RTA_NH_ID decodes with an invalid nhid.
Result<Decoded<Ipv6Route>, std::string> decode_route6(std::span<const uint8_t> msg);
// RTM_NEWROUTE, AF_MPLS, single path or RTA_MULTIPATH.
Result<Decoded<MplsRoute>, std::string> decode_mpls_route(std::span<const uint8_t> msg);

// The family and protocol of a route or nexthop message without decoding it (for filtering).
struct MessageKind {
    uint16_t type = 0;
    uint8_t family = 0;
    uint8_t protocol = 0;
};
Result<MessageKind, std::string> peek(std::span<const uint8_t> msg);

enum class DumpKind { nexthops, routes6, mpls_routes };
// The dump request (NLM_F_DUMP), sequence number 0.
std::vector<uint8_t> dump_request(DumpKind kind);

}  // namespace isthmus::netlink
