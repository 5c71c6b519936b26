#include "errors.hpp"

namespace isthmus::bgp {

const char* to_string(ErrorAction a) {
    switch (a) {
        case ErrorAction::AttributeDiscard: return "attribute-discard";
        case ErrorAction::TreatAsWithdraw: return "treat-as-withdraw";
        case ErrorAction::AfiSafiDisable: return "afi-safi-disable";
        case ErrorAction::SessionReset: return "session-reset";
    }
    return "?";
}

std::string DecodeError::to_string() const {
    // Appends rather than operator+ chains: GCC 12 -O2 warns falsely (-Wrestrict) on those.
    std::string s = "error ";
    s += std::to_string(int(code));
    s += '/';
    s += std::to_string(subcode);
    s += " (";
    s += bgp::to_string(action);
    if (afi_safi) {
        s += ' ';
        s += afi_safi->to_string();
    }
    s += ") at byte ";
    s += std::to_string(offset);
    s += ": ";
    s += reason;
    return s;
}

DecodeError make_error(ErrorCode code, uint8_t subcode, ErrorAction action, std::size_t offset, std::string reason,
                       std::vector<uint8_t> data) {
    DecodeError e;
    e.code = code;
    e.subcode = subcode;
    e.action = action;
    e.offset = offset;
    e.reason = std::move(reason);
    e.data = std::move(data);
    return e;
}

DecodeError truncated(const ReadError& e, ErrorCode code, uint8_t subcode, ErrorAction action, std::string what) {
    return make_error(code, subcode, action, e.offset, what + ": " + e.to_string());
}

}  // namespace isthmus::bgp
