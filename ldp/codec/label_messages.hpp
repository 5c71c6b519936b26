#pragma once
// Label distribution messages (RFC 5036 3.5.7 - 3.5.11) and the Address /
// Address Withdraw messages (3.5.5, 3.5.6).
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/codec/address_list.hpp"
#include "ldp/codec/errors.hpp"
#include "ldp/codec/fec.hpp"
#include "ldp/codec/tlv.hpp"
#include "lib/asn.hpp"
#include "lib/mpls_label.hpp"

namespace isthmus::ldp {

struct Address {
    AddressList list;
    std::vector<UnknownTlv> unknown;
    bool operator==(const Address&) const = default;
};

struct AddressWithdraw {
    AddressList list;
    std::vector<UnknownTlv> unknown;
    bool operator==(const AddressWithdraw&) const = default;
};

struct LabelMapping {
    Fec fec;
    MplsLabel label = MplsLabel::implicit_null();
    std::optional<uint32_t> request_id;  // Label Request Message ID TLV
    std::optional<uint8_t> hop_count;
    std::optional<std::vector<RouterId>> path_vector;
    std::vector<UnknownTlv> unknown;
    bool operator==(const LabelMapping&) const = default;
};

struct LabelRequest {
    Fec fec;
    std::optional<uint8_t> hop_count;
    std::optional<std::vector<RouterId>> path_vector;
    std::vector<UnknownTlv> unknown;
    bool operator==(const LabelRequest&) const = default;
};

struct LabelWithdraw {
    Fec fec;
    std::optional<MplsLabel> label;  // absent: every label bound to the FEC
    std::vector<UnknownTlv> unknown;
    bool operator==(const LabelWithdraw&) const = default;
};

struct LabelRelease {
    Fec fec;
    std::optional<MplsLabel> label;
    std::vector<UnknownTlv> unknown;
    bool operator==(const LabelRelease&) const = default;
};

struct LabelAbortRequest {
    Fec fec;
    uint32_t request_id = 0;
    std::vector<UnknownTlv> unknown;
    bool operator==(const LabelAbortRequest&) const = default;
};

// Mandatory parameters in their RFC order, else Missing Message Parameters.
Result<Address, DecodeError> decode_address(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
Result<AddressWithdraw, DecodeError> decode_address_withdraw(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
Result<LabelMapping, DecodeError> decode_label_mapping(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
Result<LabelRequest, DecodeError> decode_label_request(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
Result<LabelWithdraw, DecodeError> decode_label_withdraw(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
Result<LabelRelease, DecodeError> decode_label_release(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
Result<LabelAbortRequest, DecodeError> decode_label_abort_request(const std::vector<RawTlv>& tlvs,
                                                                  std::size_t body_offset);

bool encode_body(const Address& m, ByteWriter& w);
bool encode_body(const AddressWithdraw& m, ByteWriter& w);
bool encode_body(const LabelMapping& m, ByteWriter& w);
bool encode_body(const LabelRequest& m, ByteWriter& w);
bool encode_body(const LabelWithdraw& m, ByteWriter& w);
bool encode_body(const LabelRelease& m, ByteWriter& w);
bool encode_body(const LabelAbortRequest& m, ByteWriter& w);

}  // namespace isthmus::ldp
