#include "bgp/session/open_policy.hpp"

#include <algorithm>

#include "lib/byte_writer.hpp"

namespace isthmus::bgp::session {

namespace {

Notification open_error_notification(uint8_t subcode, std::vector<uint8_t> data = {}) {
    return {uint8_t(ErrorCode::OpenMessage), subcode, std::move(data)};
}

}  // namespace

Family to_family(config::Family f) {
    switch (f) {
        case config::Family::ipv6_unicast: return Family::Ipv6Unicast;
        case config::Family::ipv6_labeled_unicast: return Family::Ipv6Labeled;
    }
    return Family::Ipv6Unicast;
}

Open make_open(const LocalIdentity& local, const config::BgpNeighbor& n) {
    Open o;
    o.my_as = local.asn.as_two_octet();
    o.hold_time = uint16_t(std::min<long>(n.timers.hold_time.count(), 65535));
    o.bgp_id = local.router_id;
    for (auto f : n.families) o.capabilities.push_back(MultiprotocolCapability{afi_safi_of(to_family(f))});
    o.capabilities.push_back(RouteRefreshCapability{});
    o.capabilities.push_back(EnhancedRouteRefreshCapability{});
    o.capabilities.push_back(FourOctetAsCapability{local.asn});
    if (local.graceful_restart != config::GracefulRestartMode::off) {
        GracefulRestartCapability gr;
        gr.restarting = local.restarting;
        gr.restart_time = uint16_t(std::min<long>(local.restart_time.count(), 4095));
        // A helper only announces the capability; a restarting speaker lists the
        // families whose forwarding state it keeps across a restart (RFC 4724 3).
        if (local.graceful_restart == config::GracefulRestartMode::full)
            for (auto f : n.families) gr.entries.push_back({afi_safi_of(to_family(f)), true});
        o.capabilities.push_back(gr);
    }
    return o;
}

Result<Accepted, Notification> check_open(const Open& ours, const Open& theirs, const config::BgpNeighbor& n,
                                          const LocalIdentity& local) {
    Accepted a{negotiate(ours, theirs), {}, theirs.asn(), theirs.bgp_id};
    if (a.peer_asn != n.remote_as) {
        // RFC 4271 6.2 data: none; RFC 6793 says to check the 4-octet value when announced.
        return err(open_error_notification(open_error::kBadPeerAs));
    }
    // RFC 6286 2.2: the identifiers of an iBGP pair must differ; for eBGP the AS numbers tell
    // them apart, but an equal identifier still breaks collision detection, so refuse it too.
    if (theirs.bgp_id == local.router_id) return err(open_error_notification(open_error::kBadBgpIdentifier));
    if (a.negotiated.families.empty() ||
        std::none_of(n.families.begin(), n.families.end(), [&](config::Family f) {
            auto& fs = a.negotiated.families;
            return std::find(fs.begin(), fs.end(), to_family(f)) != fs.end();
        })) {
        // RFC 5492 3: the data lists the capabilities that made us refuse.
        ByteWriter w;
        for (auto& c : ours.capabilities)
            if (std::holds_alternative<MultiprotocolCapability>(c)) (void)encode_capability(c, w);
        return err(open_error_notification(open_error::kUnsupportedCapability, w.take()));
    }
    a.hold = std::chrono::seconds(std::min(ours.hold_time, theirs.hold_time));
    return a;
}

}  // namespace isthmus::bgp::session
