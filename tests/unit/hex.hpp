#pragma once
// Hex text <-> bytes for the codec and netlink tests, which write wire bytes out as hex so every
// length, flag and field is visible in the test.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace isthmus::test_hex {

// Hex digits; whitespace, '|' separators and '#'-to-end-of-line comments are ignored.
inline std::vector<uint8_t> hex(std::string_view text) {
    std::vector<uint8_t> out;
    int half = -1;
    bool comment = false;
    for (char c : text) {
        if (comment) {
            comment = c != '\n';
            continue;
        }
        if (c == '#') {
            comment = true;
            continue;
        }
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0) {
            if (c == ' ' || c == '\n' || c == '\t' || c == '|' || c == '\r') continue;
            throw std::invalid_argument(std::string("bad hex character '") + c + "'");
        }
        if (half < 0) {
            half = v;
        } else {
            out.push_back(uint8_t(half << 4 | v));
            half = -1;
        }
    }
    if (half >= 0) throw std::invalid_argument("odd number of hex digits");
    return out;
}

// Lower-case hex, a space after every `group` bytes (0: no spaces).
inline std::string to_hex(std::span<const uint8_t> b, std::size_t group = 4) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (group && i && i % group == 0) s += ' ';
        s += digits[b[i] >> 4];
        s += digits[b[i] & 15];
    }
    return s;
}

}  // namespace isthmus::test_hex
