#pragma once
// Reading and writing attribute payloads. Decoding goes through libmnl's bounds-checked attribute
// walk into a table indexed by type; nothing is overlaid on memory that was not length-checked.
// Internal to netlink/: exposes kernel structs.
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/result.hpp"

namespace isthmus::netlink {

class Attrs {
public:
    static constexpr uint16_t kMaxType = 63;

    // The attributes after a message's family header of `family_len` bytes.
    static Result<Attrs, std::string> of_message(std::span<const uint8_t> msg, std::size_t family_len);
    // The attributes inside a nest or any attribute-bearing region.
    static Result<Attrs, std::string> of_payload(const void* data, std::size_t len);

    bool has(uint16_t type) const { return type <= kMaxType && table_[type] != nullptr; }
    std::span<const uint8_t> bytes(uint16_t type) const;  // empty when absent
    std::optional<uint16_t> u16(uint16_t type) const;
    std::optional<uint32_t> u32(uint16_t type) const;
    const nlattr* get(uint16_t type) const { return type <= kMaxType ? table_[type] : nullptr; }

private:
    static int store(const nlattr* a, void* self);
    std::array<const nlattr*, kMaxType + 1> table_{};
};

// The paths of an RTA_MULTIPATH payload, bounds-checked: f(const rtnexthop&, const Attrs&) per
// path, returning a Status; the first error (a bad length, trailing bytes, f's own) ends the walk.
template <class F>
Status<std::string> for_each_rtnexthop(std::span<const uint8_t> b, F&& f) {
    std::size_t off = 0;
    while (b.size() - off >= sizeof(rtnexthop)) {
        rtnexthop nh;
        std::memcpy(&nh, b.data() + off, sizeof nh);
        if (nh.rtnh_len < sizeof nh || nh.rtnh_len > b.size() - off)
            return err("bad rtnexthop length " + std::to_string(nh.rtnh_len));
        auto pa = Attrs::of_payload(b.data() + off + sizeof nh, nh.rtnh_len - sizeof nh);
        if (!pa) return err(pa.error());
        if (auto s = f(nh, *pa); !s) return s;
        off += RTNH_ALIGN(nh.rtnh_len);
        if (off >= b.size()) return ok_unit;
    }
    if (off < b.size()) return err(std::string("trailing bytes in RTA_MULTIPATH"));
    return ok_unit;
}

// A message's header, checked to fit the bytes given.
Result<const nlmsghdr*, std::string> message_header(std::span<const uint8_t> msg);

// MPLS label stack entries (RFC 3032), network order, bottom-of-stack bit on the last:
// the format of RTA_DST/RTA_NEWDST for AF_MPLS and MPLS_IPTUNNEL_DST. TTL and TC are 0.
std::vector<uint8_t> encode_label_stack(const LabelStack& labels);
Result<LabelStack, std::string> decode_label_stack(std::span<const uint8_t> bytes);

// Fixed-size address payloads.
Result<Ipv6Address, std::string> decode_ipv6(std::span<const uint8_t> bytes);
Result<Ipv4Address, std::string> decode_ipv4(std::span<const uint8_t> bytes);

}  // namespace isthmus::netlink
