// libFuzzer target: decode_message() over one message without a PDU header; a
// fatal error aside, the reader must end after the message, and what decodes
// must re-encode to a fixed point.
#include <cstdlib>

#include "ldp/codec/message.hpp"

using namespace isthmus;
using namespace isthmus::ldp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ByteReader r(std::span<const uint8_t>(data, size));
    while (!r.empty()) {
        std::size_t before = r.remaining();
        auto m = decode_message(r);
        if (!m) {
            if (m.error().fatal) return 0;
            if (r.remaining() >= before) std::abort();
            continue;
        }
        ByteWriter w;
        if (!encode_message(*m, w)) std::abort();
        ByteReader again_r(w.data());
        auto again = decode_message(again_r);
        if (!again || !again_r.empty() || !(*again == *m)) std::abort();
    }
    return 0;
}
