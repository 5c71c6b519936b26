#pragma once
// Byte helpers for the netlink/ unit tests: messages are written out as hex so every length,
// flag and attribute is visible in the test. Netlink headers are host order (little-endian here).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace isthmus::netlink::test {

inline std::vector<uint8_t> hex(std::string_view text) {
    std::vector<uint8_t> out;
    int nibble = -1;
    for (char c : text) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) continue;  // spaces, newlines, '|' separators
        if (nibble < 0) {
            nibble = v;
        } else {
            out.push_back(uint8_t(nibble << 4 | v));
            nibble = -1;
        }
    }
    return out;
}

inline std::string to_hex(std::span<const uint8_t> b) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i && i % 4 == 0) s += ' ';
        s += digits[b[i] >> 4];
        s += digits[b[i] & 15];
    }
    return s;
}

}  // namespace isthmus::netlink::test
