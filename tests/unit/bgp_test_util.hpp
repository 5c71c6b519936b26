#pragma once
// Helpers for the BGP codec tests: hex text <-> bytes, message framing, vector files.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hex.hpp"

namespace isthmus::bgp::test {

using isthmus::test_hex::hex;
using isthmus::test_hex::to_hex;

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
    return std::string(ISTHMUS_SOURCE_DIR) + "/tests/data/bgp/" + name;
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
