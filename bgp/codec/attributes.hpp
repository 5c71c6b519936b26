#pragma once
// Path attributes (RFC 4271 4.3/5) other than MP_REACH/MP_UNREACH, as one
// ordered, comparable, hashable value that a RIB can intern (STYLE 10). What
// varies per prefix (label, path id, next hop of MP_REACH) is not in here.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "bgp/codec/as_path.hpp"
#include "bgp/codec/communities.hpp"
#include "bgp/codec/errors.hpp"
#include "bgp/codec/family.hpp"
#include "lib/asn.hpp"
#include "lib/byte_writer.hpp"
#include "lib/ip_address.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

namespace attr_type {
inline constexpr uint8_t kOrigin = 1;
inline constexpr uint8_t kAsPath = 2;
inline constexpr uint8_t kNextHop = 3;
inline constexpr uint8_t kMultiExitDisc = 4;
inline constexpr uint8_t kLocalPref = 5;
inline constexpr uint8_t kAtomicAggregate = 6;
inline constexpr uint8_t kAggregator = 7;
inline constexpr uint8_t kCommunities = 8;
inline constexpr uint8_t kOriginatorId = 9;
inline constexpr uint8_t kClusterList = 10;
inline constexpr uint8_t kMpReachNlri = 14;
inline constexpr uint8_t kMpUnreachNlri = 15;
inline constexpr uint8_t kExtendedCommunities = 16;
inline constexpr uint8_t kAs4Path = 17;
inline constexpr uint8_t kAs4Aggregator = 18;
inline constexpr uint8_t kLargeCommunities = 32;
}  // namespace attr_type

namespace attr_flag {
inline constexpr uint8_t kOptional = 0x80;
inline constexpr uint8_t kTransitive = 0x40;
inline constexpr uint8_t kPartial = 0x20;
inline constexpr uint8_t kExtendedLength = 0x10;
}  // namespace attr_flag

enum class Origin : uint8_t { Igp = 0, Egp = 1, Incomplete = 2 };

struct Aggregator {
    Asn asn{0};
    Ipv4Address address;
    auto operator<=>(const Aggregator&) const = default;
};

// An optional transitive attribute we do not know, passed on with the partial bit.
struct UnknownAttribute {
    uint8_t flags = 0;  // as received
    uint8_t type = 0;
    std::vector<uint8_t> value;
    auto operator<=>(const UnknownAttribute&) const = default;
};

struct PathAttributes {
    std::optional<Origin> origin;
    std::optional<AsPath> as_path;  // AS4_PATH already merged in (4-octet ASNs)
    std::optional<Ipv4Address> next_hop;  // the NEXT_HOP attribute (IPv4 NLRI field only)
    std::optional<uint32_t> med;
    std::optional<uint32_t> local_pref;
    bool atomic_aggregate = false;
    std::optional<Aggregator> aggregator;  // AS4_AGGREGATOR already merged in
    std::vector<Community> communities;    // empty: attribute absent (an empty one is malformed)
    std::optional<RouterId> originator_id;
    std::vector<RouterId> cluster_list;
    std::vector<ExtendedCommunity> extended_communities;
    std::vector<LargeCommunity> large_communities;
    std::vector<UnknownAttribute> unknown;  // sorted by type

    auto operator<=>(const PathAttributes&) const = default;
    bool operator==(const PathAttributes&) const = default;
};

std::size_t hash_value(const PathAttributes& a);

// One attribute as framed in the UPDATE, for the per-attribute decoders.
struct RawAttribute {
    uint8_t flags = 0;
    uint8_t type = 0;
    std::span<const uint8_t> value;
    std::span<const uint8_t> whole;  // flags..value: the NOTIFICATION data for most attribute errors
    std::size_t offset = 0;          // of the flags octet in the message
};

// What RFC 7606 section 7 prescribes when attribute `type` is malformed.
ErrorAction malformed_action(uint8_t type);
// The optional and transitive bits a known attribute must carry; nullopt for unknown types.
std::optional<uint8_t> expected_flags(uint8_t type);

// Decodes the attributes of one UPDATE (except MP_REACH/MP_UNREACH) and holds
// AS4_PATH/AS4_AGGREGATOR until all are read (RFC 6793 4.2.3).
class AttributeDecoder {
public:
    explicit AttributeDecoder(const Context& ctx) : ctx_(ctx) {}
    // Flags already checked by the caller. An error means the attribute was not stored.
    Status<DecodeError> decode(const RawAttribute& a);
    PathAttributes finish() &&;

private:
    Status<DecodeError> decode_value(const RawAttribute& a);
    const Context& ctx_;
    PathAttributes attrs_;
    std::optional<AsPath> as4_path_;
    std::optional<Aggregator> as4_aggregator_;
};

// Writes one attribute, using the extended length only past 255 bytes.
void write_attribute(ByteWriter& w, uint8_t flags, uint8_t type, std::span<const uint8_t> value);
// All attributes but MP_REACH/MP_UNREACH, in type order; AS4_PATH and
// AS4_AGGREGATOR are produced for a 2-octet-AS peer (RFC 6793 4.2.2).
void encode_attributes(const PathAttributes& a, const Context& ctx, ByteWriter& w);

}  // namespace isthmus::bgp

template <>
struct std::hash<isthmus::bgp::PathAttributes> {
    std::size_t operator()(const isthmus::bgp::PathAttributes& a) const noexcept { return isthmus::bgp::hash_value(a); }
};
