#include "mp_reach.hpp"

#include "lib/byte_reader.hpp"

namespace isthmus::bgp {

namespace {

DecodeError mp_error(const RawAttribute& a, ErrorAction action, std::optional<AfiSafi> as, std::size_t offset,
                     std::string reason) {
    auto e = make_error(ErrorCode::UpdateMessage, update_error::kOptionalAttributeError, action, offset,
                        "attribute " + std::to_string(a.type) + ": " + std::move(reason),
                        {a.whole.begin(), a.whole.end()});
    e.afi_safi = as;
    return e;
}

// AFI and SAFI; an unknown pair is dropped with an AttributeDiscard error.
Result<Family, DecodeError> read_family(const RawAttribute& a, ByteReader& r) {
    if (r.remaining() < 3)
        return err(mp_error(a, ErrorAction::SessionReset, std::nullopt, a.offset, "too short for AFI/SAFI"));
    uint16_t afi = *r.u16();
    AfiSafi as{afi, *r.u8()};
    auto f = family_of(as);
    if (!f)
        return err(mp_error(a, ErrorAction::AttributeDiscard, as, a.offset, "unsupported AFI/SAFI " + as.to_string()));
    return *f;
}

template <class M>
Status<DecodeError> decode_nlri_into(const RawAttribute& a, ByteReader r, Family f, NlriCoding coding, M& out) {
    auto s = is_ipv6(f) ? decode_nlri(r, coding, out.v6) : decode_nlri(r, coding, out.v4);
    if (!s)
        return err(mp_error(a, ErrorAction::AfiSafiDisable, afi_safi_of(f), s.error().offset, s.error().reason));
    return ok_unit;
}

template <class M>
void encode_nlri_list(const M& m, NlriCoding coding, ByteWriter& w, bool& ok) {
    if (is_ipv6(m.family))
        for (auto& n : m.v6) ok = encode_nlri(n, coding, w) && ok;
    else
        for (auto& n : m.v4) ok = encode_nlri(n, coding, w) && ok;
}

}  // namespace

NlriCoding nlri_coding(Family f, const Context& ctx, bool withdraw) {
    return {ctx.has_add_path(f), is_labeled(f), withdraw};
}

Result<std::optional<MpReach>, DecodeError> decode_mp_reach(const RawAttribute& a, const Context& ctx) {
    ByteReader r(a.value, a.offset + (a.whole.size() - a.value.size()));
    auto f = read_family(a, r);
    if (!f) return err(f.error());
    AfiSafi as = afi_safi_of(*f);
    std::size_t nh_at = r.offset();
    auto nh_len = r.u8();
    if (!nh_len) return err(mp_error(a, ErrorAction::AfiSafiDisable, as, nh_at, "next hop length missing"));
    auto nh_bytes = r.bytes(*nh_len);
    if (!nh_bytes) return err(mp_error(a, ErrorAction::AfiSafiDisable, as, nh_at, "next hop runs past the attribute"));
    auto nh = decode_next_hop(*f, *nh_bytes, ctx);
    if (!nh) return err(mp_error(a, ErrorAction::AfiSafiDisable, as, nh_at, nh.error()));
    if (!r.u8()) return err(mp_error(a, ErrorAction::AfiSafiDisable, as, r.offset(), "reserved octet missing"));
    MpReach m{*f, *nh, {}, {}};
    if (auto s = decode_nlri_into(a, r, *f, nlri_coding(*f, ctx, false), m); !s) return err(s.error());
    return std::optional<MpReach>(std::move(m));
}

Result<std::optional<MpUnreach>, DecodeError> decode_mp_unreach(const RawAttribute& a, const Context& ctx) {
    ByteReader r(a.value, a.offset + (a.whole.size() - a.value.size()));
    auto f = read_family(a, r);
    if (!f) return err(f.error());
    MpUnreach m{*f, {}, {}};
    if (auto s = decode_nlri_into(a, r, *f, nlri_coding(*f, ctx, true), m); !s) return err(s.error());
    return std::optional<MpUnreach>(std::move(m));
}

std::size_t mp_reach_base_length(const MpReach& r) {
    std::size_t nh = 4;
    if (std::holds_alternative<MappedNextHop>(r.next_hop)) nh = 16;
    if (auto* v6 = std::get_if<Ipv6NextHop>(&r.next_hop)) nh = v6->link_local ? 32 : 16;
    return 2 + 1 + 1 + nh + 1;
}

Status<EncodeError> encode(const MpReach& m, const Context& ctx, ByteWriter& w) {
    ByteWriter v;
    AfiSafi as = afi_safi_of(m.family);
    v.u16(as.afi);
    v.u8(as.safi);
    if (!encode_next_hop(m.family, m.next_hop, ctx, v))
        return err(EncodeError{"next hop " + to_string(m.next_hop) + " does not suit AFI/SAFI " + as.to_string()});
    v.u8(0);
    bool ok = true;
    encode_nlri_list(m, nlri_coding(m.family, ctx, false), v, ok);
    if (!ok) return err(EncodeError{"labels and prefix longer than 255 bits"});
    if (v.size() > 0xffff) return err(EncodeError{"MP_REACH_NLRI longer than 65535 bytes"});
    write_attribute(w, attr_flag::kOptional, attr_type::kMpReachNlri, v.data());
    return ok_unit;
}

Status<EncodeError> encode(const MpUnreach& m, const Context& ctx, ByteWriter& w) {
    ByteWriter v;
    AfiSafi as = afi_safi_of(m.family);
    v.u16(as.afi);
    v.u8(as.safi);
    bool ok = true;
    encode_nlri_list(m, nlri_coding(m.family, ctx, true), v, ok);
    if (v.size() > 0xffff) return err(EncodeError{"MP_UNREACH_NLRI longer than 65535 bytes"});
    write_attribute(w, attr_flag::kOptional, attr_type::kMpUnreachNlri, v.data());
    return ok_unit;
}

}  // namespace isthmus::bgp
