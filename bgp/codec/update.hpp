#pragma once
// UPDATE (RFC 4271 4.3) with the revised error handling of RFC 7606: errors
// that allow it are collected in the Update instead of failing the decode.
#include <optional>
#include <vector>

#include "bgp/codec/attributes.hpp"
#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "bgp/codec/mp_reach.hpp"
#include "bgp/codec/nlri.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

struct Update {
    std::vector<Ipv4Nlri> withdrawn;         // IPv4 unicast, the Withdrawn Routes field
    std::optional<MpUnreach> mp_unreach;
    PathAttributes attrs;
    std::optional<MpReach> mp_reach;
    std::vector<Ipv4Nlri> nlri;              // IPv4 unicast, the NLRI field (next hop: attrs.next_hop)

    // Errors that did not reset the session, in the order found. The receiver applies
    // action(): AttributeDiscard needs nothing more (the attribute is already gone);
    // TreatAsWithdraw withdraws every prefix of nlri and mp_reach; AfiSafiDisable
    // names its family in afi_safi (that family's NLRI was not decoded).
    std::vector<DecodeError> errors;

    std::optional<ErrorAction> action() const;
    const DecodeError* worst_error() const;  // the first error with the most severe action
    // RFC 4724 2: an empty UPDATE is End-of-RIB for IPv4 unicast, one with only an
    // empty MP_UNREACH for its family.
    std::optional<Family> end_of_rib() const;
    bool operator==(const Update&) const = default;
};

// body: the message after the header. Fails only for session-reset errors.
Result<Update, DecodeError> decode_update(ByteReader body, const Context& ctx);
// Writes the whole message. MP_UNREACH and MP_REACH come first (RFC 7606 5.1),
// then the other attributes in type order.
Status<EncodeError> encode(const Update& u, const Context& ctx, ByteWriter& w);

}  // namespace isthmus::bgp
