#pragma once
// Appends one netlink request to a byte buffer: header, family header, attributes, nests.
// Positions are kept as offsets, not pointers, so the buffer may grow while a message is built;
// several messages appended to one buffer form a batch for one sendmsg.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace isthmus::netlink {

class MessageBuilder {
public:
    // Starts a message at the end of `out` with sequence number 0 (the transport numbers it).
    MessageBuilder(std::vector<uint8_t>& out, uint16_t type, uint16_t flags);
    MessageBuilder(const MessageBuilder&) = delete;
    MessageBuilder& operator=(const MessageBuilder&) = delete;

    // The fixed family header (nhmsg, rtmsg, rtnexthop), copied as bytes and padded to 4.
    void raw(const void* data, std::size_t len);
    template <class T>
    void header(const T& h) { raw(&h, sizeof h); }

    void attr(uint16_t type, const void* data, std::size_t len);
    void attr_u16(uint16_t type, uint16_t v) { attr(type, &v, sizeof v); }
    void attr_u32(uint16_t type, uint32_t v) { attr(type, &v, sizeof v); }
    void attr_bytes(uint16_t type, std::span<const uint8_t> b) { attr(type, b.data(), b.size()); }

    // A nested attribute: everything added until end_nest() is inside it. `nested_flag` sets
    // NLA_F_NESTED, which strictly validated families (nexthop objects) require on real nests.
    std::size_t begin_nest(uint16_t type, bool nested_flag = true);
    void end_nest(std::size_t token);

    // A struct whose first u16 is its own length (rtnexthop in RTA_MULTIPATH): starts it here,
    // end_sized() writes the length covering everything added since.
    std::size_t begin_sized(const void* data, std::size_t len);
    void end_sized(std::size_t token);

    // Writes nlmsg_len; returns the whole message.
    std::span<const uint8_t> finish();

private:
    void pad();
    std::vector<uint8_t>& out_;
    std::size_t start_;
};

// Netlink's 4-byte alignment.
constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t(3); }

}  // namespace isthmus::netlink
