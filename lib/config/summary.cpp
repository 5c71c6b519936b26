// role() and summary(): what `isthmusd --check-config` prints about a valid config.
#include <fmt/format.h>

#include <algorithm>

#include "config.hpp"
#include "names.hpp"

namespace isthmus::config {

namespace {

std::string families(const BgpNeighbor& nb) {
    std::string out;
    for (auto f : nb.families) {
        if (!out.empty()) out += ",";
        out += name_of(kFamilyNames, f);
    }
    return out;
}

std::string secs(Seconds s) { return std::to_string(s.count()) + "s"; }

std::string protocol_name(uint8_t id) {
    for (const auto& [name, value] : kKernelProtocolNames)
        if (value == id) return std::string(name);
    return std::to_string(id);
}

void bgp_lines(const Config& c, std::string& out) {
    const auto& b = *c.bgp;
    out += fmt::format("bgp:             AS {}, label mode {}, max paths {}, graceful restart {}\n",
                       b.local_as.to_string(), name_of(kLabelModeNames, b.label_mode), b.max_paths,
                       name_of(kGracefulRestartModeNames, b.graceful_restart.mode));
    if (std::any_of(b.neighbors.begin(), b.neighbors.end(), [](const auto& n) { return n.route_reflector_client; }))
        out += fmt::format("  cluster id     {}\n", b.cluster_id.value_or(c.router_id).to_string());
    for (const auto& n : b.neighbors) {
        std::string notes;
        if (n.route_reflector_client) notes += " rr-client";
        if (n.passive) notes += " passive";
        if (n.password) notes += " md5";
        if (n.shutdown) notes += " shutdown";
        if (n.import_policy) notes += " import=" + *n.import_policy;
        if (n.export_policy) notes += " export=" + *n.export_policy;
        // RFC 8212: an eBGP session without policies exchanges nothing; say so before the user wonders why.
        if (!b.is_ibgp(n) && (!n.import_policy || !n.export_policy)) notes += " (RFC 8212: no policy = reject)";
        out += fmt::format("  neighbor {:<22} AS {:<10} {} {} hold {}{}{}\n", n.address.to_string(),
                           n.remote_as.to_string(), b.is_ibgp(n) ? "iBGP" : "eBGP", families(n),
                           secs(n.timers.hold_time), notes, n.description.empty() ? "" : "  \"" + n.description + "\"");
    }
    const auto& r = b.redistribute;
    if (r.any()) {
        std::string what;
        auto add = [&](const std::string& w) { what += (what.empty() ? "" : ", ") + w; };
        if (r.connected) add("connected");
        if (r.static_routes) add("static-routes");
        for (auto p : r.kernel_protocols) add("kernel protocol " + protocol_name(p));
        out += fmt::format("  redistribute   {}{}\n", what, r.policy ? " (policy " + *r.policy + ")" : "");
    }
    for (const auto& o : b.igp_cost_overrides)
        out += fmt::format("  igp cost       {} = {}\n", o.next_hop.to_string(), o.cost);
}

void ldp_lines(const Ldp& l, std::string& out) {
    out += fmt::format("ldp:             transport {}, egress {}, {} control, session hold {}, graceful restart {}\n",
                       l.transport_address.to_string(), name_of(kLdpEgressLabelNames, l.egress_label),
                       name_of(kLdpControlModeNames, l.control_mode), secs(l.session_hold_time),
                       name_of(kGracefulRestartModeNames, l.graceful_restart.mode));
    out += fmt::format("  fecs           {}\n", l.fec_policy ? "policy " + *l.fec_policy : "IPv4 /32 host routes");
    for (const auto& i : l.interfaces)
        out +=
            fmt::format("  interface      {} (hello {}/{})\n", i.name, secs(i.hello_interval), secs(i.hello_hold_time));
    for (const auto& t : l.targeted_neighbors)
        out += fmt::format("  targeted       {} (hello {}/{})\n", t.address.to_string(), secs(t.hello_interval),
                           secs(t.hello_hold_time));
    if (l.igp_sync_hook) out += fmt::format("  igp sync hook  {} (delay {})\n", *l.igp_sync_hook, secs(l.igp_sync_delay));
    if (l.session_protection)
        out += l.session_protection_duration
                   ? fmt::format("  session protection on, {} after link loss\n", secs(*l.session_protection_duration))
                   : std::string("  session protection on\n");
}

}  // namespace

std::string role(const Config& c) {
    if (!c.bgp) return c.ldp ? "P (LDP only)" : "none (no bgp or ldp section)";
    const auto& ns = c.bgp->neighbors;
    bool six_pe = std::any_of(ns.begin(), ns.end(), [](const auto& n) { return n.has(Family::ipv6_labeled_unicast); });
    bool ce = std::any_of(ns.begin(), ns.end(), [](const auto& n) { return n.has(Family::ipv6_unicast); }) ||
              !c.static_routes.empty() || c.bgp->redistribute.any();
    bool rr = std::any_of(ns.begin(), ns.end(), [](const auto& n) { return n.route_reflector_client; });
    std::string r;
    if (six_pe && ce)
        r = rr ? "PE and route reflector" : "PE";
    else if (rr)
        r = "route reflector";
    else
        r = six_pe ? "PE (no CE side configured)" : "BGP speaker (no 6PE neighbor)";
    if (!c.kernel.install) r += ", kernel programming off";
    return r;
}

std::string summary(const Config& c) {
    std::string out;
    out += fmt::format("config:          schema version {}\n", c.version);
    out += fmt::format("role:            {}\n", role(c));
    out += fmt::format("router id:       {}\n", c.router_id.to_string());
    out += fmt::format("log level:       {}\n", log::level_name(c.log_level));
    out += fmt::format("control socket:  {}\n", c.control_socket);
    if (c.bgp) bgp_lines(c, out);
    if (c.ldp) ldp_lines(*c.ldp, out);
    out += fmt::format("labels:          ldp {}, bgp {}, recirculation {}\n", c.labels.ldp.to_string(),
                       c.labels.bgp.to_string(), c.labels.recirculation.to_string());
    out += fmt::format("kernel:          {}, {} forwarding, sysctls {}, nexthop_compat_mode {}\n",
                       c.kernel.install ? "install routes" : "install nothing",
                       name_of(kForwardingModeNames, c.kernel.forwarding),
                       c.kernel.set_sysctls ? "set by isthmusd" : "checked only",
                       c.kernel.nexthop_compat_mode ? std::to_string(*c.kernel.nexthop_compat_mode) : "as found");
    out += fmt::format("static routes:   {}\n", c.static_routes.size());
    std::string names;
    for (const auto& [name, p] : c.policies) names += (names.empty() ? "" : ", ") + name;
    out += fmt::format("policies:        {}{}, prefix lists {}\n", c.policies.size(),
                       names.empty() ? "" : " (" + names + ")", c.prefix_lists.size());
    return out;
}

}  // namespace isthmus::config
