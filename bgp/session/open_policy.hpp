#pragma once
// What we announce in OPEN for one neighbor and how we judge the peer's OPEN
// (RFC 4271 6.2, RFC 5492, RFC 4760 8): pure functions, no sockets.
#include <optional>
#include <vector>

#include "bgp/codec/negotiate.hpp"
#include "bgp/codec/notification.hpp"
#include "bgp/codec/open.hpp"
#include "lib/asn.hpp"
#include "lib/config/types.hpp"
#include "lib/result.hpp"

namespace isthmus::bgp::session {

// Speaker-wide facts an OPEN needs besides the neighbor's own settings.
struct LocalIdentity {
    Asn asn{0};
    RouterId router_id{0};
    config::GracefulRestartMode graceful_restart = config::GracefulRestartMode::off;
    std::chrono::seconds restart_time{120};
    bool restarting = false;  // R bit: we are coming back from a restart (RFC 4724 3)
};

// The codec's family for a configured one.
Family to_family(config::Family f);

Open make_open(const LocalIdentity& local, const config::BgpNeighbor& n);

// The peer's OPEN, accepted: what both sides agreed on and the hold time to run.
struct Accepted {
    Negotiated negotiated;
    std::chrono::seconds hold{0};  // min(ours, theirs); 0 = no keepalives at all
    Asn peer_asn{0};
    RouterId peer_id{0};
};

// RFC 4271 6.2 checks that need our configuration: the peer's AS (Bad Peer AS), its
// identifier (Bad BGP Identifier when it equals ours), and at least one family we
// both announced (Unsupported Capability, data: the multiprotocol capabilities we
// wanted, RFC 5492 3). Unknown capabilities are ignored (RFC 5492 3).
Result<Accepted, Notification> check_open(const Open& ours, const Open& theirs, const config::BgpNeighbor& n,
                                          const LocalIdentity& local);

// RFC 4271 6.8: which of two connections to the same peer stays. True when the one
// WE opened stays (our identifier is the higher one).
constexpr bool keep_locally_initiated(RouterId local, RouterId remote) { return local.value() > remote.value(); }

}  // namespace isthmus::bgp::session
