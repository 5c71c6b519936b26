#include "monitor_types.hpp"

#include <linux/neighbour.h>

#include <fmt/format.h>

#include "lib/overloaded.hpp"

namespace isthmus::netlink {

namespace {
// Interfaces by number: these texts describe kernel state that may name links gone since.
std::string if_text(uint32_t ifindex) { return "#" + std::to_string(ifindex); }

std::string paths_text(const std::vector<RouteNexthop>& paths) {
    std::string out;
    for (const auto& p : paths) {
        if (paths.size() > 1) out += " nexthop";
        if (!p.labels.empty()) out += " encap mpls " + p.labels.to_string();
        if (p.gateway) out += " via " + p.gateway->to_string();
        if (p.ifindex) out += " dev " + if_text(p.ifindex);
        if (p.onlink) out += " onlink";
        if (paths.size() > 1) out += " weight " + std::to_string(p.weight);
    }
    return out;
}

template <class R>
std::string route_text(const R& r) {
    std::string out = r.prefix.to_string();
    if (r.type != RouteType::unicast) out = "type " + std::to_string(int(r.type)) + " " + out;
    if (r.nhid.valid()) out += " nhid " + std::to_string(r.nhid.value);
    out += paths_text(r.nexthops);
    out += " proto " + std::to_string(r.protocol) + " metric " + std::to_string(r.metric);
    if (r.table != kMainTable) out += " table " + std::to_string(r.table);
    return out;
}

template <class T>
std::string update_text(const Update<T>& u) {
    std::string out = (u.removed ? "- " : "+ ") + to_string(u.value);
    if (u.origin == Origin::derived) out += " (derived)";
    if (u.origin == Origin::dump) out += " (dump)";
    return out;
}
}  // namespace

bool Neighbour::usable() const {
    return (state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)) != 0;
}

std::string to_string(Table t) {
    switch (t) {
        case Table::links: return "links";
        case Table::addresses: return "addresses";
        case Table::ipv4_routes: return "IPv4 routes";
        case Table::ipv6_routes: return "IPv6 routes";
        case Table::neighbours: return "neighbours";
        case Table::nexthops: return "nexthop objects";
        case Table::label_routes: return "label routes";
    }
    return "?";
}

std::string to_string(const Link& l) {
    return fmt::format("link {} {} {}/{} mtu {}", l.ifindex, l.name, l.admin_up ? "up" : "down",
                       l.oper_up ? "up" : "down", l.mtu);
}

std::string to_string(const Address& a) {
    return fmt::format("address {}/{} dev {}", a.address.to_string(), a.prefix_length, if_text(a.ifindex));
}

std::string to_string(const Ipv4RouteInfo& r) { return "route " + route_text(r); }
std::string to_string(const Ipv6RouteInfo& r) { return "route " + route_text(r); }

std::string to_string(const Neighbour& n) {
    std::string mac = "incomplete";
    if (n.mac) mac = fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", (*n.mac)[0], (*n.mac)[1], (*n.mac)[2],
                                 (*n.mac)[3], (*n.mac)[4], (*n.mac)[5]);
    return fmt::format("neighbour {} dev {} lladdr {} state {:#x}", n.address.to_string(), if_text(n.ifindex),
                       mac, n.state);
}

std::string to_string(const NexthopInfo& n) {
    std::string out = "nexthop id " + std::to_string(n.id.value);
    if (!n.members.empty()) {
        out += " group ";
        for (std::size_t i = 0; i < n.members.size(); ++i) {
            if (i) out += "/";
            out += std::to_string(n.members[i].id.value);
            if (n.members[i].weight != 1) out += "," + std::to_string(n.members[i].weight);
        }
    }
    if (n.blackhole) out += " blackhole";
    if (!n.labels.empty()) out += " encap mpls " + n.labels.to_string();
    if (n.gateway) out += " via " + n.gateway->to_string();
    if (n.ifindex) out += " dev " + if_text(n.ifindex);
    if (n.onlink) out += " onlink";
    return out + " proto " + std::to_string(n.protocol);
}

std::string to_string(const LabelRouteInfo& r) {
    return "label route " + to_string(r.route) + " proto " + std::to_string(r.protocol);
}

std::string to_string(const MonitorEvent& e) {
    return std::visit(Overloaded{
                          [](const SyncEvent& s) {
                              std::string out = s.initial ? "initial sync complete:" : "resync complete:";
                              for (auto t : s.tables) out += " " + to_string(t) + ",";
                              if (!s.tables.empty()) out.pop_back();
                              return out;
                          },
                          [](const auto& u) { return update_text(u); },
                      },
                      e);
}

}  // namespace isthmus::netlink
