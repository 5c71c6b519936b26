#pragma once
// Next hops as typed values. For IPv6 NLRI the MP_REACH next hop is 16 bytes
// (global) or 32 (global + link-local, RFC 2545); a global ::ffff:a.b.c.d is a
// 6PE next hop (RFC 4798) and decodes once to its IPv4 address.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "bgp/codec/family.hpp"
#include "lib/byte_writer.hpp"
#include "lib/ip_address.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

struct Ipv6NextHop {
    Ipv6Address global;
    std::optional<Ipv6Address> link_local;
    auto operator<=>(const Ipv6NextHop&) const = default;
};

// 6PE: the egress PE's IPv4 address, sent as ::ffff:a.b.c.d. A link-local
// address sent after it is dropped: it is meaningless across an MPLS core.
struct MappedNextHop {
    Ipv4Address v4;
    auto operator<=>(const MappedNextHop&) const = default;
};

using NextHop = std::variant<Ipv4Address, Ipv6NextHop, MappedNextHop>;

std::string to_string(const NextHop& nh);

// MP_REACH next hop field for a family. IPv4 families take 4 bytes, or 16/32 when
// RFC 8950 extended next hop is negotiated for them.
Result<NextHop, std::string> decode_next_hop(Family f, std::span<const uint8_t> bytes, const Context& ctx);
// Writes the length octet and the address(es); false if the next hop does not suit the family.
bool encode_next_hop(Family f, const NextHop& nh, const Context& ctx, ByteWriter& w);

}  // namespace isthmus::bgp
