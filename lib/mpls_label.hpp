#pragma once
// MPLS labels (RFC 3032): 20-bit values, 0-15 reserved. Never a raw uint32_t.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "result.hpp"

namespace isthmus {

class MplsLabel {
public:
    static constexpr uint32_t kMaxValue = 0xFFFFF;
    static constexpr uint32_t kFirstUnreserved = 16;

    // Checked construction: nullopt when the value does not fit 20 bits.
    static constexpr std::optional<MplsLabel> from_value(uint32_t v) {
        if (v > kMaxValue) return std::nullopt;
        return MplsLabel(v);
    }
    // For constants and config already validated; throws std::out_of_range otherwise.
    static MplsLabel checked(uint32_t v);
    static Result<MplsLabel, std::string> parse(std::string_view text);

    static constexpr MplsLabel ipv4_explicit_null() { return MplsLabel(0); }
    static constexpr MplsLabel router_alert() { return MplsLabel(1); }
    static constexpr MplsLabel ipv6_explicit_null() { return MplsLabel(2); }
    static constexpr MplsLabel implicit_null() { return MplsLabel(3); }

    constexpr uint32_t value() const { return v_; }
    constexpr bool is_reserved() const { return v_ < kFirstUnreserved; }
    constexpr bool is_implicit_null() const { return v_ == 3; }
    constexpr bool is_explicit_null() const { return v_ == 0 || v_ == 2; }
    // Name of a reserved value ("ipv6-explicit-null") or the number.
    std::string to_string() const;

    constexpr auto operator<=>(const MplsLabel&) const = default;

private:
    friend class LabelStack;
    constexpr explicit MplsLabel(uint32_t v) : v_(v) {}
    uint32_t v_;
};

// A label stack, outer (top) label first, as pushed on the wire and as
// iproute2 prints it ("200/2"). Small and fixed-capacity: 6PE needs two or three.
class LabelStack {
public:
    static constexpr std::size_t kCapacity = 8;

    LabelStack() = default;
    LabelStack(std::initializer_list<MplsLabel> labels);
    static Result<LabelStack, std::string> parse(std::string_view text);  // "200/2"

    bool push_back(MplsLabel l);  // appends towards the bottom; false when full
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    MplsLabel operator[](std::size_t i) const { return MplsLabel(labels_[i]); }
    MplsLabel top() const { return (*this)[0]; }
    MplsLabel bottom() const { return (*this)[size_ - 1]; }

    // Yields labels by value, outer first.
    class Iterator {
    public:
        Iterator(const LabelStack* s, std::size_t i) : s_(s), i_(i) {}
        MplsLabel operator*() const { return (*s_)[i_]; }
        Iterator& operator++() { ++i_; return *this; }
        bool operator==(const Iterator&) const = default;

    private:
        const LabelStack* s_;
        std::size_t i_;
    };
    Iterator begin() const { return {this, 0}; }
    Iterator end() const { return {this, size_}; }
    std::string to_string() const;  // numbers joined by '/'

    bool operator==(const LabelStack& o) const;
    auto operator<=>(const LabelStack& o) const;

private:
    std::array<uint32_t, kCapacity> labels_{};  // validated on the way in
    std::size_t size_ = 0;
};

inline auto LabelStack::operator<=>(const LabelStack& o) const {
    for (std::size_t i = 0; i < size_ && i < o.size_; ++i)
        if (auto c = labels_[i] <=> o.labels_[i]; c != 0) return c;
    return size_ <=> o.size_;
}

}  // namespace isthmus
