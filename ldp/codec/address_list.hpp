#pragma once
// The Address List TLV (RFC 5036 3.4.3) of Address and Address Withdraw messages.
#include <variant>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/tlv.hpp"
#include "lib/ip_address.hpp"

namespace isthmus::ldp {

struct AddressList {
    std::variant<std::vector<Ipv4Address>, std::vector<Ipv6Address>> addresses;

    AddressFamily family() const { return addresses.index() == 0 ? AddressFamily::Ipv4 : AddressFamily::Ipv6; }
    bool operator==(const AddressList&) const = default;
};

// Bad TLV Length when the value is shorter than the family field or not a whole
// number of addresses; Unsupported Address Family for families other than 1 and 2.
Result<AddressList, DecodeError> decode_address_list(const RawTlv& t);
bool encode_address_list(const AddressList& list, ByteWriter& w);

}  // namespace isthmus::ldp
