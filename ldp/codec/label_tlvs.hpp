#pragma once
// Small TLVs of the label messages (RFC 5036 3.4.2, 3.4.3, 3.4.4, 3.5.7):
// Generic Label, Hop Count, Path Vector, Label Request Message ID.
#include <cstdint>
#include <vector>

#include "ldp/codec/errors.hpp"
#include "ldp/codec/tlv.hpp"
#include "lib/asn.hpp"
#include "lib/mpls_label.hpp"

namespace isthmus::ldp {

// 4 bytes, 20-bit label right-aligned; Malformed TLV Value when it does not fit 20 bits.
Result<MplsLabel, DecodeError> decode_generic_label(const RawTlv& t);
void encode_generic_label(MplsLabel label, ByteWriter& w);

// 1 byte; 0 means unknown hop count.
Result<uint8_t, DecodeError> decode_hop_count(const RawTlv& t);
void encode_hop_count(uint8_t hops, ByteWriter& w);

// One or more 4-byte LSR ids, nearest first.
Result<std::vector<RouterId>, DecodeError> decode_path_vector(const RawTlv& t);
bool encode_path_vector(const std::vector<RouterId>& path, ByteWriter& w);

// 4-byte message id of a Label Request.
Result<uint32_t, DecodeError> decode_u32_value(const RawTlv& t, const char* name);

}  // namespace isthmus::ldp
