#pragma once
// Socket options LDP's own sockets need (DECISIONS.md 9: they live with the protocol):
// TCP-MD5 (RFC 5036 2.9 / RFC 2385), GTSM (RFC 6720: send with TTL 255, accept only 255),
// multicast membership and the link Hellos' TTL of 1.
#include <cstdint>
#include <string>
#include <string_view>

#include "lib/ip_address.hpp"
#include "lib/result.hpp"

namespace isthmus::ldp::io {

// TCP_MD5SIG for segments to/from `peer` on a TCP socket (a listener holds one key per peer);
// an empty key removes it.
Status<std::string> set_tcp_md5(int fd, Ipv4Address peer, std::string_view key);
// IP_TTL for unicast packets sent on the socket.
Status<std::string> set_ttl(int fd, int ttl);
// IP_MINTTL: the kernel drops packets arriving with a smaller TTL (GTSM: 255).
Status<std::string> set_min_ttl(int fd, int ttl);
// Joins (or leaves) 224.0.0.2 on an interface.
Status<std::string> set_all_routers_membership(int fd, uint32_t ifindex, bool join);

}  // namespace isthmus::ldp::io
