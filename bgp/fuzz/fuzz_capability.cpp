// libFuzzer target: decode_capability() over a capabilities parameter value.
#include "bgp/codec/capabilities.hpp"
#include "fuzz_common.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ByteReader r(std::span<const uint8_t>(data, size));
    while (!r.empty()) {
        auto c = decode_capability(r);
        if (!c) return 0;
        ByteWriter w;
        if (!encode_capability(*c, w)) continue;
        ByteReader again(w.data());
        auto c2 = decode_capability(again);
        fuzz::require(c2.ok() && *c2 == *c && again.empty());
    }
    return 0;
}
