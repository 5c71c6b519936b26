#pragma once
// AS_PATH and AS4_PATH (RFC 4271 4.3, RFC 5065 confederations, RFC 6793 4-octet
// ASNs). Values always hold 4-octet ASNs; the 2-octet wire form and the AS4_PATH
// merge/split are coding details.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/asn.hpp"
#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

struct AsPathSegment {
    enum class Type : uint8_t { Set = 1, Sequence = 2, ConfedSequence = 3, ConfedSet = 4 };
    Type type = Type::Sequence;
    std::vector<Asn> asns;
    auto operator<=>(const AsPathSegment&) const = default;
};

struct AsPath {
    std::vector<AsPathSegment> segments;

    // RFC 4271 9.1.2.2 a: a set counts as one, confederation segments not at all.
    std::size_t length() const;
    bool needs_four_octets() const;  // any ASN above 65535
    bool has_as_zero() const;        // RFC 7607: AS 0 makes a path malformed
    std::string to_string() const;   // "65001 {65002 65003} (65010)"
    auto operator<=>(const AsPath&) const = default;
};

// RFC 7606 7.2: an unknown segment type, a zero-length segment, an overrun or a
// lone trailing octet make the path malformed. as_size is 2 or 4.
Result<AsPath, std::string> decode_as_path(ByteReader r, std::size_t as_size);
// Segments longer than 255 ASNs are split. With as_size 2, ASNs above 65535 become AS_TRANS.
void encode_as_path(const AsPath& path, std::size_t as_size, ByteWriter& w);

// RFC 6793 4.2.3: rebuild the path a 2-octet peer's AS_PATH + AS4_PATH stand for.
AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path);
// RFC 6793 4.2.2: what to send as AS4_PATH to a 2-octet peer (no confederation segments).
AsPath as4_path_of(const AsPath& path);

}  // namespace isthmus::bgp
