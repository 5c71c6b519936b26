#pragma once
// What the resolver reads about the core: the kernel's IPv4 routes (netlink/ monitoring) and ldp/'s
// LSP table. An interface so the resolution rules are tested without a kernel or an LDP session;
// daemon/ implements it over the real monitor and LDP service.
#include <cstdint>
#include <optional>
#include <vector>

#include "ldp/label/lsp_table.hpp"
#include "lib/ip_address.hpp"
#include "lib/prefix.hpp"

namespace isthmus::daemon::resolver {

// The kernel route that carries traffic to an address (longest match, main table).
struct CoreRoute {
    Ipv4Prefix prefix;
    uint32_t metric = 0;  // RTA_PRIORITY: the IGP cost of DECISIONS 2
};

class CoreView {
public:
    virtual ~CoreView() = default;
    virtual std::optional<CoreRoute> route_to(const Ipv4Address& a) const = 0;
    // ldp/'s row for a FEC; nullptr or empty when LDP has no usable LSP for it.
    virtual const std::vector<ldp::label::LspNextHop>* lsp(const Ipv4Prefix& fec) const = 0;
    // The interface of the kernel's IPv6 route (usually connected) to a CE next hop, if any.
    virtual std::optional<uint32_t> ipv6_interface(const Ipv6Address& a) const = 0;
};

}  // namespace isthmus::daemon::resolver
