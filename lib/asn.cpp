#include "asn.hpp"

#include <charconv>

namespace isthmus {

namespace {

bool parse_uint(std::string_view t, uint64_t max, uint64_t& out) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return !t.empty() && ec == std::errc() && end == t.data() + t.size() && out <= max;
}

}  // namespace

Result<Asn, std::string> Asn::parse(std::string_view text) {
    auto bad = [&] { return err("\"" + std::string(text) + "\" is not an AS number (1..4294967295 or asdot x.y)"); };
    uint64_t v = 0;
    if (auto dot = text.find('.'); dot != std::string_view::npos) {
        uint64_t hi = 0, lo = 0;
        if (!parse_uint(text.substr(0, dot), 0xFFFF, hi) || !parse_uint(text.substr(dot + 1), 0xFFFF, lo))
            return bad();
        v = hi << 16 | lo;
    } else if (!parse_uint(text, 0xFFFFFFFFu, v)) {
        return bad();
    }
    if (v == 0) return err(std::string("AS number 0 is reserved (RFC 7607)"));
    return Asn(uint32_t(v));
}

Result<RouterId, std::string> RouterId::parse(std::string_view text) {
    auto a = Ipv4Address::parse(text);
    if (!a) return err("\"" + std::string(text) + "\" is not a router id (dotted quad)");
    if (a->is_unspecified()) return err(std::string("router id 0.0.0.0 is not allowed"));
    return from_address(*a);
}

}  // namespace isthmus
