#pragma once
// Packing many prefixes that share one attribute set into as few UPDATEs as
// fit the negotiated maximum (4096, or 65535 with RFC 8654 extended message).
#include <cstdint>
#include <span>
#include <vector>

#include "bgp/codec/attributes.hpp"
#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "bgp/codec/next_hop.hpp"
#include "bgp/codec/nlri.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

using Messages = std::vector<std::vector<uint8_t>>;

// Announcements. IPv4 unicast with an IPv4 next hop uses the NLRI field and the
// NEXT_HOP attribute; every other case (6PE included) uses MP_REACH_NLRI.
// attrs.next_hop is ignored: the next hop is nh. Fails when the next hop does
// not suit the family or one prefix alone does not fit a message.
Result<Messages, EncodeError> pack_announcements(const PathAttributes& attrs, Family f, const NextHop& nh,
                                                 std::span<const Ipv4Nlri> routes, const Context& ctx);
Result<Messages, EncodeError> pack_announcements(const PathAttributes& attrs, Family f, const NextHop& nh,
                                                 std::span<const Ipv6Nlri> routes, const Context& ctx);

// Withdrawals: the Withdrawn Routes field for IPv4 unicast, MP_UNREACH_NLRI otherwise.
Result<Messages, EncodeError> pack_withdrawals(Family f, std::span<const Ipv4Nlri> routes, const Context& ctx);
Result<Messages, EncodeError> pack_withdrawals(Family f, std::span<const Ipv6Nlri> routes, const Context& ctx);

}  // namespace isthmus::bgp
