#include "capabilities.hpp"

namespace isthmus::bgp {

namespace {

DecodeError malformed(std::size_t offset, std::string why) {
    return make_error(ErrorCode::OpenMessage, 0, ErrorAction::SessionReset, offset, std::move(why));
}

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;  // clang 14 has no aggregate deduction

Result<Capability, DecodeError> decode_value(uint8_t code, ByteReader v, std::size_t at) {
    auto need = [&](bool ok, const char* what) -> std::optional<DecodeError> {
        if (ok) return std::nullopt;
        return malformed(at, std::string("capability ") + std::to_string(code) + ": " + what);
    };
    std::size_t len = v.remaining();
    switch (code) {
        case capability_code::kMultiprotocol: {
            if (auto e = need(len == 4, "length is not 4")) return err(*e);
            uint16_t afi = *v.u16();
            (void)*v.u8();  // reserved
            return Capability{MultiprotocolCapability{{afi, *v.u8()}}};
        }
        case capability_code::kRouteRefresh:
            if (auto e = need(len == 0, "length is not 0")) return err(*e);
            return Capability{RouteRefreshCapability{}};
        case capability_code::kEnhancedRouteRefresh:
            if (auto e = need(len == 0, "length is not 0")) return err(*e);
            return Capability{EnhancedRouteRefreshCapability{}};
        case capability_code::kExtendedMessage:
            if (auto e = need(len == 0, "length is not 0")) return err(*e);
            return Capability{ExtendedMessageCapability{}};
        case capability_code::kFourOctetAs:
            if (auto e = need(len == 4, "length is not 4")) return err(*e);
            return Capability{FourOctetAsCapability{Asn(*v.u32())}};
        case capability_code::kGracefulRestart: {
            if (auto e = need(len >= 2 && (len - 2) % 4 == 0, "length is not 2 + 4n")) return err(*e);
            GracefulRestartCapability gr;
            uint16_t flags_time = *v.u16();
            gr.restarting = flags_time & 0x8000;
            gr.notification = flags_time & 0x4000;
            gr.restart_time = flags_time & 0x0fff;
            while (!v.empty()) {
                GracefulRestartCapability::Entry e;
                e.afi_safi.afi = *v.u16();
                e.afi_safi.safi = *v.u8();
                e.forwarding_preserved = *v.u8() & 0x80;
                gr.entries.push_back(e);
            }
            return Capability{gr};
        }
        case capability_code::kAddPath: {
            if (auto e = need(len % 4 == 0, "length is not a multiple of 4")) return err(*e);
            AddPathCapability ap;
            while (!v.empty()) {
                AddPathCapability::Entry e;
                e.afi_safi.afi = *v.u16();
                e.afi_safi.safi = *v.u8();
                e.direction = *v.u8();
                ap.entries.push_back(e);
            }
            return Capability{ap};
        }
        case capability_code::kExtendedNextHop: {
            if (auto e = need(len % 6 == 0, "length is not a multiple of 6")) return err(*e);
            ExtendedNextHopCapability enh;
            while (!v.empty()) {
                ExtendedNextHopCapability::Entry e;
                e.nlri_afi = *v.u16();
                e.nlri_safi = *v.u16();
                e.next_hop_afi = *v.u16();
                enh.entries.push_back(e);
            }
            return Capability{enh};
        }
        case capability_code::kMultipleLabels: {
            if (auto e = need(len % 4 == 0, "length is not a multiple of 4")) return err(*e);
            MultipleLabelsCapability ml;
            while (!v.empty()) {
                MultipleLabelsCapability::Entry e;
                e.afi_safi.afi = *v.u16();
                e.afi_safi.safi = *v.u8();
                e.count = *v.u8();
                ml.entries.push_back(e);
            }
            return Capability{ml};
        }
        case capability_code::kFqdn: {
            FqdnCapability f;
            for (std::string* s : {&f.hostname, &f.domain}) {
                auto n = v.u8();
                if (!n) return err(malformed(at, "capability 73: truncated"));
                auto b = v.bytes(*n);
                if (!b) return err(malformed(at, "capability 73: name longer than the capability"));
                s->assign(b->begin(), b->end());
            }
            if (auto e = need(v.empty(), "trailing bytes")) return err(*e);
            return Capability{f};
        }
        default: {
            auto b = *v.bytes(len);
            return Capability{UnknownCapability{code, {b.begin(), b.end()}}};
        }
    }
}

}  // namespace

uint8_t capability_code_of(const Capability& c) {
    return std::visit(
        Overload{
            [](const MultiprotocolCapability&) { return capability_code::kMultiprotocol; },
            [](const RouteRefreshCapability&) { return capability_code::kRouteRefresh; },
            [](const EnhancedRouteRefreshCapability&) { return capability_code::kEnhancedRouteRefresh; },
            [](const ExtendedMessageCapability&) { return capability_code::kExtendedMessage; },
            [](const FourOctetAsCapability&) { return capability_code::kFourOctetAs; },
            [](const GracefulRestartCapability&) { return capability_code::kGracefulRestart; },
            [](const AddPathCapability&) { return capability_code::kAddPath; },
            [](const ExtendedNextHopCapability&) { return capability_code::kExtendedNextHop; },
            [](const MultipleLabelsCapability&) { return capability_code::kMultipleLabels; },
            [](const FqdnCapability&) { return capability_code::kFqdn; },
            [](const UnknownCapability& u) { return u.code; },
        },
        c);
}

Result<Capability, DecodeError> decode_capability(ByteReader& r) {
    std::size_t at = r.offset();
    auto code = r.u8();
    auto len = r.u8();
    if (!code || !len) return err(malformed(at, "capability header runs past its parameter"));
    auto value = r.sub(*len);
    if (!value) return err(malformed(at, "capability value runs past its parameter"));
    return decode_value(*code, *value, at);
}

Status<EncodeError> encode_capability(const Capability& c, ByteWriter& w) {
    w.u8(capability_code_of(c));
    auto mark = w.begin_length(1);
    std::visit(Overload{
                   [&](const MultiprotocolCapability& m) {
                       w.u16(m.afi_safi.afi);
                       w.u8(0);
                       w.u8(m.afi_safi.safi);
                   },
                   [](const RouteRefreshCapability&) {},
                   [](const EnhancedRouteRefreshCapability&) {},
                   [](const ExtendedMessageCapability&) {},
                   [&](const FourOctetAsCapability& f) { w.u32(f.asn.value()); },
                   [&](const GracefulRestartCapability& gr) {
                       w.u16(uint16_t((gr.restarting ? 0x8000 : 0) | (gr.notification ? 0x4000 : 0) |
                                      (gr.restart_time & 0x0fff)));
                       for (auto& e : gr.entries) {
                           w.u16(e.afi_safi.afi);
                           w.u8(e.afi_safi.safi);
                           w.u8(e.forwarding_preserved ? 0x80 : 0);
                       }
                   },
                   [&](const AddPathCapability& ap) {
                       for (auto& e : ap.entries) {
                           w.u16(e.afi_safi.afi);
                           w.u8(e.afi_safi.safi);
                           w.u8(e.direction);
                       }
                   },
                   [&](const ExtendedNextHopCapability& enh) {
                       for (auto& e : enh.entries) {
                           w.u16(e.nlri_afi);
                           w.u16(e.nlri_safi);
                           w.u16(e.next_hop_afi);
                       }
                   },
                   [&](const MultipleLabelsCapability& ml) {
                       for (auto& e : ml.entries) {
                           w.u16(e.afi_safi.afi);
                           w.u8(e.afi_safi.safi);
                           w.u8(e.count);
                       }
                   },
                   [&](const FqdnCapability& f) {
                       for (const std::string* s : {&f.hostname, &f.domain}) {
                           w.u8(uint8_t(s->size() > 255 ? 255 : s->size()));
                           w.bytes({reinterpret_cast<const uint8_t*>(s->data()), s->size() > 255 ? 255 : s->size()});
                       }
                   },
                   [&](const UnknownCapability& u) { w.bytes(u.value); },
               },
               c);
    if (!w.end_length(mark)) return err(EncodeError{"capability longer than 255 bytes"});
    return ok_unit;
}

}  // namespace isthmus::bgp
