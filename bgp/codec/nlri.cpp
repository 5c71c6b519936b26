#include "nlri.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace isthmus::bgp {

namespace {
template <class Prefix>
using AddressOf = std::remove_cvref_t<decltype(std::declval<const Prefix&>().address())>;

// How many entries the field holds, from the length octets alone: labels are whole
// bytes, so every entry is ceil(length / 8) bytes after its length octet. Only a hint
// for reserve(); malformed input is caught by the real pass.
std::size_t count_entries(std::span<const uint8_t> b, bool add_path) {
    std::size_t n = 0;
    for (std::size_t i = add_path ? 4 : 0; i < b.size(); i += (add_path ? 4 : 0) + 1 + (b[i] + 7u) / 8) ++n;
    return n;
}

}  // namespace

template <class Prefix>
Status<NlriError> decode_nlri(ByteReader r, NlriCoding coding, std::vector<BasicNlri<Prefix>>& out) {
    constexpr int kMaxBits = Prefix::kMaxLength;
    out.reserve(out.size() + count_entries(r.rest(), coding.add_path));
    while (!r.empty()) {
        std::size_t at = r.offset();
        BasicNlri<Prefix> n;
        if (coding.add_path) {
            auto id = r.u32();
            if (!id) return err(NlriError{at, "path identifier truncated"});
            n.path_id = *id;
        }
        auto len = r.u8();
        if (!len) return err(NlriError{at, "prefix length missing"});
        int bits = *len;
        if (coding.labeled && coding.withdraw) {
            // RFC 8277 2.4: one 3-byte field, its value ignored. But some senders repeat the
            // announced stack (RFC 3107 3; GoBGP 3.10 does): a first field that is a real label
            // without bottom-of-stack (not 0x800000, not 0) is followed by the rest of the stack,
            // skipped up to the field with the bit when the length has room for it.
            std::size_t fields = 1;
            auto rest = r.rest();
            auto field_at = [&](std::size_t i) {
                return uint32_t(rest[3 * i]) << 16 | uint32_t(rest[3 * i + 1]) << 8 | rest[3 * i + 2];
            };
            if (bits >= 48 && rest.size() >= 6) {
                uint32_t first = field_at(0);
                if (first != kWithdrawLabelField && first != 0 && !(first & 1)) {
                    for (std::size_t i = 1; i < LabelStack::kCapacity && bits >= int(24 * (i + 1)) &&
                                            rest.size() >= 3 * (i + 1);
                         ++i)
                        if (field_at(i) & 1) {
                            fields = i + 1;
                            break;
                        }
                }
            }
            if (bits < int(24 * fields) || !r.skip(3 * fields))
                return err(NlriError{at, "withdrawn labeled prefix without a label field"});
            bits -= int(24 * fields);
        } else if (coding.labeled) {
            // RFC 8277 2.2: labels until one has the bottom-of-stack bit.
            bool bottom = false;
            while (!bottom) {
                if (bits < 24) return err(NlriError{at, "label stack without bottom of stack"});
                auto field = r.u24();
                if (!field) return err(NlriError{at, "label truncated"});
                bits -= 24;
                bottom = *field & 1;
                if (!n.labels.push_back(*MplsLabel::from_value(*field >> 4)))
                    return err(NlriError{at, "label stack deeper than 8"});
            }
        }
        if (bits > kMaxBits)
            return err(NlriError{at, "prefix length " + std::to_string(bits) + " exceeds " + std::to_string(kMaxBits)});
        auto bytes = r.bytes(std::size_t(bits + 7) / 8);
        if (!bytes) return err(NlriError{at, "prefix truncated"});
        typename AddressOf<Prefix>::Bytes addr{};  // host bits beyond the length are cleared by make()
        std::copy(bytes->begin(), bytes->end(), addr.begin());
        n.prefix = Prefix::make(AddressOf<Prefix>(addr), bits);
        out.push_back(std::move(n));
    }
    return ok_unit;
}

template <class Prefix>
std::size_t encoded_size(const BasicNlri<Prefix>& n, NlriCoding coding) {
    std::size_t labels = !coding.labeled ? 0 : coding.withdraw || n.labels.empty() ? 1 : n.labels.size();
    return (coding.add_path ? 4 : 0) + 1 + 3 * labels + std::size_t(n.prefix.length() + 7) / 8;
}

template <class Prefix>
bool encode_nlri(const BasicNlri<Prefix>& n, NlriCoding coding, ByteWriter& w) {
    int bits = n.prefix.length();
    if (coding.labeled && !coding.withdraw && bits + 24 * int(n.labels.size()) > 255) return false;
    if (coding.add_path) w.u32(n.path_id);
    if (!coding.labeled) {
        w.u8(uint8_t(bits));
    } else if (coding.withdraw) {
        w.u8(uint8_t(bits + 24));
        w.u24(kWithdrawLabelField);
    } else if (n.labels.empty()) {
        w.u8(uint8_t(bits + 24));
        w.u24(MplsLabel::implicit_null().value() << 4 | 1);
    } else {
        w.u8(uint8_t(bits + 24 * int(n.labels.size())));
        for (std::size_t i = 0; i < n.labels.size(); ++i)
            w.u24(n.labels[i].value() << 4 | (i + 1 == n.labels.size() ? 1 : 0));
    }
    auto& b = n.prefix.address().bytes();
    w.bytes({b.data(), std::size_t(bits + 7) / 8});
    return true;
}

template Status<NlriError> decode_nlri(ByteReader, NlriCoding, std::vector<Ipv4Nlri>&);
template Status<NlriError> decode_nlri(ByteReader, NlriCoding, std::vector<Ipv6Nlri>&);
template std::size_t encoded_size(const Ipv4Nlri&, NlriCoding);
template std::size_t encoded_size(const Ipv6Nlri&, NlriCoding);
template bool encode_nlri(const Ipv4Nlri&, NlriCoding, ByteWriter&);
template bool encode_nlri(const Ipv6Nlri&, NlriCoding, ByteWriter&);

}  // namespace isthmus::bgp
