#include "attributes.hpp"

#include <cstring>

namespace isthmus::netlink {

int Attrs::store(const nlattr* a, void* self) {
    auto type = mnl_attr_get_type(a);  // NLA_F_NESTED / NLA_F_NET_BYTEORDER masked off
    if (type <= kMaxType) static_cast<Attrs*>(self)->table_[type] = a;
    return MNL_CB_OK;
}

Result<Attrs, std::string> Attrs::of_payload(const void* data, std::size_t len) {
    // libmnl's walk stops quietly at an attribute that overruns the region; we want to know.
    Attrs t;
    auto begin = static_cast<const uint8_t*>(data);
    auto a = static_cast<const nlattr*>(data);
    std::size_t left = len;
    while (left > 0 && mnl_attr_ok(a, int(left))) {
        store(a, &t);
        a = mnl_attr_next(a);
        auto used = std::size_t(reinterpret_cast<const uint8_t*>(a) - begin);
        left = used >= len ? 0 : len - used;
    }
    if (left != 0) return err("malformed attribute at byte " + std::to_string(len - left) + " of " + std::to_string(len));
    return t;
}

Result<Attrs, std::string> Attrs::of_message(std::span<const uint8_t> msg, std::size_t family_len) {
    auto h = message_header(msg);
    if (!h) return err(h.error());
    if ((*h)->nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(family_len))
        return err("message too short for its family header (" + std::to_string((*h)->nlmsg_len) + " bytes)");
    auto off = NLMSG_HDRLEN + NLMSG_ALIGN(family_len);
    return of_payload(msg.data() + off, (*h)->nlmsg_len - off);
}

std::span<const uint8_t> Attrs::bytes(uint16_t type) const {
    auto a = get(type);
    if (!a) return {};
    return {static_cast<const uint8_t*>(mnl_attr_get_payload(a)), mnl_attr_get_payload_len(a)};
}

std::optional<uint16_t> Attrs::u16(uint16_t type) const {
    auto b = bytes(type);
    if (b.size() != 2) return std::nullopt;
    uint16_t v;
    std::memcpy(&v, b.data(), 2);
    return v;
}

std::optional<uint32_t> Attrs::u32(uint16_t type) const {
    auto b = bytes(type);
    if (b.size() != 4) return std::nullopt;
    uint32_t v;
    std::memcpy(&v, b.data(), 4);
    return v;
}

Result<const nlmsghdr*, std::string> message_header(std::span<const uint8_t> msg) {
    if (msg.size() < NLMSG_HDRLEN) return err(std::string("message shorter than a netlink header"));
    auto h = reinterpret_cast<const nlmsghdr*>(msg.data());
    if (!mnl_nlmsg_ok(h, int(msg.size())))
        return err("message length " + std::to_string(h->nlmsg_len) + " does not fit " +
                   std::to_string(msg.size()) + " bytes");
    return h;
}

std::vector<uint8_t> encode_label_stack(const LabelStack& labels) {
    std::vector<uint8_t> out;
    out.reserve(labels.size() * 4);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        uint32_t entry = labels[i].value() << 12 | (i + 1 == labels.size() ? 1u << 8 : 0u);
        out.push_back(uint8_t(entry >> 24));
        out.push_back(uint8_t(entry >> 16));
        out.push_back(uint8_t(entry >> 8));
        out.push_back(uint8_t(entry));
    }
    return out;
}

Result<LabelStack, std::string> decode_label_stack(std::span<const uint8_t> bytes) {
    if (bytes.empty() || bytes.size() % 4 != 0)
        return err("label stack of " + std::to_string(bytes.size()) + " bytes (want a multiple of 4)");
    LabelStack s;
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
        uint32_t entry = uint32_t(bytes[i]) << 24 | uint32_t(bytes[i + 1]) << 16 | uint32_t(bytes[i + 2]) << 8 |
                         bytes[i + 3];
        if (!s.push_back(*MplsLabel::from_value(entry >> 12)))
            return err(std::string("label stack deeper than 8"));
    }
    return s;
}

Result<Ipv6Address, std::string> decode_ipv6(std::span<const uint8_t> bytes) {
    if (bytes.size() != 16) return err("IPv6 address of " + std::to_string(bytes.size()) + " bytes");
    Ipv6Address::Bytes b;
    std::memcpy(b.data(), bytes.data(), 16);
    return Ipv6Address(b);
}

Result<Ipv4Address, std::string> decode_ipv4(std::span<const uint8_t> bytes) {
    if (bytes.size() != 4) return err("IPv4 address of " + std::to_string(bytes.size()) + " bytes");
    Ipv4Address::Bytes b;
    std::memcpy(b.data(), bytes.data(), 4);
    return Ipv4Address(b);
}

}  // namespace isthmus::netlink
