#include "as_path.hpp"

namespace isthmus::bgp {

namespace {

bool is_confed(AsPathSegment::Type t) {
    return t == AsPathSegment::Type::ConfedSequence || t == AsPathSegment::Type::ConfedSet;
}

std::size_t count(const AsPathSegment& s) {
    if (is_confed(s.type)) return 0;
    return s.type == AsPathSegment::Type::Set ? 1 : s.asns.size();
}

}  // namespace

std::size_t AsPath::length() const {
    std::size_t n = 0;
    for (auto& s : segments) n += count(s);
    return n;
}

bool AsPath::has_as_zero() const {
    for (const auto& seg : segments)
        for (auto asn : seg.asns)
            if (asn.value() == 0) return true;
    return false;
}

bool AsPath::needs_four_octets() const {
    for (auto& s : segments)
        for (auto a : s.asns)
            if (a.is_four_octet()) return true;
    return false;
}

std::string AsPath::to_string() const {
    std::string out;
    for (auto& s : segments) {
        if (!out.empty()) out += ' ';
        const char* open = s.type == AsPathSegment::Type::Set         ? "{"
                           : s.type == AsPathSegment::Type::ConfedSet ? "[" : s.type == AsPathSegment::Type::ConfedSequence ? "(" : "";
        const char* close = s.type == AsPathSegment::Type::Set         ? "}"
                            : s.type == AsPathSegment::Type::ConfedSet ? "]" : s.type == AsPathSegment::Type::ConfedSequence ? ")" : "";
        out += open;
        for (std::size_t i = 0; i < s.asns.size(); ++i) {
            if (i) out += ' ';
            out += s.asns[i].to_string();
        }
        out += close;
    }
    return out;
}

Result<AsPath, std::string> decode_as_path(ByteReader r, std::size_t as_size) {
    AsPath path;
    while (!r.empty()) {
        if (r.remaining() < 2) return err(std::string("a lone octet after the last segment"));
        uint8_t type = *r.u8();
        uint8_t n = *r.u8();
        if (type < 1 || type > 4) return err("unknown segment type " + std::to_string(type));
        if (n == 0) return err(std::string("segment of length zero"));
        if (r.remaining() < n * as_size) return err(std::string("segment runs past the attribute"));
        AsPathSegment seg{AsPathSegment::Type(type), {}};
        seg.asns.reserve(n);
        for (int i = 0; i < n; ++i) seg.asns.emplace_back(as_size == 4 ? *r.u32() : uint32_t(*r.u16()));
        path.segments.push_back(std::move(seg));
    }
    return path;
}

void encode_as_path(const AsPath& path, std::size_t as_size, ByteWriter& w) {
    for (auto& s : path.segments) {
        for (std::size_t from = 0; from < s.asns.size(); from += 255) {
            std::size_t n = std::min<std::size_t>(255, s.asns.size() - from);
            w.u8(uint8_t(s.type));
            w.u8(uint8_t(n));
            for (std::size_t i = from; i < from + n; ++i) {
                if (as_size == 4)
                    w.u32(s.asns[i].value());
                else
                    w.u16(s.asns[i].as_two_octet());
            }
        }
    }
}

AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path) {
    std::size_t have = as_path.length();
    std::size_t have4 = as4_path.length();
    if (have < have4) return as_path;  // RFC 6793 4.2.3: AS4_PATH is ignored
    std::size_t keep = have - have4;   // leading ASNs of AS_PATH that AS4_PATH does not cover
    AsPath out;
    for (auto& s : as_path.segments) {
        if (keep == 0 && !is_confed(s.type)) break;
        if (is_confed(s.type) || count(s) <= keep) {
            out.segments.push_back(s);
            keep -= count(s);
            continue;
        }
        AsPathSegment part{s.type, {s.asns.begin(), s.asns.begin() + std::ptrdiff_t(keep)}};
        out.segments.push_back(std::move(part));
        keep = 0;
        break;
    }
    for (auto& s : as4_path.segments) {
        // Join the split sequence back into one segment.
        if (!out.segments.empty() && out.segments.back().type == AsPathSegment::Type::Sequence &&
            s.type == AsPathSegment::Type::Sequence && &s == &as4_path.segments.front()) {
            auto& back = out.segments.back().asns;
            back.insert(back.end(), s.asns.begin(), s.asns.end());
        } else {
            out.segments.push_back(s);
        }
    }
    return out;
}

AsPath as4_path_of(const AsPath& path) {
    AsPath out;
    for (auto& s : path.segments)
        if (!is_confed(s.type)) out.segments.push_back(s);
    return out;
}

}  // namespace isthmus::bgp
