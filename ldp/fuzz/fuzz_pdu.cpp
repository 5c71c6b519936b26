// libFuzzer target: split_pdus() + decode_pdu() over a receive buffer. Whatever
// decodes must re-encode, and the re-encoding must decode to the same value.
#include <cstdlib>

#include "ldp/codec/pdu.hpp"

using namespace isthmus;
using namespace isthmus::ldp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> in(data, size);
    auto framed = split_pdus(in, {});
    if (!framed) return 0;
    for (auto bytes : framed->pdus) {
        auto pdu = decode_pdu(bytes);
        if (!pdu) continue;
        for (const auto& m : pdu->messages) {
            if (!m) continue;
            ByteWriter w;
            if (!encode_message(*m, w)) std::abort();
            ByteReader r(w.data());
            auto again = decode_message(r);
            if (!again || !r.empty() || !(*again == *m)) std::abort();
        }
    }
    return 0;
}
