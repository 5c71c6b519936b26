#pragma once
// OPEN capabilities (RFC 5492) as typed values. Unknown ones are kept as
// code + bytes so they can be shown and compared.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "lib/asn.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

namespace capability_code {
inline constexpr uint8_t kMultiprotocol = 1;         // RFC 4760
inline constexpr uint8_t kRouteRefresh = 2;          // RFC 2918
inline constexpr uint8_t kExtendedNextHop = 5;       // RFC 8950
inline constexpr uint8_t kExtendedMessage = 6;       // RFC 8654
inline constexpr uint8_t kMultipleLabels = 8;        // RFC 8277 2.1
inline constexpr uint8_t kGracefulRestart = 64;      // RFC 4724
inline constexpr uint8_t kFourOctetAs = 65;          // RFC 6793
inline constexpr uint8_t kAddPath = 69;              // RFC 7911
inline constexpr uint8_t kEnhancedRouteRefresh = 70; // RFC 7313
inline constexpr uint8_t kFqdn = 73;                 // draft-walton-bgp-hostname-capability
}  // namespace capability_code

struct MultiprotocolCapability {
    AfiSafi afi_safi;
    bool operator==(const MultiprotocolCapability&) const = default;
};
struct RouteRefreshCapability {
    bool operator==(const RouteRefreshCapability&) const = default;
};
struct EnhancedRouteRefreshCapability {
    bool operator==(const EnhancedRouteRefreshCapability&) const = default;
};
struct ExtendedMessageCapability {
    bool operator==(const ExtendedMessageCapability&) const = default;
};
struct FourOctetAsCapability {
    Asn asn{0};
    bool operator==(const FourOctetAsCapability&) const = default;
};
struct GracefulRestartCapability {
    struct Entry {
        AfiSafi afi_safi;
        bool forwarding_preserved = false;  // F bit
        bool operator==(const Entry&) const = default;
    };
    bool restarting = false;        // R bit
    bool notification = false;      // N bit, RFC 8538
    uint16_t restart_time = 0;      // seconds, 12 bits
    std::vector<Entry> entries;
    bool operator==(const GracefulRestartCapability&) const = default;
};
struct AddPathCapability {
    enum Direction : uint8_t { Receive = 1, Send = 2, Both = 3 };
    struct Entry {
        AfiSafi afi_safi;
        uint8_t direction = Both;  // raw, values other than 1..3 kept as sent
        bool operator==(const Entry&) const = default;
    };
    std::vector<Entry> entries;
    bool operator==(const AddPathCapability&) const = default;
};
struct ExtendedNextHopCapability {
    struct Entry {
        uint16_t nlri_afi = 0;
        uint16_t nlri_safi = 0;  // 16 bits in this capability
        uint16_t next_hop_afi = 0;
        bool operator==(const Entry&) const = default;
    };
    std::vector<Entry> entries;
    bool operator==(const ExtendedNextHopCapability&) const = default;
};
// How many labels a speaker can take per labeled NLRI; without it, one (RFC 8277 2.1).
struct MultipleLabelsCapability {
    struct Entry {
        AfiSafi afi_safi;
        uint8_t count = 1;
        bool operator==(const Entry&) const = default;
    };
    std::vector<Entry> entries;
    bool operator==(const MultipleLabelsCapability&) const = default;
};
struct FqdnCapability {
    std::string hostname;
    std::string domain;
    bool operator==(const FqdnCapability&) const = default;
};
struct UnknownCapability {
    uint8_t code = 0;
    std::vector<uint8_t> value;
    bool operator==(const UnknownCapability&) const = default;
};

using Capability =
    std::variant<MultiprotocolCapability, RouteRefreshCapability, EnhancedRouteRefreshCapability,
                 ExtendedMessageCapability, FourOctetAsCapability, GracefulRestartCapability, AddPathCapability,
                 ExtendedNextHopCapability, MultipleLabelsCapability, FqdnCapability, UnknownCapability>;

uint8_t capability_code_of(const Capability& c);

// One capability TLV (code, length, value). Malformed known capabilities are
// OPEN Message Error / 0 (RFC 4271 6.2: a recognised but malformed parameter).
Result<Capability, DecodeError> decode_capability(ByteReader& r);
// Fails when a value cannot be coded in 255 bytes.
Status<EncodeError> encode_capability(const Capability& c, ByteWriter& w);

}  // namespace isthmus::bgp
