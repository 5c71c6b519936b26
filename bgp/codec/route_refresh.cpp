#include "route_refresh.hpp"

#include "bgp/codec/header.hpp"

namespace isthmus::bgp {

Result<RouteRefresh, DecodeError> decode_route_refresh(ByteReader body) {
    if (body.remaining() != 4) {
        // RFC 7313 5: the data is the complete message, which the caller holds; we give the body.
        auto rest = body.rest();
        return err(make_error(ErrorCode::RouteRefresh, route_refresh_error::kInvalidMessageLength,
                              ErrorAction::SessionReset, body.offset(),
                              "ROUTE-REFRESH length is not 23", {rest.begin(), rest.end()}));
    }
    RouteRefresh rr;
    rr.afi_safi.afi = *body.u16();
    rr.subtype = *body.u8();
    rr.afi_safi.safi = *body.u8();
    return rr;
}

Status<EncodeError> encode(const RouteRefresh& rr, ByteWriter& w) {
    std::size_t start = begin_message(w, MessageType::RouteRefresh);
    w.u16(rr.afi_safi.afi);
    w.u8(rr.subtype);
    w.u8(rr.afi_safi.safi);
    return end_message(w, start, kMaxMessageSize);
}

}  // namespace isthmus::bgp
