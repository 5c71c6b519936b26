#pragma once
// A path in the Loc-RIB: one per (peer, family) for learned routes, one per source for local routes.
// What varies per prefix (next hop, labels) lives here, the rest in the interned attributes.
#include "bgp/codec/family.hpp"
#include "bgp/rib/types.hpp"
#include "lib/config/types.hpp"
#include "lib/mpls_label.hpp"

namespace isthmus::bgp::rib {

struct Path {
    PeerId peer = kLocalPeer;
    Family family = Family::Ipv6Unicast;
    Attrs attrs;
    PathNextHop next_hop;
    LabelStack labels;  // as received (6PE)
    bool stale = false;  // graceful restart: kept until End-of-RIB or the sweep
    config::RouteSource source = config::RouteSource::bgp;
    uint8_t kernel_protocol = 0;

    bool local() const { return peer == kLocalPeer; }
    // The same route slot: a newer announcement replaces it.
    bool same_slot(const Path& o) const {
        return peer == o.peer && (local() ? source == o.source : family == o.family);
    }
};

}  // namespace isthmus::bgp::rib
