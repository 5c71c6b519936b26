#pragma once
// The Initialization message (RFC 5036 3.5.3): Common Session Parameters, then
// optional capability TLVs (RFC 5561) and the FT Session TLV (RFC 3479, used
// by graceful restart, RFC 3478).
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/codec/capabilities.hpp"
#include "ldp/codec/errors.hpp"
#include "ldp/codec/ldp_id.hpp"
#include "ldp/codec/tlv.hpp"

namespace isthmus::ldp {

inline constexpr uint8_t kSessionAdvertisementBit = 0x80;    // A: downstream on demand
inline constexpr uint8_t kSessionLoopDetectionBit = 0x40;    // D

struct CommonSessionParams {
    uint16_t protocol_version = 1;
    uint16_t keepalive_time = 180;      // seconds
    bool downstream_on_demand = false;  // A (0 = downstream unsolicited)
    bool loop_detection = false;        // D
    uint8_t path_vector_limit = 0;      // PVLim
    uint16_t max_pdu_length = 0;        // 255 or less means 4096 (RFC 5036 3.5.3)
    LdpId receiver;                     // the LDP identifier the sender believes we have
    bool operator==(const CommonSessionParams&) const = default;
};

// RFC 3479 2.2 FT Flags.
namespace ft_flag {
inline constexpr uint16_t kReconnect = 0x8000;  // R
inline constexpr uint16_t kSaveState = 0x0008;  // S
inline constexpr uint16_t kAll = 0x0004;        // A
inline constexpr uint16_t kCheckpoint = 0x0002; // C
inline constexpr uint16_t kLearn = 0x0001;      // L: graceful restart (RFC 3478) sets only this
}  // namespace ft_flag

struct FtSessionParams {
    uint16_t flags = ft_flag::kLearn;
    uint32_t reconnect_timeout_ms = 0;
    uint32_t recovery_time_ms = 0;
    bool operator==(const FtSessionParams&) const = default;
};

struct Initialization {
    CommonSessionParams params;
    std::vector<Capability> capabilities;
    std::optional<FtSessionParams> ft;
    // Kept whatever their U bit (see CapabilityMessage): ATM/Frame Relay session
    // parameters, unknown capabilities.
    std::vector<UnknownTlv> unknown;
    bool operator==(const Initialization&) const = default;
};

// RFC 5036 3.5.3: the session's maximum PDU length is the smaller of both
// proposals, where 255 or less stands for 4096.
uint16_t session_max_pdu_length(uint16_t ours, uint16_t theirs);

Result<Initialization, DecodeError> decode_initialization(const std::vector<RawTlv>& tlvs, std::size_t body_offset);
bool encode_initialization(const Initialization& m, ByteWriter& w);

}  // namespace isthmus::ldp
