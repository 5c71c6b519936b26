#include "ldp/codec/hello.hpp"

#include "ldp/codec/label_tlvs.hpp"

namespace isthmus::ldp {

namespace {

Result<CommonHelloParams, DecodeError> decode_common_hello(const RawTlv& t) {
    if (auto s = expect_length(t, 4, "Common Hello Parameters"); !s) return err(s.error());
    ByteReader r(t.value);
    CommonHelloParams p;
    p.hold_time = *r.u16();
    uint16_t flags = *r.u16();
    p.targeted = flags & kHelloTargetedBit;
    p.request_targeted = flags & kHelloRequestTargetedBit;
    p.gtsm = flags & kHelloGtsmBit;
    return p;
}

template <class Addr>
Result<Addr, DecodeError> decode_address_value(const RawTlv& t, const char* name) {
    if (auto s = expect_length(t, sizeof(typename Addr::Bytes), name); !s) return err(s.error());
    typename Addr::Bytes b{};
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = t.value[i];
    return Addr(b);
}

}  // namespace

// RFC 5036 3.5.2: the Common Hello Parameters TLV comes first.
Result<Hello, DecodeError> decode_hello(const std::vector<RawTlv>& tlvs, std::size_t body_offset) {
    if (tlvs.empty() || tlvs[0].type != tlv_type::kCommonHelloParams)
        return err(decode_error(StatusCode::MissingMessageParameters, tlvs.empty() ? body_offset : tlvs[0].offset,
                                "Hello without Common Hello Parameters first"));
    Hello h;
    auto p = decode_common_hello(tlvs[0]);
    if (!p) return err(p.error());
    h.params = *p;
    // A repeated optional TLV is ignored, as the first one counts.
    for (std::size_t i = 1; i < tlvs.size(); ++i) {
        const RawTlv& t = tlvs[i];
        if (t.type == tlv_type::kIpv4TransportAddress) {
            if (h.transport_v4) continue;
            auto a = decode_address_value<Ipv4Address>(t, "IPv4 Transport Address");
            if (!a) return err(a.error());
            h.transport_v4 = *a;
        } else if (t.type == tlv_type::kIpv6TransportAddress) {
            if (h.transport_v6) continue;
            auto a = decode_address_value<Ipv6Address>(t, "IPv6 Transport Address");
            if (!a) return err(a.error());
            h.transport_v6 = *a;
        } else if (t.type == tlv_type::kConfigSequenceNumber) {
            if (h.config_sequence) continue;
            auto v = decode_u32_value(t, "Configuration Sequence Number");
            if (!v) return err(v.error());
            h.config_sequence = *v;
        } else if (auto s = keep_unknown(t, h.unknown); !s) {
            return err(s.error());
        }
    }
    return h;
}

bool encode_hello(const Hello& h, ByteWriter& w) {
    w.u16(tlv_type::kCommonHelloParams);
    w.u16(4);
    w.u16(h.params.hold_time);
    w.u16(uint16_t((h.params.targeted ? kHelloTargetedBit : 0) | (h.params.request_targeted ? kHelloRequestTargetedBit : 0) |
                   (h.params.gtsm ? kHelloGtsmBit : 0)));
    if (h.transport_v4) {
        w.u16(tlv_type::kIpv4TransportAddress);
        w.u16(4);
        w.bytes(h.transport_v4->bytes());
    }
    if (h.transport_v6) {
        w.u16(tlv_type::kIpv6TransportAddress);
        w.u16(16);
        w.bytes(h.transport_v6->bytes());
    }
    if (h.config_sequence) encode_u32_tlv(w, tlv_type::kConfigSequenceNumber, *h.config_sequence);
    bool ok = true;
    for (const auto& u : h.unknown) ok = encode_unknown(u, w) && ok;
    return ok;
}

}  // namespace isthmus::ldp
