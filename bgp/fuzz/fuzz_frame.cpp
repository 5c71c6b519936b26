// libFuzzer target: frame(). Input: context byte, then a receive buffer.
#include "bgp/codec/header.hpp"
#include "fuzz_common.hpp"

using namespace isthmus::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    auto ctx = fuzz::context_from(data[0]);
    std::span<const uint8_t> buf(data + 1, size - 1);
    auto h = frame(buf, ctx);
    if (h && *h) {
        fuzz::require(h->value().length >= kHeaderSize);
        fuzz::require(h->value().length <= ctx.max_message_size());
        fuzz::require(buf.size() >= kHeaderSize);
    }
    if (h && !*h) fuzz::require(buf.size() < kHeaderSize);
    return 0;
}
