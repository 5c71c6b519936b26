#include "ldp/codec/describe.hpp"

#include <cstdio>
#include <string>

namespace isthmus::ldp {

namespace {

std::string fec_text(const Fec& fec) {
    std::string s;
    for (const auto& e : fec) s += (s.empty() ? "" : ",") + to_string(e);
    return s;
}

std::string unknown_text(const std::vector<UnknownTlv>& unknown) {
    std::string s;
    for (const auto& u : unknown) {
        char buf[48];
        std::snprintf(buf, sizeof buf, " tlv=0x%04x%s%s/%zu", unsigned(u.type), u.u_bit ? "U" : "", u.f_bit ? "F" : "",
                      u.value.size());
        s += buf;
    }
    return s;
}

std::string addresses_text(const AddressList& list) {
    std::string s;
    std::visit([&](const auto& v) { for (const auto& a : v) s += " " + a.to_string(); }, list.addresses);
    return s;
}

std::string describe_body(const Notification& n) {
    std::string s = " " + to_string(n.status.code) + (n.status.fatal ? " (fatal)" : "");
    if (n.status.message_id || n.status.message_type)
        s += " for " + std::string(message_name(n.status.message_type)) + " #" + std::to_string(n.status.message_id);
    if (n.fec) s += " fec=" + fec_text(*n.fec);
    return s + unknown_text(n.unknown);
}
std::string describe_body(const Hello& h) {
    std::string s = " hold=" + std::to_string(h.params.hold_time);
    if (h.params.targeted) s += " targeted";
    if (h.params.request_targeted) s += " request-targeted";
    if (h.params.gtsm) s += " gtsm";
    if (h.transport_v4) s += " transport=" + h.transport_v4->to_string();
    if (h.transport_v6) s += " transport=" + h.transport_v6->to_string();
    if (h.config_sequence) s += " seq=" + std::to_string(*h.config_sequence);
    return s + unknown_text(h.unknown);
}
std::string describe_body(const Initialization& m) {
    const auto& p = m.params;
    std::string s = " version=" + std::to_string(p.protocol_version) + " keepalive=" + std::to_string(p.keepalive_time) +
                    (p.downstream_on_demand ? " dod" : " du") + (p.loop_detection ? " loop-detection" : "") +
                    " max-pdu=" + std::to_string(p.max_pdu_length) + " receiver=" + p.receiver.to_string();
    for (const auto& c : m.capabilities) {
        char buf[24];
        std::snprintf(buf, sizeof buf, " cap=0x%04x%s", unsigned(c.type), c.state ? "" : "-off");
        s += buf;
    }
    if (m.ft) s += " ft-flags=" + std::to_string(m.ft->flags);
    return s + unknown_text(m.unknown);
}
std::string describe_body(const KeepAlive& m) { return unknown_text(m.unknown); }
std::string describe_body(const CapabilityMessage& m) {
    std::string s;
    for (const auto& c : m.capabilities) {
        char buf[24];
        std::snprintf(buf, sizeof buf, " cap=0x%04x%s", unsigned(c.type), c.state ? "" : "-off");
        s += buf;
    }
    return s + unknown_text(m.unknown);
}
std::string describe_body(const Address& m) { return addresses_text(m.list) + unknown_text(m.unknown); }
std::string describe_body(const AddressWithdraw& m) { return addresses_text(m.list) + unknown_text(m.unknown); }
std::string describe_body(const LabelMapping& m) {
    std::string s = " fec=" + fec_text(m.fec) + " label=" + m.label.to_string();
    if (m.request_id) s += " request=" + std::to_string(*m.request_id);
    if (m.hop_count) s += " hops=" + std::to_string(*m.hop_count);
    if (m.path_vector) s += " path-vector=" + std::to_string(m.path_vector->size());
    return s + unknown_text(m.unknown);
}
std::string describe_body(const LabelRequest& m) {
    std::string s = " fec=" + fec_text(m.fec);
    if (m.hop_count) s += " hops=" + std::to_string(*m.hop_count);
    return s + unknown_text(m.unknown);
}
std::string describe_body(const LabelWithdraw& m) {
    return " fec=" + fec_text(m.fec) + (m.label ? " label=" + m.label->to_string() : "") + unknown_text(m.unknown);
}
std::string describe_body(const LabelRelease& m) {
    return " fec=" + fec_text(m.fec) + (m.label ? " label=" + m.label->to_string() : "") + unknown_text(m.unknown);
}
std::string describe_body(const LabelAbortRequest& m) {
    return " fec=" + fec_text(m.fec) + " request=" + std::to_string(m.request_id) + unknown_text(m.unknown);
}
std::string describe_body(const UnknownMessage& m) {
    char buf[40];
    std::snprintf(buf, sizeof buf, " type=0x%04x/%zu", unsigned(m.type), m.body.size());
    return buf;
}

}  // namespace

std::string describe(const Message& m) {
    uint16_t type = message_type(m.body);
    return std::string(message_name(type)) + " #" + std::to_string(m.id) +
           std::visit([](const auto& b) { return describe_body(b); }, m.body);
}

}  // namespace isthmus::ldp
