#pragma once
// Normalised IP prefixes: host bits are always zero, so equal networks compare
// equal and can key a RIB. One template serves both families.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "ip_address.hpp"

namespace isthmus {

template <class Addr>
class BasicPrefix {
public:
    static constexpr int kMaxLength = Addr::kBits;

    constexpr BasicPrefix() = default;
    // Clears host bits; lengths above the family's maximum are clamped by make().
    static BasicPrefix make(Addr addr, int length) {
        BasicPrefix p;
        p.len_ = uint8_t(length < 0 ? 0 : (length > kMaxLength ? kMaxLength : length));
        p.addr_ = mask(addr, p.len_);
        return p;
    }
    // "a/len"; host bits set in the text are cleared ("10.1.2.3/8" -> 10.0.0.0/8).
    static Result<BasicPrefix, std::string> parse(std::string_view text) { return parse_impl(text, false); }
    // Same, but host bits set are an error: what a config file wants.
    static Result<BasicPrefix, std::string> parse_strict(std::string_view text) { return parse_impl(text, true); }
    static BasicPrefix host(Addr addr) { return make(addr, kMaxLength); }

    const Addr& address() const { return addr_; }
    int length() const { return len_; }
    bool contains(const Addr& a) const { return mask(a, len_) == addr_; }
    bool contains(const BasicPrefix& p) const { return p.len_ >= len_ && contains(p.addr_); }
    std::string to_string() const { return addr_.to_string() + "/" + std::to_string(len_); }

    auto operator<=>(const BasicPrefix&) const = default;

private:
    static Addr mask(Addr a, int len) {
        auto& b = a.bytes();
        for (int i = 0; i < int(b.size()); ++i) {
            int keep = len - i * 8;
            if (keep >= 8) continue;
            b[i] = keep <= 0 ? 0 : uint8_t(b[i] & (0xff << (8 - keep)));
        }
        return a;
    }

    static Result<BasicPrefix, std::string> parse_impl(std::string_view text, bool strict) {
        auto quoted = "\"" + std::string(text) + "\"";
        auto slash = text.find('/');
        if (slash == std::string_view::npos) return err(quoted + " is not a prefix (missing /length)");
        auto addr = Addr::parse(text.substr(0, slash));
        if (!addr) return err(quoted + " is not a prefix: " + addr.error());
        auto len_text = text.substr(slash + 1);
        int len = -1;
        auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
        if (len_text.empty() || ec != std::errc() || end != len_text.data() + len_text.size() || len < 0 ||
            len > kMaxLength)
            return err(quoted + " has a bad prefix length (0.." + std::to_string(kMaxLength) + ")");
        auto p = make(*addr, len);
        if (strict && p.addr_ != *addr)
            return err(quoted + " has host bits set (did you mean " + p.to_string() + "?)");
        return p;
    }

    Addr addr_{};
    uint8_t len_ = 0;
};

using Ipv4Prefix = BasicPrefix<Ipv4Address>;
using Ipv6Prefix = BasicPrefix<Ipv6Address>;

}  // namespace isthmus

template <class A>
struct std::hash<isthmus::BasicPrefix<A>> {
    std::size_t operator()(const isthmus::BasicPrefix<A>& p) const noexcept {
        return std::hash<A>{}(p.address()) * 131 + std::size_t(p.length());
    }
};
