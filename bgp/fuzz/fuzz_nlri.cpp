// libFuzzer target: decode_nlri(). Input: coding byte (bit 0 add-path, bit 1 labeled,
// bit 2 withdraw, bit 3 IPv6), then NLRI.
#include "bgp/codec/nlri.hpp"
#include "fuzz_common.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

namespace {

template <class Prefix>
void check(std::span<const uint8_t> in, NlriCoding coding) {
    std::vector<BasicNlri<Prefix>> out;
    if (!decode_nlri(ByteReader(in), coding, out)) return;
    ByteWriter w;
    for (auto& n : out) {
        fuzz::require(encode_nlri(n, coding, w));
    }
    std::vector<BasicNlri<Prefix>> again;
    fuzz::require(decode_nlri(ByteReader(w.data()), coding, again).ok() && again == out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    NlriCoding coding{bool(data[0] & 1), bool(data[0] & 2), bool(data[0] & 4)};
    std::span<const uint8_t> in(data + 1, size - 1);
    if (data[0] & 8)
        check<Ipv6Prefix>(in, coding);
    else
        check<Ipv4Prefix>(in, coding);
    return 0;
}
