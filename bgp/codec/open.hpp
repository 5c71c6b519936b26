#pragma once
// OPEN (RFC 4271 4.2) with capabilities in optional parameters (RFC 5492),
// including the extended optional parameters length of RFC 9072.
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/codec/capabilities.hpp"
#include "bgp/codec/errors.hpp"
#include "lib/asn.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

inline constexpr uint8_t kBgpVersion = 4;
inline constexpr uint8_t kOptionalParameterCapabilities = 2;

struct Open {
    uint8_t version = kBgpVersion;
    uint16_t my_as = 0;  // the 2-octet field: AS_TRANS when the real ASN needs 4 octets
    uint16_t hold_time = 0;
    RouterId bgp_id{0};
    std::vector<Capability> capabilities;  // in the order received

    // The speaker's ASN: from the 4-octet AS capability when present (RFC 6793).
    Asn asn() const;
    template <class C>
    const C* find() const {
        for (auto& c : capabilities)
            if (auto* p = std::get_if<C>(&c)) return p;
        return nullptr;
    }
    bool operator==(const Open&) const = default;
};

// body: the message after the 19-byte header. RFC 4271 6.2 checks that need no
// configuration: version, hold time 1 or 2, BGP identifier 0, parameter syntax.
Result<Open, DecodeError> decode_open(ByteReader body);
// Writes the whole message, header included.
Status<EncodeError> encode(const Open& open, ByteWriter& w);

}  // namespace isthmus::bgp
