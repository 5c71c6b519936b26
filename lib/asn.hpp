#pragma once
// Autonomous system numbers (4-octet, RFC 6793) and BGP/LDP router ids.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ip_address.hpp"
#include "result.hpp"

namespace isthmus {

class Asn {
public:
    static constexpr uint32_t kTrans = 23456;  // AS_TRANS, RFC 6793

    constexpr explicit Asn(uint32_t v) : v_(v) {}
    // "65001" (asplain) or "1.10" (asdot, RFC 5396).
    static Result<Asn, std::string> parse(std::string_view text);

    constexpr uint32_t value() const { return v_; }
    constexpr bool is_four_octet() const { return v_ > 0xFFFF; }
    // What a 2-octet speaker sees in place of this ASN.
    constexpr uint16_t as_two_octet() const { return is_four_octet() ? uint16_t(kTrans) : uint16_t(v_); }
    // RFC 6996 private ranges.
    constexpr bool is_private() const {
        return (v_ >= 64512 && v_ <= 65534) || (v_ >= 4200000000u && v_ <= 4294967294u);
    }
    std::string to_string() const { return std::to_string(v_); }

    constexpr auto operator<=>(const Asn&) const = default;

private:
    uint32_t v_;
};

// A 32-bit identifier written as an IPv4 address; zero is not a valid id.
class RouterId {
public:
    constexpr explicit RouterId(uint32_t v) : v_(v) {}
    static Result<RouterId, std::string> parse(std::string_view text);
    static constexpr RouterId from_address(Ipv4Address a) { return RouterId(a.to_uint()); }

    constexpr uint32_t value() const { return v_; }
    constexpr Ipv4Address to_address() const { return Ipv4Address::from_uint(v_); }
    std::string to_string() const { return to_address().to_string(); }

    constexpr auto operator<=>(const RouterId&) const = default;

private:
    uint32_t v_;
};

}  // namespace isthmus
