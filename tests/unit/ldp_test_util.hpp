#pragma once
// Helpers for the LDP codec tests: hex text -> bytes, bytes -> hex, and
// decoding a single message from its bytes.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ldp/codec/message.hpp"
#include "ldp/codec/pdu.hpp"

namespace isthmus::ldp::test {

// Hex digits; whitespace, '|' and '#'-to-end-of-line comments are ignored.
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

inline std::string to_hex(const std::vector<uint8_t>& b) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (uint8_t x : b) {
        s += digits[x >> 4];
        s += digits[x & 15];
    }
    return s;
}

// Decodes bytes holding exactly one message.
inline Result<Message, DecodeError> decode_one(const std::vector<uint8_t>& bytes) {
    ByteReader r(bytes);
    auto m = decode_message(r);
    if (m && !r.empty()) throw std::logic_error("bytes left after the message");
    return m;
}

inline std::vector<uint8_t> encode_one(const Message& m) {
    ByteWriter w;
    auto s = encode_message(m, w);
    if (!s) throw std::logic_error(s.error().detail);
    return w.take();
}

}  // namespace isthmus::ldp::test
