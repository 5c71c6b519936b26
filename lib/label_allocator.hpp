#pragma once
// The one MPLS label allocator (DECISIONS.md item 1). daemon/ owns it and hands each protocol a
// client handle; bgp/ and ldp/ never pick label values themselves.
//
// Released labels are reused last (FIFO, after the never-used part of the range is spent): a label
// just withdrawn may still be in a peer's tables or in flight, and giving it at once to another FEC
// would misroute that traffic.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "lib/config/types.hpp"
#include "lib/mpls_label.hpp"
#include "lib/result.hpp"

namespace isthmus {

enum class LabelClient { ldp, bgp, recirculation };
std::string_view label_client_name(LabelClient c);

class LabelAllocator {
public:
    explicit LabelAllocator(const config::LabelRanges& ranges = {});

    // A free label from the client's range; nullopt when the range is exhausted.
    std::optional<MplsLabel> allocate(LabelClient c);
    // Takes a specific label (e.g. one found in the kernel at a graceful restart). Fails when it is
    // outside the client's range or already taken.
    Status<std::string> reserve(LabelClient c, MplsLabel l);
    // Gives a label back; false when it was not allocated to this client (a bug in the caller).
    bool release(LabelClient c, MplsLabel l);

    bool in_use(LabelClient c, MplsLabel l) const;
    std::size_t used(LabelClient c) const;
    config::LabelRange range(LabelClient c) const;

    // A reload may change the ranges. Labels in use outside the new range stay valid until released
    // (the routes using them are re-labelled by their owners); they are never handed out again.
    void set_ranges(const config::LabelRanges& ranges);

private:
    // One bit per 20-bit label value (128 KiB per client): O(1) for every operation at full-table
    // scale, and labels left outside a range changed by a reload are still known.
    struct Pool {
        config::LabelRange range{config::label_constant(16), config::label_constant(16)};
        uint32_t next_fresh = 0;        // lowest value of the range never handed out since the last reset
        std::deque<uint32_t> released;  // reused oldest first
        std::vector<bool> used = std::vector<bool>(MplsLabel::kMaxValue + 1);
        std::size_t used_count = 0;
        void reset(const config::LabelRange& r);
        void take(uint32_t v) { used[v] = true; ++used_count; }
    };
    Pool& pool(LabelClient c) { return pools_[static_cast<int>(c)]; }
    const Pool& pool(LabelClient c) const { return pools_[static_cast<int>(c)]; }

    Pool pools_[3];
};

}  // namespace isthmus
