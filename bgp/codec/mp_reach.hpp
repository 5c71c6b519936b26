#pragma once
// MP_REACH_NLRI and MP_UNREACH_NLRI (RFC 4760 3, 4) for the families of
// family.hpp; 6PE is AFI 2 / SAFI 4 with a MappedNextHop.
#include <optional>
#include <span>
#include <vector>

#include "bgp/codec/attributes.hpp"
#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "bgp/codec/next_hop.hpp"
#include "bgp/codec/nlri.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

struct MpReach {
    Family family = Family::Ipv6Labeled;
    NextHop next_hop = MappedNextHop{};
    std::vector<Ipv4Nlri> v4;  // Ipv4Unicast, Ipv4Labeled
    std::vector<Ipv6Nlri> v6;  // Ipv6Unicast, Ipv6Labeled
    bool operator==(const MpReach&) const = default;
};

struct MpUnreach {
    Family family = Family::Ipv6Labeled;
    std::vector<Ipv4Nlri> v4;
    std::vector<Ipv6Nlri> v6;
    bool empty() const { return v4.empty() && v6.empty(); }  // End-of-RIB when alone (RFC 4724 2)
    bool operator==(const MpUnreach&) const = default;
};

NlriCoding nlri_coding(Family f, const Context& ctx, bool withdraw);

// Both take the attribute with its flags already checked. Result:
//  - a value;
//  - nullopt with no error for nothing to do;
//  - an error: AttributeDiscard for an AFI/SAFI we do not support, AfiSafiDisable
//    when the family is known but the contents are malformed (RFC 7606 7.11),
//    SessionReset when the attribute is too short to name its AFI/SAFI.
Result<std::optional<MpReach>, DecodeError> decode_mp_reach(const RawAttribute& a, const Context& ctx);
Result<std::optional<MpUnreach>, DecodeError> decode_mp_unreach(const RawAttribute& a, const Context& ctx);

// Flags are optional non-transitive; extended length is used past 255 bytes.
Status<EncodeError> encode(const MpReach& r, const Context& ctx, ByteWriter& w);
Status<EncodeError> encode(const MpUnreach& u, const Context& ctx, ByteWriter& w);
// Value length (without the attribute header) of an MP_REACH with no NLRI.
std::size_t mp_reach_base_length(const MpReach& r);

}  // namespace isthmus::bgp
