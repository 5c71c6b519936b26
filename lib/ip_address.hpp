#pragma once
// IPv4 and IPv6 addresses as byte arrays in network order, plus the
// IPv4-mapped IPv6 form (::ffff:a.b.c.d) that 6PE next hops use (RFC 4798).
#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "result.hpp"

namespace isthmus {

class Ipv4Address {
public:
    static constexpr int kBits = 32;
    using Bytes = std::array<uint8_t, 4>;

    constexpr Ipv4Address() = default;
    constexpr explicit Ipv4Address(Bytes b) : b_(b) {}
    static constexpr Ipv4Address from_uint(uint32_t host_order) {
        return Ipv4Address(Bytes{uint8_t(host_order >> 24), uint8_t(host_order >> 16), uint8_t(host_order >> 8),
                                 uint8_t(host_order)});
    }
    static Result<Ipv4Address, std::string> parse(std::string_view text);

    constexpr const Bytes& bytes() const { return b_; }
    constexpr Bytes& bytes() { return b_; }
    constexpr uint32_t to_uint() const {
        return uint32_t(b_[0]) << 24 | uint32_t(b_[1]) << 16 | uint32_t(b_[2]) << 8 | b_[3];
    }
    constexpr bool is_unspecified() const { return to_uint() == 0; }
    std::string to_string() const;

    constexpr auto operator<=>(const Ipv4Address&) const = default;

private:
    Bytes b_{};
};

class Ipv6Address {
public:
    static constexpr int kBits = 128;
    using Bytes = std::array<uint8_t, 16>;

    constexpr Ipv6Address() = default;
    constexpr explicit Ipv6Address(Bytes b) : b_(b) {}
    static Result<Ipv6Address, std::string> parse(std::string_view text);

    // ::ffff:a.b.c.d
    static Ipv6Address v4_mapped(Ipv4Address v4);
    bool is_v4_mapped() const;
    // The embedded IPv4 address of a v4-mapped address, nullopt for any other.
    std::optional<Ipv4Address> to_v4() const;
    bool is_link_local() const { return b_[0] == 0xfe && (b_[1] & 0xc0) == 0x80; }
    bool is_unspecified() const { return *this == Ipv6Address(); }

    constexpr const Bytes& bytes() const { return b_; }
    constexpr Bytes& bytes() { return b_; }
    std::string to_string() const;  // RFC 5952 text, mapped form as ::ffff:a.b.c.d

    constexpr auto operator<=>(const Ipv6Address&) const = default;

private:
    Bytes b_{};
};

// Either family, for places (config, next hops) that take both.
class IpAddress {
public:
    IpAddress(Ipv4Address a) : v_(a) {}
    IpAddress(Ipv6Address a) : v_(a) {}
    static Result<IpAddress, std::string> parse(std::string_view text);

    bool is_v4() const { return v_.index() == 0; }
    bool is_v6() const { return v_.index() == 1; }
    const Ipv4Address& v4() const { return std::get<0>(v_); }
    const Ipv6Address& v6() const { return std::get<1>(v_); }
    std::string to_string() const;

    auto operator<=>(const IpAddress&) const = default;

private:
    std::variant<Ipv4Address, Ipv6Address> v_;
};

template <class A>
struct AddressHash {
    std::size_t operator()(const A& a) const noexcept {
        std::size_t h = 1469598103934665603ull;  // FNV-1a
        for (uint8_t byte : a.bytes()) h = (h ^ byte) * 1099511628211ull;
        return h;
    }
};

}  // namespace isthmus

template <>
struct std::hash<isthmus::Ipv4Address> : isthmus::AddressHash<isthmus::Ipv4Address> {};
template <>
struct std::hash<isthmus::Ipv6Address> : isthmus::AddressHash<isthmus::Ipv6Address> {};
