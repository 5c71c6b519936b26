#pragma once
// Socket options of BGP's own TCP sockets (DECISIONS 9: they live with the protocol):
// TCP-MD5 signatures (RFC 2385), the outgoing TTL for single-hop/multihop eBGP, and
// GTSM (RFC 5082). Each returns a clear error naming the option that failed.
#include <optional>
#include <string>
#include <string_view>

#include "lib/ip_address.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp::session {

// Sets (or, with an empty key, removes) the MD5 key for one peer address on a
// socket: the listener (per neighbor) or a connecting socket before connect().
Status<std::string> set_tcp_md5(int fd, const IpAddress& peer, std::string_view key);
// IP_TTL or IPV6_UNICAST_HOPS, as the socket's family requires.
Status<std::string> set_ttl(int fd, bool ipv6, int ttl);
// GTSM: accept only segments with at least this TTL (IP_MINTTL / IPV6_MINHOPCOUNT).
Status<std::string> set_min_ttl(int fd, bool ipv6, int min_ttl);

// What TTL to send and which minimum to require for one neighbor.
struct TtlPolicy {
    int ttl = 0;       // 0: leave the system default
    int min_ttl = 0;   // 0: no GTSM; else 256 - hops (RFC 5082: 255 - (hops - 1))
};
// GTSM wins (TTL 255 out); otherwise eBGP sends TTL 1 unless multihop says more,
// and iBGP keeps the default.
TtlPolicy ttl_policy(bool ebgp, std::optional<int> multihop, std::optional<int> ttl_security);

}  // namespace isthmus::bgp::session
