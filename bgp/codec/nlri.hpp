#pragma once
// NLRI encodings: IPv4/IPv6 unicast (RFC 4271 4.3, RFC 4760), labeled unicast
// (RFC 8277: label stack ended by the bottom-of-stack bit), and add-path
// identifiers (RFC 7911). Prefixes are normalised on the way in.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp {

template <class Prefix>
struct BasicNlri {
    Prefix prefix;
    uint32_t path_id = 0;  // RFC 7911; 0 when add-path is not negotiated
    LabelStack labels;     // labeled families only, outer first; empty in withdrawals
    auto operator<=>(const BasicNlri&) const = default;
    bool operator==(const BasicNlri&) const = default;
};
using Ipv4Nlri = BasicNlri<Ipv4Prefix>;
using Ipv6Nlri = BasicNlri<Ipv6Prefix>;

struct NlriCoding {
    bool add_path = false;
    bool labeled = false;
    bool withdraw = false;  // labeled withdrawals carry one 3-byte field whose value is ignored (RFC 8277 2.4)
};

// RFC 8277 2.4: what we put in the label field of a labeled withdrawal.
inline constexpr uint32_t kWithdrawLabelField = 0x800000;

struct NlriError {
    std::size_t offset;
    std::string reason;
};

// Decodes NLRI until the reader is empty, appending to out.
template <class Prefix>
Status<NlriError> decode_nlri(ByteReader r, NlriCoding coding, std::vector<BasicNlri<Prefix>>& out);

template <class Prefix>
std::size_t encoded_size(const BasicNlri<Prefix>& n, NlriCoding coding);
// Bottom-of-stack is set on the last label; an empty stack on an announcement is coded as
// implicit null. False (nothing written) when labels and prefix exceed the 255-bit length octet.
template <class Prefix>
bool encode_nlri(const BasicNlri<Prefix>& n, NlriCoding coding, ByteWriter& w);

}  // namespace isthmus::bgp
