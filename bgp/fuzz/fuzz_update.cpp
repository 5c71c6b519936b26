// libFuzzer target: decode_update(). Input: context byte, then an UPDATE body.
#include "bgp/codec/header.hpp"
#include "bgp/codec/update.hpp"
#include "fuzz_common.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    auto ctx = fuzz::context_from(data[0]);
    auto u = decode_update(ByteReader(std::span<const uint8_t>(data + 1, size - 1), kHeaderSize), ctx);
    if (!u) return 0;
    ByteWriter w1;
    if (!encode(*u, ctx, w1)) return 0;
    auto u2 = decode_update(ByteReader(std::span<const uint8_t>(w1.data()).subspan(kHeaderSize), kHeaderSize), ctx);
    fuzz::require(u2.ok());
    ByteWriter w2;
    fuzz::require(encode(*u2, ctx, w2).ok() && w2.data() == w1.data());
    return 0;
}
