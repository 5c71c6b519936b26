#pragma once
// Community values: RFC 1997 communities, RFC 4360 extended and RFC 8092 large.
#include <array>
#include <compare>
#include <cstdint>
#include <string>

namespace isthmus::bgp {

struct Community {
    uint32_t value = 0;
    static constexpr Community make(uint16_t asn, uint16_t local) { return {uint32_t(asn) << 16 | local}; }
    static constexpr Community no_export() { return {0xFFFFFF01}; }
    static constexpr Community no_advertise() { return {0xFFFFFF02}; }
    static constexpr Community no_export_subconfed() { return {0xFFFFFF03}; }
    static constexpr Community graceful_shutdown() { return {0xFFFF0000}; }  // RFC 8326
    std::string to_string() const { return std::to_string(value >> 16) + ":" + std::to_string(value & 0xFFFF); }
    auto operator<=>(const Community&) const = default;
};

struct ExtendedCommunity {
    std::array<uint8_t, 8> bytes{};  // type, subtype and value as on the wire
    bool is_transitive() const { return (bytes[0] & 0x40) == 0; }
    auto operator<=>(const ExtendedCommunity&) const = default;
};

struct LargeCommunity {
    uint32_t global_admin = 0;
    uint32_t local1 = 0;
    uint32_t local2 = 0;
    std::string to_string() const {
        return std::to_string(global_admin) + ":" + std::to_string(local1) + ":" + std::to_string(local2);
    }
    auto operator<=>(const LargeCommunity&) const = default;
};

}  // namespace isthmus::bgp
