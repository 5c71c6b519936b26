#pragma once
// The LDP identifier (RFC 5036 2.2.2): an LSR id and a label space, written
// "a.b.c.d:n". Platform-wide label space is 0, which is all isthmus uses.
#include <compare>
#include <cstdint>
#include <string>

#include "lib/asn.hpp"

namespace isthmus::ldp {

struct LdpId {
    RouterId lsr_id{0};
    uint16_t label_space = 0;

    std::string to_string() const { return lsr_id.to_string() + ":" + std::to_string(label_space); }
    auto operator<=>(const LdpId&) const = default;
};

// IANA address family numbers, as FEC prefix elements and address lists carry them.
enum class AddressFamily : uint16_t { Ipv4 = 1, Ipv6 = 2 };

}  // namespace isthmus::ldp
