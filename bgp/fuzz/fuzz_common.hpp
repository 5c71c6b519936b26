#pragma once
// Shared by the libFuzzer targets: a context chosen by the input's first byte,
// and the re-encoding check (what decodes must re-encode to a fixed point).
#include <cstdint>
#include <cstdlib>
#include <span>

#include "bgp/codec/family.hpp"

namespace isthmus::bgp::fuzz {

// bit 0: 2-octet AS, bit 1: extended message, bit 2: add-path everywhere,
// bit 3: extended next hop everywhere, bit 4: external peer.
inline Context context_from(uint8_t b) {
    Context ctx;
    ctx.four_octet_as = !(b & 1);
    ctx.extended_message = b & 2;
    if (b & 4) ctx.add_path.fill(true);
    if (b & 8) ctx.extended_next_hop.fill(true);
    if (b & 16) ctx.peer = PeerKind::External;
    return ctx;
}

inline void require(bool ok) {
    if (!ok) std::abort();
}

}  // namespace isthmus::bgp::fuzz
