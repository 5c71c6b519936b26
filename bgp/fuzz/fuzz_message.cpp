// libFuzzer target: decode() of one whole message. Input: context byte, then the message.
#include "bgp/codec/message.hpp"
#include "fuzz_common.hpp"

using namespace isthmus::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    auto ctx = fuzz::context_from(data[0]);
    auto m = decode(std::span<const uint8_t>(data + 1, size - 1), ctx);
    if (!m) return 0;
    auto b1 = encode(*m, ctx);
    if (!b1) return 0;  // e.g. AS4_PATH added for a 2-octet peer no longer fits
    auto m2 = decode(*b1, ctx);
    fuzz::require(m2.ok());
    auto b2 = encode(*m2, ctx);
    fuzz::require(b2.ok() && *b2 == *b1);
    return 0;
}
