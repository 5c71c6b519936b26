#include "ldp/codec/address_list.hpp"

#include <string>

namespace isthmus::ldp {

namespace {

template <class Addr>
Result<AddressList, DecodeError> read_addresses(ByteReader& r, const RawTlv& t) {
    constexpr std::size_t size = sizeof(typename Addr::Bytes);
    if (r.remaining() % size != 0)
        return err(decode_error(StatusCode::BadTlvLength, t.offset,
                                "Address List holds " + std::to_string(r.remaining()) +
                                    " address bytes, not a multiple of " + std::to_string(size)));
    std::vector<Addr> out;
    while (!r.empty()) {
        typename Addr::Bytes b{};
        auto raw = *r.bytes(size);
        for (std::size_t i = 0; i < size; ++i) b[i] = raw[i];
        out.push_back(Addr(b));
    }
    return AddressList{std::move(out)};
}

}  // namespace

Result<AddressList, DecodeError> decode_address_list(const RawTlv& t) {
    ByteReader r(t.value, t.value_offset());
    auto af = r.u16();
    if (!af) return err(decode_error(StatusCode::BadTlvLength, t.offset, "Address List shorter than its family field"));
    if (*af == uint16_t(AddressFamily::Ipv4)) return read_addresses<Ipv4Address>(r, t);
    if (*af == uint16_t(AddressFamily::Ipv6)) return read_addresses<Ipv6Address>(r, t);
    return err(decode_error(StatusCode::UnsupportedAddressFamily, t.value_offset(),
                            "Address List family " + std::to_string(*af)));
}

bool encode_address_list(const AddressList& list, ByteWriter& w) {
    auto m = begin_tlv(w, tlv_type::kAddressList);
    w.u16(uint16_t(list.family()));
    std::visit([&](const auto& v) { for (const auto& a : v) w.bytes(a.bytes()); }, list.addresses);
    return end_tlv(w, m);
}

}  // namespace isthmus::ldp
