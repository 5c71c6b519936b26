#pragma once
// Helpers for the BGP codec tests: hex text <-> bytes, message framing, vector files.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace isthmus::bgp::test {

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
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i && i % 4 == 0) s += ' ';
        s += digits[b[i] >> 4];
        s += digits[b[i] & 15];
    }
    return s;
}

// Marker, length and type in front of a body.
inline std::vector<uint8_t> message(uint8_t type, const std::vector<uint8_t>& body) {
    std::vector<uint8_t> m(16, 0xff);
    std::size_t len = 19 + body.size();
    m.push_back(uint8_t(len >> 8));
    m.push_back(uint8_t(len));
    m.push_back(type);
    m.insert(m.end(), body.begin(), body.end());
    return m;
}

inline std::string data_path(const std::string& name) {
    return std::string(ISTHMUS_SOURCE_DIR) + "/tests/unit/data/bgp/" + name;
}

inline std::string read_text(const std::string& name) {
    std::ifstream in(data_path(name));
    if (!in) throw std::runtime_error("cannot open " + data_path(name));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A vector file: one whole message in hex, with comments.
inline std::vector<uint8_t> load_vector(const std::string& name) { return hex(read_text(name)); }

}  // namespace isthmus::bgp::test
