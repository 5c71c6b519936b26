#pragma once
// ROUTE-REFRESH (RFC 2918) with the enhanced route refresh subtypes of RFC 7313.
#include <cstdint>

#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

namespace route_refresh_subtype {
inline constexpr uint8_t kNormal = 0;
inline constexpr uint8_t kBeginningOfRibRefresh = 1;  // BoRR
inline constexpr uint8_t kEndOfRibRefresh = 2;        // EoRR
}  // namespace route_refresh_subtype

struct RouteRefresh {
    AfiSafi afi_safi;
    // Kept raw: RFC 7313 says a message with a subtype other than 0-2 is ignored, not an error.
    uint8_t subtype = route_refresh_subtype::kNormal;
    bool operator==(const RouteRefresh&) const = default;
};

// body: the message after the header; its length must be 4 (RFC 7313: error 7/1).
Result<RouteRefresh, DecodeError> decode_route_refresh(ByteReader body);
Status<EncodeError> encode(const RouteRefresh& rr, ByteWriter& w);

}  // namespace isthmus::bgp
