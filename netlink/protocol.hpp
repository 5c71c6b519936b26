#pragma once
// Identifiers shared by the whole kernel layer: our route protocol id, request kinds, object ids.
#include <compare>
#include <cstdint>
#include <string>

namespace isthmus::netlink {

// rtm_protocol / nh_protocol of everything isthmusd installs. 205 is free in iproute2's rt_protos,
// in the kernel's RTPROT_* list and in FRR's rt_protos.d (which ends at 197/198); netlink/
// rt_protos.d/isthmus.conf names it for `ip route`. The start-up sweep and the dumps rely on it:
// entries of any other protocol are never ours to change.
inline constexpr uint8_t kProtocolId = 205;

// What a request does to its entry. add fails if the entry exists (NLM_F_EXCL); replace creates
// or overwrites it atomically (what a reconciler wants); remove deletes it by its key.
enum class Op : uint8_t { add, replace, remove };
std::string to_string(Op op);  // "add", "replace", "delete"
// The netlink header flags for an op: add must not overwrite, replace may create.
uint16_t request_flags(Op op);

// An interface for messages: its name in this namespace, or "ifindex N" when it has none (gone).
std::string interface_text(uint32_t ifindex);

// Kernel nexthop object id (NHA_ID). 0 means "none" (the kernel would auto-assign, we never ask it to).
struct NexthopId {
    uint32_t value = 0;
    constexpr bool valid() const { return value != 0; }
    constexpr auto operator<=>(const NexthopId&) const = default;
};

}  // namespace isthmus::netlink
