#pragma once
// From the two OPENs to the coding contexts of the session: what each side
// announced decides how UPDATEs are coded in each direction.
#include <vector>

#include "bgp/codec/family.hpp"
#include "bgp/codec/open.hpp"

namespace isthmus::bgp {

struct Negotiated {
    Context receive;                // decoding what the peer sends
    Context send;                   // encoding what we send
    std::vector<Family> families;   // known families both announced (RFC 4760 8), in Family order
    bool route_refresh = false;     // RFC 2918: the peer accepts ROUTE-REFRESH (it announced the capability)
    bool enhanced_route_refresh = false;  // RFC 7313: both announced it
    bool operator==(const Negotiated&) const = default;
};

// RFC 6793 (both announce 4-octet AS), RFC 8654 (both announce extended message),
// RFC 7911 4 (add-path per family and direction: one side sends, the other receives),
// RFC 8950 (we may send an IPv6 next hop for IPv4 NLRI when the peer announced it
// can take one, and accept one where we announced it). Without any multiprotocol
// capability on either side, the session carries IPv4 unicast only.
Negotiated negotiate(const Open& local, const Open& remote);

}  // namespace isthmus::bgp
