#pragma once
// Helpers for the LDP codec tests: hex text -> bytes, bytes -> hex, and
// decoding a single message from its bytes.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hex.hpp"
#include "ldp/codec/message.hpp"
#include "ldp/codec/pdu.hpp"

namespace isthmus::ldp::test {

using isthmus::test_hex::hex;
// LDP tests compare hex without spaces.
inline std::string to_hex(std::span<const uint8_t> b) { return isthmus::test_hex::to_hex(b, 0); }

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
