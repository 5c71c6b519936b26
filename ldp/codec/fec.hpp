#pragma once
// The FEC TLV (RFC 5036 3.4.1): Wildcard and Prefix elements, plus the Typed
// Wildcard element of RFC 5918 for Prefix FECs.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/tlv.hpp"
#include "lib/prefix.hpp"

namespace isthmus::ldp {

namespace fec_element {
inline constexpr uint8_t kWildcard = 0x01;
inline constexpr uint8_t kPrefix = 0x02;
inline constexpr uint8_t kTypedWildcard = 0x05;  // RFC 5918
}  // namespace fec_element

// Every FEC (the Wildcard element must be alone in its TLV).
struct WildcardFec {
    bool operator==(const WildcardFec&) const = default;
};

// RFC 5918 4 + 5: all Prefix FECs of one address family. Only Prefix FECs are
// supported as the covered type; others decode as Unknown FEC.
struct TypedWildcardFec {
    AddressFamily family = AddressFamily::Ipv4;
    bool operator==(const TypedWildcardFec&) const = default;
};

using FecElement = std::variant<WildcardFec, TypedWildcardFec, Ipv4Prefix, Ipv6Prefix>;
using Fec = std::vector<FecElement>;

// Errors: Bad TLV Length (empty TLV, element runs past the TLV), Malformed TLV
// Value (prefix longer than the family, a wildcard not alone), Unsupported
// Address Family, Unknown FEC (element type, typed-wildcard covered type).
// Prefix bytes with host bits set are normalised, not rejected.
Result<Fec, DecodeError> decode_fec(const RawTlv& t);
bool encode_fec(const Fec& fec, ByteWriter& w);

std::string to_string(const FecElement& e);

}  // namespace isthmus::ldp
