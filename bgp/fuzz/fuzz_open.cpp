// libFuzzer target: decode_open(). Input: an OPEN body (after the header).
#include "bgp/codec/header.hpp"
#include "bgp/codec/open.hpp"
#include "fuzz_common.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto o = decode_open(ByteReader(std::span<const uint8_t>(data, size), kHeaderSize));
    if (!o) return 0;
    ByteWriter w;
    if (!encode(*o, w)) return 0;
    auto again = decode_open(ByteReader(std::span<const uint8_t>(w.data()).subspan(kHeaderSize), kHeaderSize));
    fuzz::require(again.ok() && *again == *o);
    return 0;
}
