// Value parsers shared by several sections.
#include <cctype>
#include <charconv>

#include "sections.hpp"

namespace isthmus::config::detail {

namespace {

// Whole-string unsigned parse; false on junk, overflow or a value above max.
bool parse_u32(std::string_view t, uint32_t max, uint32_t& out) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return !t.empty() && ec == std::errc() && end == t.data() + t.size() && out <= max;
}

}  // namespace

std::optional<Asn> parse_asn(const Node& n) {
    const auto& j = n.json();
    if (j.is_number_integer()) {
        if (j.is_number_unsigned() && j.get<uint64_t>() == 0) {
            n.error("AS number 0 is reserved (RFC 7607)");
        } else if (j.is_number_unsigned() && j.get<uint64_t>() <= 0xFFFFFFFFu) {
            return Asn(uint32_t(j.get<uint64_t>()));
        } else {
            n.error(j.dump() + " is not an AS number (1..4294967295)");
        }
        return std::nullopt;
    }
    if (j.is_string()) return n.parsed(Asn::parse);
    n.error("expected an AS number (integer or \"asdot\" string), got " + describe(j));
    return std::nullopt;
}

std::optional<std::string> parse_interface_name(const Node& n) {
    auto s = n.text();
    if (!s) return std::nullopt;
    // The kernel's dev_valid_name(): 1..IFNAMSIZ-1 bytes, not "." or "..", no '/', ':' or space.
    bool ok = !s->empty() && s->size() <= 15 && *s != "." && *s != "..";
    for (unsigned char c : *s)
        if (c == '/' || c == ':' || std::isspace(c)) ok = false;
    if (ok) return s;
    n.error(quote(*s) + " is not an interface name (1-15 characters, no '/', ':' or whitespace)");
    return std::nullopt;
}

std::optional<std::string> parse_password(const Node& n) {
    if (!n.json().is_string()) {
        n.error("expected a string");  // without the value: it is a secret
        return std::nullopt;
    }
    auto s = n.json().get<std::string>();
    if (s.empty()) {
        n.error("must not be empty (leave the key out for no password)");
        return std::nullopt;
    }
    if (s.size() > 80) {  // TCP_MD5SIG_MAXKEYLEN
        n.error("is longer than 80 bytes, the TCP-MD5 key limit");
        return std::nullopt;
    }
    return s;
}

bool check_name(const Node& where, std::string_view name, std::string_view what) {
    bool ok = !name.empty() && name.size() <= 63 && std::isalnum(static_cast<unsigned char>(name[0]));
    for (unsigned char c : name)
        if (!std::isalnum(c) && c != '-' && c != '_') ok = false;
    if (!ok)
        where.error(quote(name) + " is not a valid " + std::string(what) +
                    " name (letters, digits, '-' and '_', starting with a letter or digit, at most 63)");
    return ok;
}

std::optional<Community> parse_community(const Node& n) {
    auto s = n.text();
    if (!s) return std::nullopt;
    if (*s == "no-export") return Community{Community::kNoExport};
    if (*s == "no-advertise") return Community{Community::kNoAdvertise};
    if (*s == "no-export-subconfed") return Community{Community::kNoExportSubconfed};
    if (*s == "graceful-shutdown") return Community{Community::kGracefulShutdown};
    auto colon = s->find(':');
    uint32_t hi = 0, lo = 0;
    if (colon != std::string::npos && parse_u32(std::string_view(*s).substr(0, colon), 0xFFFF, hi) &&
        parse_u32(std::string_view(*s).substr(colon + 1), 0xFFFF, lo))
        return Community{hi << 16 | lo};
    n.error(quote(*s) +
            " is not a community (A:B with 0..65535 each, no-export, no-advertise, no-export-subconfed or "
            "graceful-shutdown)");
    return std::nullopt;
}

std::optional<LargeCommunity> parse_large_community(const Node& n) {
    auto s = n.text();
    if (!s) return std::nullopt;
    std::string_view t(*s);
    auto c1 = t.find(':');
    auto c2 = c1 == std::string_view::npos ? c1 : t.find(':', c1 + 1);
    LargeCommunity lc;
    if (c2 != std::string_view::npos && parse_u32(t.substr(0, c1), 0xFFFFFFFFu, lc.global_admin) &&
        parse_u32(t.substr(c1 + 1, c2 - c1 - 1), 0xFFFFFFFFu, lc.local1) &&
        parse_u32(t.substr(c2 + 1), 0xFFFFFFFFu, lc.local2))
        return lc;
    n.error(quote(*s) + " is not a large community (A:B:C with 0..4294967295 each)");
    return std::nullopt;
}

std::optional<std::string> parse_policy_ref(const Node& n) {
    auto s = n.text();
    if (s) n.ctx().policy_refs.push_back({n.path(), *s});
    return s;
}

}  // namespace isthmus::config::detail
