#include "update.hpp"

#include <bitset>

#include "bgp/codec/header.hpp"

namespace isthmus::bgp {

namespace {

DecodeError update_error_at(uint8_t subcode, ErrorAction action, std::size_t offset, std::string reason,
                            std::vector<uint8_t> data = {}) {
    return make_error(ErrorCode::UpdateMessage, subcode, action, offset, std::move(reason), std::move(data));
}

// A flags error on MP_REACH/MP_UNREACH disables the family when it can be read (RFC 7606 3c, 7.11).
DecodeError mp_flags_error(const RawAttribute& a) {
    auto e = update_error_at(update_error::kAttributeFlagsError, ErrorAction::SessionReset, a.offset,
                             "attribute " + std::to_string(a.type) + ": wrong flags", {a.whole.begin(), a.whole.end()});
    if (a.value.size() >= 3) {
        AfiSafi as{uint16_t(a.value[0] << 8 | a.value[1]), a.value[2]};
        if (family_of(as)) {
            e.action = ErrorAction::AfiSafiDisable;
            e.afi_safi = as;
        }
    }
    return e;
}

// RFC 4271 4.3: flags, type, a length of one octet (two with Extended Length), value.
// The error is the subcode: the header or the value does not fit the attributes field.
Result<RawAttribute, uint8_t> next_attribute(ByteReader& r) {
    std::size_t at = r.offset();
    auto start = r.rest();
    auto flags = r.u8();
    auto type = r.u8();
    if (!flags || !type) return err(update_error::kMalformedAttributeList);
    std::optional<std::size_t> len;
    if (*flags & attr_flag::kExtendedLength) {
        if (auto l = r.u16()) len = *l;
    } else if (auto l = r.u8()) {
        len = *l;
    }
    if (!len) return err(update_error::kMalformedAttributeList);
    std::size_t header = r.offset() - at;
    auto value = r.bytes(*len);
    if (!value) return err(update_error::kAttributeLengthError);
    return RawAttribute{*flags, *type, *value, start.first(header + *len), at};
}

NlriCoding ipv4_coding(const Context& ctx) { return {ctx.has_add_path(Family::Ipv4Unicast), false, false}; }

}  // namespace

std::optional<ErrorAction> Update::action() const {
    if (auto* e = worst_error()) return e->action;
    return std::nullopt;
}

const DecodeError* Update::worst_error() const {
    const DecodeError* worst = nullptr;
    for (auto& e : errors)
        if (!worst || e.action > worst->action) worst = &e;
    return worst;
}

std::optional<Family> Update::end_of_rib() const {
    bool no_attrs = attrs == PathAttributes{} && !mp_reach;
    if (!no_attrs || !withdrawn.empty() || !nlri.empty() || !errors.empty()) return std::nullopt;
    if (!mp_unreach) return Family::Ipv4Unicast;
    if (mp_unreach->empty()) return mp_unreach->family;
    return std::nullopt;
}

Result<Update, DecodeError> decode_update(ByteReader body, const Context& ctx) {
    using update_error::kMalformedAttributeList;
    Update u;
    // RFC 4271 6.3: the two length fields must agree with the message length.
    auto list_error = [](std::size_t at, const char* why) {
        return update_error_at(kMalformedAttributeList, ErrorAction::SessionReset, at, why);
    };
    std::size_t at = body.offset();
    auto wlen = body.u16();
    if (!wlen) return err(list_error(at, "withdrawn routes length truncated"));
    auto withdrawn = body.sub(*wlen);
    if (!withdrawn) return err(list_error(at, "withdrawn routes length exceeds the message"));
    at = body.offset();
    auto alen = body.u16();
    if (!alen) return err(list_error(at, "total path attribute length truncated"));
    auto attrs = body.sub(*alen);
    if (!attrs) return err(list_error(at, "total path attribute length exceeds the message"));
    const std::size_t attrs_at = attrs->offset();
    ByteReader nlri = body;

    // RFC 7606 5.3: NLRI that cannot be parsed cannot be withdrawn either.
    if (auto s = decode_nlri(*withdrawn, ipv4_coding(ctx), u.withdrawn); !s)
        return err(update_error_at(update_error::kInvalidNetworkField, ErrorAction::SessionReset, s.error().offset,
                                   "withdrawn routes: " + s.error().reason));

    AttributeDecoder decoder(ctx);
    std::bitset<256> seen;
    while (!attrs->empty()) {
        at = attrs->offset();
        auto next = next_attribute(*attrs);
        if (!next) {
            // RFC 7606 4: the Total Attribute Length stands and the rest is skipped. That is
            // treat-as-withdraw only if an MP_REACH/MP_UNREACH came before the damage (5.1 has
            // senders put them first); otherwise reachability may hide in the skipped part
            // and cannot be withdrawn (5.3), so the session is reset.
            bool mp_found = u.mp_reach || u.mp_unreach;
            auto e = update_error_at(next.error(), mp_found ? ErrorAction::TreatAsWithdraw : ErrorAction::SessionReset,
                                     at, "attribute runs past the path attributes");
            if (!mp_found) return err(e);
            u.errors.push_back(std::move(e));
            break;
        }
        const RawAttribute& a = *next;
        uint8_t flags = a.flags;

        // RFC 7606 3g: a repeated MP attribute resets the session; other repeats are dropped.
        if (seen[a.type]) {
            auto e = update_error_at(kMalformedAttributeList, ErrorAction::AttributeDiscard, at,
                                     "attribute " + std::to_string(a.type) + " repeated");
            if (a.type == attr_type::kMpReachNlri || a.type == attr_type::kMpUnreachNlri) {
                e.action = ErrorAction::SessionReset;
                return err(e);
            }
            u.errors.push_back(std::move(e));
            continue;
        }
        seen[a.type] = true;

        auto expected = expected_flags(a.type);
        if (!expected && !(flags & attr_flag::kOptional))
            return err(update_error_at(update_error::kUnrecognizedWellKnownAttribute, ErrorAction::SessionReset, at,
                                       "unrecognized well-known attribute " + std::to_string(a.type),
                                       {a.whole.begin(), a.whole.end()}));
        // RFC 7606 3c: wrong optional/transitive bits make the attribute malformed.
        if (expected && (flags & (attr_flag::kOptional | attr_flag::kTransitive)) != *expected) {
            if (a.type == attr_type::kMpReachNlri || a.type == attr_type::kMpUnreachNlri) {
                auto e = mp_flags_error(a);
                if (e.action == ErrorAction::SessionReset) return err(e);
                u.errors.push_back(std::move(e));
            } else {
                u.errors.push_back(update_error_at(update_error::kAttributeFlagsError, malformed_action(a.type), at,
                                                   "attribute " + std::to_string(a.type) + ": wrong flags",
                                                   {a.whole.begin(), a.whole.end()}));
            }
            continue;
        }

        if (a.type == attr_type::kMpReachNlri || a.type == attr_type::kMpUnreachNlri) {
            auto keep = [&](auto r, auto& slot) -> std::optional<DecodeError> {
                if (r) {
                    slot = std::move(r.value());
                    return std::nullopt;
                }
                if (r.error().action == ErrorAction::SessionReset) return r.error();
                u.errors.push_back(r.error());
                return std::nullopt;
            };
            auto fatal = a.type == attr_type::kMpReachNlri ? keep(decode_mp_reach(a, ctx), u.mp_reach)
                                                           : keep(decode_mp_unreach(a, ctx), u.mp_unreach);
            if (fatal) return err(*fatal);
            continue;
        }
        if (auto s = decoder.decode(a); !s) u.errors.push_back(s.error());
    }

    if (auto s = decode_nlri(nlri, ipv4_coding(ctx), u.nlri); !s)
        return err(update_error_at(update_error::kInvalidNetworkField, ErrorAction::SessionReset, s.error().offset,
                                   "NLRI: " + s.error().reason));
    u.attrs = std::move(decoder).finish();
    // RFC 4760 3: without IPv4 NLRI, a NEXT_HOP attribute is ignored.
    if (u.nlri.empty()) u.attrs.next_hop.reset();

    // RFC 7606 3d: a missing well-known mandatory attribute means treat-as-withdraw.
    if (!u.nlri.empty() || u.mp_reach) {
        for (uint8_t t : {attr_type::kOrigin, attr_type::kAsPath, attr_type::kNextHop}) {
            if (t == attr_type::kNextHop && u.nlri.empty()) continue;
            if (!seen[t])
                u.errors.push_back(update_error_at(update_error::kMissingWellKnownAttribute,
                                                   ErrorAction::TreatAsWithdraw, attrs_at,
                                                   "missing well-known attribute " + std::to_string(t), {t}));
        }
    }
    return u;
}

Status<EncodeError> encode(const Update& u, const Context& ctx, ByteWriter& w) {
    std::size_t start = w.size();
    auto fail = [&](EncodeError e) {
        w.truncate(start);
        return err(std::move(e));
    };
    begin_message(w, MessageType::Update);
    auto wmark = w.begin_length(2);
    for (auto& n : u.withdrawn) encode_nlri(n, ipv4_coding(ctx), w);
    if (!w.end_length(wmark)) return fail({"withdrawn routes longer than 65535 bytes"});
    auto amark = w.begin_length(2);
    if (u.mp_unreach)
        if (auto s = encode(*u.mp_unreach, ctx, w); !s) return fail(s.error());
    if (u.mp_reach)
        if (auto s = encode(*u.mp_reach, ctx, w); !s) return fail(s.error());
    encode_attributes(u.attrs, ctx, w);
    if (!w.end_length(amark)) return fail({"path attributes longer than 65535 bytes"});
    for (auto& n : u.nlri) encode_nlri(n, ipv4_coding(ctx), w);
    return end_message(w, start, ctx.max_message_size());
}

}  // namespace isthmus::bgp
