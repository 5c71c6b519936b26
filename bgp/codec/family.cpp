#include "family.hpp"

namespace isthmus::bgp {

std::string AfiSafi::to_string() const { return std::to_string(afi) + "/" + std::to_string(safi); }

std::optional<Family> family_of(AfiSafi as) {
    if (as.afi == kAfiIpv4 && as.safi == kSafiUnicast) return Family::Ipv4Unicast;
    if (as.afi == kAfiIpv6 && as.safi == kSafiUnicast) return Family::Ipv6Unicast;
    if (as.afi == kAfiIpv4 && as.safi == kSafiLabeledUnicast) return Family::Ipv4Labeled;
    if (as.afi == kAfiIpv6 && as.safi == kSafiLabeledUnicast) return Family::Ipv6Labeled;
    return std::nullopt;
}

AfiSafi afi_safi_of(Family f) {
    switch (f) {
        case Family::Ipv4Unicast: return {kAfiIpv4, kSafiUnicast};
        case Family::Ipv6Unicast: return {kAfiIpv6, kSafiUnicast};
        case Family::Ipv4Labeled: return {kAfiIpv4, kSafiLabeledUnicast};
        case Family::Ipv6Labeled: return {kAfiIpv6, kSafiLabeledUnicast};
    }
    return {};
}

}  // namespace isthmus::bgp
