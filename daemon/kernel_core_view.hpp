#pragma once
// The resolver's CoreView in the running daemon: IPv4 routes and interface addresses from the
// netlink monitor's view, LSPs from a copy of ldp/'s LSP table kept current by its change feed
// (the label base builds its table on request, too costly per lookup).
#include <map>
#include <vector>

#include "daemon/resolver/core_view.hpp"
#include "ldp/label/lsp_table.hpp"
#include "netlink/monitor_view.hpp"

namespace isthmus::daemon {

class KernelCoreView final : public resolver::CoreView {
public:
    explicit KernelCoreView(const netlink::MonitorView& view) : view_(view) {}

    std::optional<resolver::CoreRoute> route_to(const Ipv4Address& a) const override;
    const std::vector<ldp::label::LspNextHop>* lsp(const Ipv4Prefix& fec) const override;
    // The interface whose connected IPv6 subnet holds `a` (CE sessions are single-hop).
    std::optional<uint32_t> ipv6_interface(const Ipv6Address& a) const override;

    // ldp/'s LSP changes (an empty row: the FEC has no LSP any more).
    void apply(const std::vector<ldp::label::LspChange>& changes);
    const std::map<Ipv4Prefix, std::vector<ldp::label::LspNextHop>>& lsps() const { return lsps_; }

private:
    const netlink::MonitorView& view_;
    std::map<Ipv4Prefix, std::vector<ldp::label::LspNextHop>> lsps_;
};

}  // namespace isthmus::daemon
