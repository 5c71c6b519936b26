#include "mpls_label.hpp"

#include <charconv>
#include <stdexcept>

namespace isthmus {

MplsLabel MplsLabel::checked(uint32_t v) {
    auto l = from_value(v);
    if (!l) throw std::out_of_range("MPLS label " + std::to_string(v) + " does not fit in 20 bits");
    return *l;
}

Result<MplsLabel, std::string> MplsLabel::parse(std::string_view text) {
    if (text == "implicit-null") return implicit_null();
    if (text == "ipv6-explicit-null") return ipv6_explicit_null();
    if (text == "ipv4-explicit-null") return ipv4_explicit_null();
    uint32_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return err("\"" + std::string(text) + "\" is not an MPLS label");
    auto l = from_value(v);
    if (!l) return err("MPLS label " + std::string(text) + " is larger than 1048575 (20 bits)");
    return *l;
}

std::string MplsLabel::to_string() const {
    switch (v_) {
        case 0: return "ipv4-explicit-null";
        case 1: return "router-alert";
        case 2: return "ipv6-explicit-null";
        case 3: return "implicit-null";
        default: return std::to_string(v_);
    }
}

LabelStack::LabelStack(std::initializer_list<MplsLabel> labels) {
    for (auto l : labels)
        if (!push_back(l)) throw std::length_error("label stack deeper than 8");
}

bool LabelStack::push_back(MplsLabel l) {
    if (size_ == kCapacity) return false;
    labels_[size_++] = l.value();
    return true;
}

Result<LabelStack, std::string> LabelStack::parse(std::string_view text) {
    LabelStack s;
    while (true) {
        auto slash = text.find('/');
        auto l = MplsLabel::parse(text.substr(0, slash));
        if (!l) return err(l.error());
        if (!s.push_back(*l)) return err(std::string("label stack deeper than 8"));
        if (slash == std::string_view::npos) return s;
        text.remove_prefix(slash + 1);
    }
}

std::string LabelStack::to_string() const {
    std::string out;
    for (std::size_t i = 0; i < size_; ++i) {
        if (i) out += '/';
        out += std::to_string(labels_[i]);
    }
    return out;
}

bool LabelStack::operator==(const LabelStack& o) const {
    if (size_ != o.size_) return false;
    for (std::size_t i = 0; i < size_; ++i)
        if (labels_[i] != o.labels_[i]) return false;
    return true;
}

}  // namespace isthmus
