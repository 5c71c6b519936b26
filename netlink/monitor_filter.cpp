#include "monitor_filter.hpp"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <bit>
#include <cstddef>

static_assert(sizeof(isthmus::netlink::FilterInstruction) == sizeof(sock_filter));

namespace isthmus::netlink {

std::vector<FilterInstruction> own_route_update_filter(uint8_t protocol) {
    // BPF loads are big-endian; netlink headers are in host order: compare a 16-bit field with
    // htons(value), and read a flag from the byte of nlmsg_flags that holds it.
    constexpr uint32_t type_at = offsetof(nlmsghdr, nlmsg_type);
    constexpr uint32_t flags_low_at = offsetof(nlmsghdr, nlmsg_flags) + (std::endian::native == std::endian::little ? 0 : 1);
    constexpr uint32_t protocol_at = NLMSG_HDRLEN + offsetof(rtmsg, rtm_protocol);
    static_assert(NLM_F_MULTI < 0x100, "NLM_F_MULTI sits in the low byte of nlmsg_flags");
    return {
        /* 0 */ {BPF_LD | BPF_H | BPF_ABS, 0, 0, type_at},
        /* 1 */ {BPF_JMP | BPF_JEQ | BPF_K, 0, 4, htons(RTM_NEWROUTE)},  // not a new route: keep
        /* 2 */ {BPF_LD | BPF_B | BPF_ABS, 0, 0, flags_low_at},
        /* 3 */ {BPF_JMP | BPF_JSET | BPF_K, 2, 0, NLM_F_MULTI},  // a dump part: keep
        /* 4 */ {BPF_LD | BPF_B | BPF_ABS, 0, 0, protocol_at},
        /* 5 */ {BPF_JMP | BPF_JEQ | BPF_K, 1, 0, protocol},  // ours: drop
        /* 6 */ {BPF_RET | BPF_K, 0, 0, 0xffffffff},
        /* 7 */ {BPF_RET | BPF_K, 0, 0, 0},
    };
}

long run_filter(std::span<const FilterInstruction> program, std::span<const uint8_t> packet) {
    uint32_t a = 0;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const auto& i = program[pc];
        switch (i.code) {
            case BPF_LD | BPF_H | BPF_ABS:
                if (std::size_t(i.k) + 2 > packet.size()) return 0;  // the kernel drops on a load past the end
                a = uint32_t(packet[i.k]) << 8 | packet[i.k + 1];
                break;
            case BPF_LD | BPF_B | BPF_ABS:
                if (std::size_t(i.k) + 1 > packet.size()) return 0;
                a = packet[i.k];
                break;
            case BPF_LD | BPF_W | BPF_ABS:
                if (std::size_t(i.k) + 4 > packet.size()) return 0;
                a = uint32_t(packet[i.k]) << 24 | uint32_t(packet[i.k + 1]) << 16 | uint32_t(packet[i.k + 2]) << 8 |
                    packet[i.k + 3];
                break;
            case BPF_JMP | BPF_JEQ | BPF_K: pc += a == i.k ? i.jt : i.jf; break;
            case BPF_JMP | BPF_JSET | BPF_K: pc += (a & i.k) ? i.jt : i.jf; break;
            case BPF_JMP | BPF_JA: pc += i.k; break;
            case BPF_RET | BPF_K: return i.k == 0xffffffff ? long(packet.size()) : long(std::min<std::size_t>(i.k, packet.size()));
            default: return -1;
        }
    }
    return -1;  // fell off the end: the kernel refuses such a program
}

}  // namespace isthmus::netlink
