#pragma once
// Byte helpers for the netlink/ unit tests: messages are written out as hex so every length,
// flag and attribute is visible in the test. Netlink headers are host order (little-endian here).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hex.hpp"

namespace isthmus::netlink::test {

using isthmus::test_hex::hex;
using isthmus::test_hex::to_hex;

}  // namespace isthmus::netlink::test
