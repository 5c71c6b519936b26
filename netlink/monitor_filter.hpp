#pragma once
// The classic BPF program the monitor attaches to its socket (SO_ATTACH_FILTER). It drops
// RTM_NEWROUTE notifications of our own protocol: the kernel runs socket filters before queueing a
// broadcast, so the flood of per-route announcements that one nexthop replace causes in compat mode 1
// (KERNEL.md section 4) never reaches the receive buffer. It keeps everything else: RTM_DELROUTE of
// our routes (someone deleted one: drift), other protocols' routes, and dump replies (NLM_F_MULTI),
// whose first message may well be one of our routes.
#include <cstdint>
#include <span>
#include <vector>

namespace isthmus::netlink {

// Same layout as the kernel's struct sock_filter.
struct FilterInstruction {
    uint16_t code;
    uint8_t jt;
    uint8_t jf;
    uint32_t k;
};

std::vector<FilterInstruction> own_route_update_filter(uint8_t protocol);

// Runs a classic BPF program over a packet the way the kernel does for a socket filter (only the
// instructions our programs use: absolute loads, jumps, returns). The result is the number of
// bytes kept: 0 drops the packet. For tests; an instruction outside that subset, or a program
// that runs off its end, gives -1.
long run_filter(std::span<const FilterInstruction> program, std::span<const uint8_t> packet);

}  // namespace isthmus::netlink
