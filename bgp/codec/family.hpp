#pragma once
// Address families (AFI/SAFI) the codec understands, and the per-session
// context negotiated in OPEN that changes how UPDATEs are coded.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace isthmus::bgp {

// AFI (RFC 4760) and SAFI values as they appear on the wire.
struct AfiSafi {
    uint16_t afi = 0;
    uint8_t safi = 0;
    std::string to_string() const;
    auto operator<=>(const AfiSafi&) const = default;
};

inline constexpr uint16_t kAfiIpv4 = 1;
inline constexpr uint16_t kAfiIpv6 = 2;
inline constexpr uint8_t kSafiUnicast = 1;
inline constexpr uint8_t kSafiLabeledUnicast = 4;  // RFC 8277

// The families whose NLRI the codec decodes. Ipv6Labeled with a v4-mapped next hop is 6PE (RFC 4798).
enum class Family : uint8_t { Ipv4Unicast, Ipv6Unicast, Ipv4Labeled, Ipv6Labeled };
inline constexpr std::size_t kFamilyCount = 4;

std::optional<Family> family_of(AfiSafi as);
AfiSafi afi_safi_of(Family f);
constexpr bool is_ipv6(Family f) { return f == Family::Ipv6Unicast || f == Family::Ipv6Labeled; }
constexpr bool is_labeled(Family f) { return f == Family::Ipv4Labeled || f == Family::Ipv6Labeled; }

// Maximum message sizes: RFC 4271 4.1 and RFC 8654 (extended message).
inline constexpr std::size_t kMaxMessageSize = 4096;
inline constexpr std::size_t kMaxExtendedMessageSize = 65535;

// Internal: iBGP. External: eBGP with a peer outside our confederation, if any.
// ConfederationMember: eBGP between member ASes of our confederation (RFC 5065).
enum class PeerKind : uint8_t { Internal, External, ConfederationMember };

// What both sides negotiated, plus the kind of session (RFC 7606 treats some
// attributes differently from an external peer). For decoding, add_path means
// "the peer sends path ids" for that family; for encoding, "we send them" (RFC
// 7911 is per direction).
struct Context {
    PeerKind peer = PeerKind::Internal;
    bool four_octet_as = true;         // RFC 6793, both sides announced it
    bool extended_message = false;     // RFC 8654
    std::array<bool, kFamilyCount> add_path{};
    // IPv4 NLRI families that may carry an IPv6 next hop in MP_REACH (RFC 8950).
    std::array<bool, kFamilyCount> extended_next_hop{};

    bool has_add_path(Family f) const { return add_path[std::size_t(f)]; }
    bool has_extended_next_hop(Family f) const { return extended_next_hop[std::size_t(f)]; }
    std::size_t max_message_size() const { return extended_message ? kMaxExtendedMessageSize : kMaxMessageSize; }
    bool operator==(const Context&) const = default;
};

}  // namespace isthmus::bgp
