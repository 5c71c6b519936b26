#include "attributes.hpp"

#include <algorithm>

#include "lib/byte_reader.hpp"

namespace isthmus::bgp {

namespace {

using namespace attr_type;
constexpr uint8_t kWellKnown = attr_flag::kTransitive;
constexpr uint8_t kOptionalTransitive = attr_flag::kOptional | attr_flag::kTransitive;
constexpr uint8_t kOptionalNonTransitive = attr_flag::kOptional;

DecodeError attr_error(const RawAttribute& a, uint8_t subcode, std::string reason) {
    return make_error(ErrorCode::UpdateMessage, subcode, malformed_action(a.type), a.offset,
                      "attribute " + std::to_string(a.type) + ": " + std::move(reason),
                      {a.whole.begin(), a.whole.end()});
}

DecodeError length_error(const RawAttribute& a, const char* expected) {
    return attr_error(a, update_error::kAttributeLengthError,
                      "length " + std::to_string(a.value.size()) + ", expected " + expected);
}

uint32_t u32_at(std::span<const uint8_t> b, std::size_t i) {
    return uint32_t(b[i]) << 24 | uint32_t(b[i + 1]) << 16 | uint32_t(b[i + 2]) << 8 | b[i + 3];
}

Ipv4Address v4_at(std::span<const uint8_t> b, std::size_t i) {
    return Ipv4Address(Ipv4Address::Bytes{b[i], b[i + 1], b[i + 2], b[i + 3]});
}

struct Hasher {
    std::size_t h = 1469598103934665603ull;
    void mix(uint64_t v) { h = (h ^ v) * 1099511628211ull; }
};

}  // namespace

std::size_t hash_value(const PathAttributes& a) {
    Hasher x;
    x.mix(a.origin ? uint64_t(*a.origin) + 1 : 0);
    if (a.as_path)
        for (auto& s : a.as_path->segments) {
            x.mix(uint64_t(s.type) << 32 | s.asns.size());
            for (auto asn : s.asns) x.mix(asn.value());
        }
    x.mix(a.next_hop ? a.next_hop->to_uint() | 1ull << 32 : 0);
    x.mix(a.med ? *a.med | 1ull << 32 : 0);
    x.mix(a.local_pref ? *a.local_pref | 1ull << 32 : 0);
    x.mix(a.atomic_aggregate);
    if (a.aggregator) x.mix(uint64_t(a.aggregator->asn.value()) << 32 | a.aggregator->address.to_uint());
    for (auto c : a.communities) x.mix(c.value);
    x.mix(a.originator_id ? a.originator_id->value() | 1ull << 32 : 0);
    for (auto c : a.cluster_list) x.mix(c.value());
    for (auto& e : a.extended_communities)
        for (auto b : e.bytes) x.mix(b);
    for (auto& l : a.large_communities) x.mix(uint64_t(l.global_admin) << 32 ^ uint64_t(l.local1) << 16 ^ l.local2);
    for (auto& u : a.unknown) {
        x.mix(uint64_t(u.type) << 8 | u.flags);
        for (auto b : u.value) x.mix(b);
    }
    return x.h;
}

ErrorAction malformed_action(uint8_t type) {
    switch (type) {
        case kAtomicAggregate:
        case kAggregator:
        case kAs4Path:
        case kAs4Aggregator: return ErrorAction::AttributeDiscard;  // RFC 7606 7.6, 7.7; RFC 6793 6
        case kMpReachNlri:
        case kMpUnreachNlri: return ErrorAction::AfiSafiDisable;  // RFC 7606 7.11 (session reset if AFI/SAFI unknown)
        default: return ErrorAction::TreatAsWithdraw;
    }
}

std::optional<uint8_t> expected_flags(uint8_t type) {
    switch (type) {
        case kOrigin:
        case kAsPath:
        case kNextHop:
        case kLocalPref:
        case kAtomicAggregate: return kWellKnown;
        case kMultiExitDisc:
        case kOriginatorId:
        case kClusterList:
        case kMpReachNlri:
        case kMpUnreachNlri: return kOptionalNonTransitive;
        case kAggregator:
        case kCommunities:
        case kExtendedCommunities:
        case kAs4Path:
        case kAs4Aggregator:
        case kLargeCommunities: return kOptionalTransitive;
        default: return std::nullopt;
    }
}

namespace {

DecodeError from_external(const RawAttribute& a) {
    return make_error(ErrorCode::UpdateMessage, 0, ErrorAction::AttributeDiscard, a.offset,
                      "attribute " + std::to_string(a.type) + " from an external peer",
                      {a.whole.begin(), a.whole.end()});
}

bool has_confed_segment(const AsPath& p) {
    for (auto& seg : p.segments)
        if (seg.type == AsPathSegment::Type::ConfedSequence || seg.type == AsPathSegment::Type::ConfedSet) return true;
    return false;
}

}  // namespace

Status<DecodeError> AttributeDecoder::decode(const RawAttribute& a) {
    if (ctx_.peer == PeerKind::External) {
        // RFC 7606 7.5, 7.9, 7.10: from an external peer these are discarded, malformed or not.
        if (a.type == kLocalPref || a.type == kOriginatorId || a.type == kClusterList) return err(from_external(a));
        // RFC 5065 5, RFC 7606 7.2: confederation segments from outside the confederation.
        if (a.type == kAsPath) {
            auto s = decode_value(a);
            if (s && has_confed_segment(*attrs_.as_path)) {
                attrs_.as_path.reset();
                return err(attr_error(a, update_error::kMalformedAsPath, "confederation segment from an external peer"));
            }
            return s;
        }
    }
    return decode_value(a);
}

Status<DecodeError> AttributeDecoder::decode_value(const RawAttribute& a) {
    auto v = a.value;
    std::size_t n = v.size();
    switch (a.type) {
        case kOrigin:  // RFC 7606 7.1
            if (n != 1) return err(length_error(a, "1"));
            if (v[0] > 2) return err(attr_error(a, update_error::kInvalidOrigin, "value " + std::to_string(v[0])));
            attrs_.origin = Origin(v[0]);
            return ok_unit;
        case kAsPath: {  // RFC 7606 7.2
            auto p = decode_as_path(ByteReader(v, a.offset), ctx_.four_octet_as ? 4 : 2);
            if (!p) return err(attr_error(a, update_error::kMalformedAsPath, p.error()));
            if (p->has_as_zero()) return err(attr_error(a, update_error::kMalformedAsPath, "AS 0 (RFC 7607)"));
            attrs_.as_path = std::move(*p);
            return ok_unit;
        }
        case kNextHop:  // RFC 7606 7.3
            if (n != 4) return err(length_error(a, "4"));
            attrs_.next_hop = v4_at(v, 0);
            return ok_unit;
        case kMultiExitDisc:  // RFC 7606 7.4
            if (n != 4) return err(length_error(a, "4"));
            attrs_.med = u32_at(v, 0);
            return ok_unit;
        case kLocalPref:  // RFC 7606 7.5
            if (n != 4) return err(length_error(a, "4"));
            attrs_.local_pref = u32_at(v, 0);
            return ok_unit;
        case kAtomicAggregate:  // RFC 7606 7.6
            if (n != 0) return err(length_error(a, "0"));
            attrs_.atomic_aggregate = true;
            return ok_unit;
        case kAggregator: {  // RFC 7606 7.7
            if (n != (ctx_.four_octet_as ? 8u : 6u)) return err(length_error(a, ctx_.four_octet_as ? "8" : "6"));
            Asn asn(ctx_.four_octet_as ? u32_at(v, 0) : uint32_t(v[0]) << 8 | v[1]);
            if (asn.value() == 0) return err(attr_error(a, update_error::kOptionalAttributeError, "AS 0 (RFC 7607)"));
            attrs_.aggregator = Aggregator{asn, v4_at(v, n - 4)};
            return ok_unit;
        }
        case kCommunities:  // RFC 7606 7.8
            if (n == 0 || n % 4) return err(length_error(a, "a non-zero multiple of 4"));
            for (std::size_t i = 0; i < n; i += 4) attrs_.communities.push_back({u32_at(v, i)});
            return ok_unit;
        case kOriginatorId:  // RFC 7606 7.9
            if (n != 4) return err(length_error(a, "4"));
            attrs_.originator_id = RouterId(u32_at(v, 0));
            return ok_unit;
        case kClusterList:  // RFC 7606 7.10
            if (n == 0 || n % 4) return err(length_error(a, "a non-zero multiple of 4"));
            for (std::size_t i = 0; i < n; i += 4) attrs_.cluster_list.emplace_back(u32_at(v, i));
            return ok_unit;
        case kExtendedCommunities:  // RFC 7606 7.14
            if (n == 0 || n % 8) return err(length_error(a, "a non-zero multiple of 8"));
            for (std::size_t i = 0; i < n; i += 8) {
                ExtendedCommunity e;
                std::copy(v.begin() + std::ptrdiff_t(i), v.begin() + std::ptrdiff_t(i + 8), e.bytes.begin());
                attrs_.extended_communities.push_back(e);
            }
            return ok_unit;
        case kLargeCommunities:  // RFC 8092 6
            if (n == 0 || n % 12) return err(length_error(a, "a non-zero multiple of 12"));
            for (std::size_t i = 0; i < n; i += 12)
                attrs_.large_communities.push_back({u32_at(v, i), u32_at(v, i + 4), u32_at(v, i + 8)});
            return ok_unit;
        case kAs4Path: {  // RFC 6793 6: malformed means discard
            if (ctx_.four_octet_as) return ok_unit;  // a NEW speaker ignores it from a NEW speaker
            auto p = decode_as_path(ByteReader(v, a.offset), 4);
            if (!p) return err(attr_error(a, update_error::kMalformedAsPath, p.error()));
            if (p->has_as_zero()) return err(attr_error(a, update_error::kMalformedAsPath, "AS 0 (RFC 7607)"));
            for (auto& s : p->segments)
                if (s.type == AsPathSegment::Type::ConfedSequence || s.type == AsPathSegment::Type::ConfedSet)
                    return err(attr_error(a, update_error::kMalformedAsPath, "confederation segment in AS4_PATH"));
            as4_path_ = std::move(*p);
            return ok_unit;
        }
        case kAs4Aggregator:
            if (ctx_.four_octet_as) return ok_unit;
            if (n != 8) return err(length_error(a, "8"));
            // Sent only for a 4-octet aggregator (RFC 6793 4.2.2); merging a 2-octet or 0 one would
            // make the AGGREGATOR void the AS4_PATH when we pass the route on.
            if (!Asn(u32_at(v, 0)).is_four_octet())
                return err(attr_error(a, update_error::kOptionalAttributeError,
                                      "AS " + std::to_string(u32_at(v, 0)) + " is not a 4-octet AS"));
            as4_aggregator_ = Aggregator{Asn(u32_at(v, 0)), v4_at(v, 4)};
            return ok_unit;
        default:
            // Unknown: optional transitive ones are kept, optional non-transitive ones dropped
            // (RFC 4271 5); the caller has already rejected unknown well-known ones.
            if (a.flags & attr_flag::kTransitive)
                attrs_.unknown.push_back(
                    {uint8_t(a.flags & ~attr_flag::kExtendedLength), a.type, {v.begin(), v.end()}});
            return ok_unit;
    }
}

PathAttributes AttributeDecoder::finish() && {
    if (!ctx_.four_octet_as) {
        // RFC 6793 4.2.3: an AGGREGATOR naming a real 2-octet ASN voids both AS4 attributes.
        bool ignore_as4 = attrs_.aggregator && attrs_.aggregator->asn.value() != Asn::kTrans;
        if (!ignore_as4) {
            if (attrs_.aggregator && as4_aggregator_) attrs_.aggregator = as4_aggregator_;
            if (attrs_.as_path && as4_path_) attrs_.as_path = merge_as4_path(*attrs_.as_path, *as4_path_);
        }
    }
    std::stable_sort(attrs_.unknown.begin(), attrs_.unknown.end(),
                     [](const UnknownAttribute& x, const UnknownAttribute& y) { return x.type < y.type; });
    return std::move(attrs_);
}

void write_attribute(ByteWriter& w, uint8_t flags, uint8_t type, std::span<const uint8_t> value) {
    bool extended = value.size() > 255;
    w.u8(uint8_t(extended ? flags | attr_flag::kExtendedLength : flags & ~attr_flag::kExtendedLength));
    w.u8(type);
    if (extended)
        w.u16(uint16_t(value.size()));
    else
        w.u8(uint8_t(value.size()));
    w.bytes(value);
}

void encode_attributes(const PathAttributes& a, const Context& ctx, ByteWriter& w) {
    ByteWriter v;
    auto emit = [&](uint8_t flags, uint8_t type) {
        write_attribute(w, flags, type, v.data());
        v.truncate(0);
    };
    auto unknown = a.unknown.begin();
    // Unknown attributes go in type order among the known ones; transitive ones are
    // passed on with the partial bit (RFC 4271 5).
    auto write_unknown = [&](const UnknownAttribute& u) {
        uint8_t flags = u.flags & attr_flag::kTransitive ? u.flags | attr_flag::kPartial : u.flags;
        write_attribute(w, flags, u.type, u.value);
    };
    auto unknown_before = [&](uint8_t type) {
        for (; unknown != a.unknown.end() && unknown->type < type; ++unknown) write_unknown(*unknown);
    };
    auto aggregator_as = [](const Aggregator& ag, bool four) { return four ? ag.asn.value() : ag.asn.as_two_octet(); };

    unknown_before(kOrigin);
    if (a.origin) {
        v.u8(uint8_t(*a.origin));
        emit(kWellKnown, kOrigin);
    }
    unknown_before(kAsPath);
    if (a.as_path) {
        encode_as_path(*a.as_path, ctx.four_octet_as ? 4 : 2, v);
        emit(kWellKnown, kAsPath);
    }
    unknown_before(kNextHop);
    if (a.next_hop) {
        v.bytes(a.next_hop->bytes());
        emit(kWellKnown, kNextHop);
    }
    unknown_before(kMultiExitDisc);
    if (a.med) {
        v.u32(*a.med);
        emit(kOptionalNonTransitive, kMultiExitDisc);
    }
    unknown_before(kLocalPref);
    if (a.local_pref) {
        v.u32(*a.local_pref);
        emit(kWellKnown, kLocalPref);
    }
    unknown_before(kAtomicAggregate);
    if (a.atomic_aggregate) emit(kWellKnown, kAtomicAggregate);
    unknown_before(kAggregator);
    if (a.aggregator) {
        if (ctx.four_octet_as)
            v.u32(a.aggregator->asn.value());
        else
            v.u16(uint16_t(aggregator_as(*a.aggregator, false)));
        v.bytes(a.aggregator->address.bytes());
        emit(kOptionalTransitive, kAggregator);
    }
    unknown_before(kCommunities);
    if (!a.communities.empty()) {
        for (auto c : a.communities) v.u32(c.value);
        emit(kOptionalTransitive, kCommunities);
    }
    unknown_before(kOriginatorId);
    if (a.originator_id) {
        v.u32(a.originator_id->value());
        emit(kOptionalNonTransitive, kOriginatorId);
    }
    unknown_before(kClusterList);
    if (!a.cluster_list.empty()) {
        for (auto c : a.cluster_list) v.u32(c.value());
        emit(kOptionalNonTransitive, kClusterList);
    }
    unknown_before(kExtendedCommunities);
    if (!a.extended_communities.empty()) {
        for (auto& e : a.extended_communities) v.bytes(e.bytes);
        emit(kOptionalTransitive, kExtendedCommunities);
    }
    unknown_before(kAs4Path);
    if (!ctx.four_octet_as && a.as_path && a.as_path->needs_four_octets()) {
        encode_as_path(as4_path_of(*a.as_path), 4, v);
        emit(kOptionalTransitive, kAs4Path);
    }
    unknown_before(kAs4Aggregator);
    if (!ctx.four_octet_as && a.aggregator && a.aggregator->asn.is_four_octet()) {
        v.u32(a.aggregator->asn.value());
        v.bytes(a.aggregator->address.bytes());
        emit(kOptionalTransitive, kAs4Aggregator);
    }
    unknown_before(kLargeCommunities);
    if (!a.large_communities.empty()) {
        for (auto& l : a.large_communities) {
            v.u32(l.global_admin);
            v.u32(l.local1);
            v.u32(l.local2);
        }
        emit(kOptionalTransitive, kLargeCommunities);
    }
    for (; unknown != a.unknown.end(); ++unknown) write_unknown(*unknown);
}

}  // namespace isthmus::bgp
