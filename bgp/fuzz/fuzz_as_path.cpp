// libFuzzer target: decode_as_path(). Input: byte (bit 0: 2-octet ASNs), then the attribute value.
#include <algorithm>

#include "bgp/codec/as_path.hpp"
#include "fuzz_common.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    std::size_t as_size = data[0] & 1 ? 2 : 4;
    std::span<const uint8_t> in(data + 1, size - 1);
    auto p = decode_as_path(ByteReader(in), as_size);
    if (!p) return 0;
    ByteWriter w;
    encode_as_path(*p, as_size, w);
    // Segments decoded are at most 255 long, so the encoding is the input itself.
    fuzz::require(std::equal(w.data().begin(), w.data().end(), in.begin(), in.end()));
    return 0;
}
