#include "daemon/resolver/egress.hpp"

#include <algorithm>

#include "daemon/resolver/labels.hpp"

namespace isthmus::daemon::resolver {

EgressResolution resolve_egress(const Ipv4Address& egress, MplsLabel bgp_label, const CoreView& core) {
    EgressResolution r;
    const std::string pe = egress.to_string();
    auto route = core.route_to(egress);
    if (!route) {
        r.reason = "no IPv4 route to the egress PE " + pe;
        return r;
    }
    r.fec = route->prefix;
    r.igp_cost = route->metric;
    // DECISIONS 4: the LSP of the FEC equal to the kernel route that resolves A, nothing re-derived.
    const auto* lsp = core.lsp(route->prefix);
    if (!lsp || lsp->empty()) {
        r.reason = "no LDP label for " + route->prefix.to_string() + " (the route to " + pe + ")";
        return r;
    }
    std::string first_error;
    for (const auto& hop : *lsp) {
        auto stack = stack_for(hop.out_label, bgp_label);
        if (!stack) {
            if (first_error.empty()) first_error = stack.error();
            continue;
        }
        r.paths.push_back({hop.next_hop, hop.ifindex, *stack});
    }
    std::sort(r.paths.begin(), r.paths.end());
    r.paths.erase(std::unique(r.paths.begin(), r.paths.end()), r.paths.end());
    if (r.paths.empty()) r.reason = first_error + " (egress PE " + pe + ")";
    return r;
}

}  // namespace isthmus::daemon::resolver
