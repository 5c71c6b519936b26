#include "ldp/codec/fec.hpp"

#include <string>

namespace isthmus::ldp {

namespace {

DecodeError fec_error(StatusCode s, std::size_t at, std::string what) { return decode_error(s, at, "FEC: " + what); }

template <class Addr>
Result<FecElement, DecodeError> read_prefix(ByteReader& r, std::size_t at) {
    auto len = r.u8();
    if (!len) return err(fec_error(StatusCode::BadTlvLength, at, "prefix element too short"));
    if (*len > Addr::kBits)
        return err(fec_error(StatusCode::MalformedTlvValue, at,
                             "prefix length " + std::to_string(*len) + " exceeds " + std::to_string(Addr::kBits)));
    std::size_t nbytes = (std::size_t(*len) + 7) / 8;
    auto b = r.bytes(nbytes);
    if (!b) return err(fec_error(StatusCode::BadTlvLength, at, "prefix runs past the TLV"));
    typename Addr::Bytes raw{};
    for (std::size_t i = 0; i < nbytes; ++i) raw[i] = (*b)[i];
    return FecElement(BasicPrefix<Addr>::make(Addr(raw), *len));
}

// RFC 5036 3.4.1 Prefix FEC element: type, family, length, prefix.
Result<FecElement, DecodeError> read_prefix_element(ByteReader& r, std::size_t at) {
    auto af = r.u16();
    if (!af) return err(fec_error(StatusCode::BadTlvLength, at, "prefix element too short"));
    if (*af == uint16_t(AddressFamily::Ipv4)) return read_prefix<Ipv4Address>(r, at);
    if (*af == uint16_t(AddressFamily::Ipv6)) return read_prefix<Ipv6Address>(r, at);
    return err(fec_error(StatusCode::UnsupportedAddressFamily, at, "address family " + std::to_string(*af)));
}

// RFC 5918 3: type, covered FEC type, length, type-specific data (the family for Prefix).
Result<FecElement, DecodeError> read_typed_wildcard(ByteReader& r, std::size_t at) {
    auto covered = r.u8();
    if (!covered) return err(fec_error(StatusCode::BadTlvLength, at, "typed wildcard element too short"));
    auto len = r.u8();
    if (!len) return err(fec_error(StatusCode::BadTlvLength, at, "typed wildcard element too short"));
    auto data = r.sub(*len);
    if (!data) return err(fec_error(StatusCode::BadTlvLength, at, "typed wildcard data runs past the TLV"));
    if (*covered != fec_element::kPrefix)
        return err(fec_error(StatusCode::UnknownFec, at,
                             "typed wildcard for unsupported FEC type " + std::to_string(*covered)));
    if (*len != 2)
        return err(fec_error(StatusCode::BadTlvLength, at,
                             "typed wildcard for Prefix FECs has data length " + std::to_string(*len)));
    uint16_t af = *data->u16();
    if (af != uint16_t(AddressFamily::Ipv4) && af != uint16_t(AddressFamily::Ipv6))
        return err(fec_error(StatusCode::UnsupportedAddressFamily, at, "address family " + std::to_string(af)));
    return FecElement(TypedWildcardFec{AddressFamily(af)});
}

template <class P>
void write_prefix(ByteWriter& w, AddressFamily af, const P& p) {
    w.u8(fec_element::kPrefix);
    w.u16(uint16_t(af));
    w.u8(uint8_t(p.length()));
    std::size_t nbytes = (std::size_t(p.length()) + 7) / 8;
    w.bytes(std::span<const uint8_t>(p.address().bytes().data(), nbytes));
}

}  // namespace

Result<Fec, DecodeError> decode_fec(const RawTlv& t) {
    if (t.value.empty()) return err(fec_error(StatusCode::BadTlvLength, t.offset, "empty FEC TLV"));
    ByteReader r(t.value, t.value_offset());
    Fec out;
    bool has_wildcard = false;
    while (!r.empty()) {
        std::size_t at = r.offset();
        uint8_t type = *r.u8();
        Result<FecElement, DecodeError> e = FecElement(WildcardFec{});
        switch (type) {
        case fec_element::kWildcard: break;
        case fec_element::kPrefix: e = read_prefix_element(r, at); break;
        case fec_element::kTypedWildcard: e = read_typed_wildcard(r, at); break;
        default:
            return err(fec_error(StatusCode::UnknownFec, at, "unknown FEC element type " + std::to_string(type)));
        }
        if (!e) return err(e.error());
        if (!std::holds_alternative<Ipv4Prefix>(*e) && !std::holds_alternative<Ipv6Prefix>(*e)) has_wildcard = true;
        out.push_back(std::move(*e));
    }
    // RFC 5036 3.4.1, RFC 5918 3: a (typed) wildcard element is the only element of its FEC TLV.
    if (has_wildcard && out.size() > 1)
        return err(fec_error(StatusCode::MalformedTlvValue, t.offset, "wildcard element is not alone in the FEC TLV"));
    return out;
}

bool encode_fec(const Fec& fec, ByteWriter& w) {
    auto m = begin_tlv(w, tlv_type::kFec);
    for (const auto& e : fec) {
        if (std::holds_alternative<WildcardFec>(e)) {
            w.u8(fec_element::kWildcard);
        } else if (auto* tw = std::get_if<TypedWildcardFec>(&e)) {
            w.u8(fec_element::kTypedWildcard);
            w.u8(fec_element::kPrefix);
            w.u8(2);
            w.u16(uint16_t(tw->family));
        } else if (auto* p4 = std::get_if<Ipv4Prefix>(&e)) {
            write_prefix(w, AddressFamily::Ipv4, *p4);
        } else {
            write_prefix(w, AddressFamily::Ipv6, std::get<Ipv6Prefix>(e));
        }
    }
    return end_tlv(w, m);
}

std::string to_string(const FecElement& e) {
    if (std::holds_alternative<WildcardFec>(e)) return "wildcard";
    if (auto* tw = std::get_if<TypedWildcardFec>(&e))
        return tw->family == AddressFamily::Ipv4 ? "typed-wildcard(ipv4 prefix)" : "typed-wildcard(ipv6 prefix)";
    if (auto* p4 = std::get_if<Ipv4Prefix>(&e)) return p4->to_string();
    return std::get<Ipv6Prefix>(e).to_string();
}

}  // namespace isthmus::ldp
