#include "recirculation.hpp"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "lib/log.hpp"
#include "netlink/kernel.hpp"
#include "netlink/monitor_decode.hpp"
#include "netlink/transport.hpp"

namespace isthmus::netlink {

Status<std::string> write_system_file(const std::string& path, const std::string& value) {
    std::ofstream f(path);
    if (!f) return err(std::string(std::strerror(errno)));
    f << value << '\n';
    f.flush();
    if (!f) return err(std::string(std::strerror(errno)));
    return ok_unit;
}

namespace {

// No rp_filter setting is needed: what arrives on `in` is MPLS, which IPv4's reverse-path check
// never sees; and no IPv4 address either: the permanent neighbour entry is all the route needs.
constexpr const char* kPlatformLabels = "/proc/sys/net/mpls/platform_labels";

struct Names {
    std::string out, in;
    std::string mpls_input() const { return "/proc/sys/net/mpls/conf/" + in + "/input"; }
    std::string ipv6_disabled() const { return "/proc/sys/net/ipv6/conf/" + out + "/disable_ipv6"; }
};

// One request, its replies and how it ended: the transport's single-exchange operation (it ends at
// the request's ack or error, like a dump at NLMSG_DONE).
struct Exchange {
    DumpStatus status;
    std::vector<std::vector<uint8_t>> replies;
};

Exchange exchange(Transport& t, std::vector<uint8_t> request) {
    Exchange x;
    x.status = t.dump_sync(std::move(request), [&](std::span<const uint8_t> m) { x.replies.emplace_back(m.begin(), m.end()); });
    return x;
}

uint16_t type_of(const std::vector<uint8_t>& m) {
    uint16_t t = 0;
    if (m.size() >= 6) std::memcpy(&t, m.data() + 4, 2);
    return t;
}

// What the kernel has, read fresh each round.
struct Observed {
    std::optional<LinkInfo> out, in;
    std::optional<Neighbour> neighbour;
    std::optional<std::string> mpls_input, ipv6_disabled;
};

Result<std::optional<LinkInfo>, std::string> read_link(Transport& t, const std::string& name) {
    auto x = exchange(t, get_link_request(name));
    if (x.status.code == ENODEV) return std::optional<LinkInfo>();
    if (!x.status.ok()) return err("recirculation port: reading link " + name + ": " + x.status.error);
    for (auto& m : x.replies)
        if (type_of(m) == RTM_NEWLINK) {
            auto l = decode_link_info(m);
            if (!l) return err("recirculation port: reading link " + name + ": " + l.error());
            return std::optional<LinkInfo>(*l);
        }
    return std::optional<LinkInfo>();
}

Result<std::optional<Neighbour>, std::string> read_neighbour(Transport& t, uint32_t ifindex, Ipv4Address a,
                                                             const std::string& dev) {
    auto x = exchange(t, get_neighbour_request(ifindex, a));
    if (x.status.code == ENOENT) return std::optional<Neighbour>();
    if (!x.status.ok())
        return err("recirculation port: reading neighbour " + a.to_string() + " on " + dev + ": " + x.status.error);
    for (auto& m : x.replies)
        if (type_of(m) == RTM_NEWNEIGH) {
            auto n = decode_neighbour(m);
            if (!n) return err("recirculation port: reading neighbour " + a.to_string() + " on " + dev + ": " + n.error());
            return *n;
        }
    return std::optional<Neighbour>();
}

Result<Observed, std::string> observe(Transport& t, const RecirculationOptions& o, const Names& n) {
    Observed s;
    auto out = read_link(t, n.out);
    if (!out) return err(out.error());
    auto in = read_link(t, n.in);
    if (!in) return err(in.error());
    s.out = *out;
    s.in = *in;
    if (s.out) {
        auto nb = read_neighbour(t, s.out->ifindex, o.gateway, n.out);
        if (!nb) return err(nb.error());
        s.neighbour = *nb;
        s.ipv6_disabled = o.read(n.ipv6_disabled());
    }
    if (s.in) s.mpls_input = o.read(n.mpls_input());
    return s;
}

bool paired(const Observed& s) {
    return s.out && s.in && s.out->kind == "veth" && s.in->kind == "veth" && !s.out->peer_elsewhere &&
           !s.in->peer_elsewhere && s.out->peer_ifindex == s.in->ifindex && s.in->peer_ifindex == s.out->ifindex;
}

// Everything that keeps the port from working, in words for an operator.
std::vector<std::string> problems(const Observed& s, const RecirculationOptions& o, const Names& n) {
    std::vector<std::string> p;
    if (!s.out) p.push_back(n.out + " is missing");
    if (!s.in) p.push_back(n.in + " is missing");
    for (auto* l : {&s.out, &s.in})
        if (*l && (*l)->kind != "veth")
            p.push_back((*l)->name + " is " + ((*l)->kind.empty() ? "a plain device" : "a " + (*l)->kind) + ", not a veth");
    if (s.out && s.in && p.empty() && !paired(s)) p.push_back(n.out + " and " + n.in + " are not each other's peer");
    if (!p.empty()) return p;  // the rest depends on the pair
    for (auto* l : {&*s.out, &*s.in}) {
        if (!l->up) p.push_back(l->name + " is down");
        if (o.mtu && l->mtu != o.mtu)
            p.push_back(l->name + " has MTU " + std::to_string(l->mtu) + ", not " + std::to_string(o.mtu));
    }
    if (!s.mpls_input) p.push_back("no net.mpls.conf." + n.in + " (MPLS input cannot be enabled)");
    else if (*s.mpls_input != "1") p.push_back("net.mpls.conf." + n.in + ".input is " + *s.mpls_input + ", not 1");
    if (s.ipv6_disabled.value_or("1") != "0") p.push_back("IPv6 is disabled on " + n.out);
    auto gw = o.gateway.to_string();
    if (!s.neighbour) p.push_back("no neighbour entry " + gw + " on " + n.out);
    else if (!(s.neighbour->state & NUD_PERMANENT)) p.push_back("neighbour " + gw + " on " + n.out + " is not permanent");
    else if (s.neighbour->mac != s.in->mac)
        p.push_back("neighbour " + gw + " on " + n.out + " is " + (s.neighbour->mac ? to_string(*s.neighbour->mac) : "?") +
                    ", not " + n.in + "'s address");
    return p;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (auto& x : v) s += (s.empty() ? "" : "; ") + x;
    return s;
}

Status<std::string> set_sysctl(const RecirculationOptions& o, const std::string& path, const std::string& value,
                               std::vector<std::string>& changes) {
    if (auto w = o.write(path, value); !w)
        return err("recirculation port: writing " + path + " = " + value + ": " + w.error());
    changes.push_back("wrote " + path + " = " + value);
    return ok_unit;
}

// One round of repairs for what `s` shows; the caller reads the kernel again afterwards.
Status<std::string> repair(Transport& t, const RecirculationOptions& o, const Names& n, const Observed& s,
                           std::vector<std::string>& changes) {
    if (!paired(s)) {
        for (auto* l : {&s.out, &s.in})
            if (*l && (*l)->kind != "veth")
                return err("recirculation port: interface " + (*l)->name + " exists and is not a veth (" +
                           ((*l)->kind.empty() ? std::string("a plain device") : (*l)->kind) +
                           "); remove it or choose another name prefix");
        for (auto* l : {&s.out, &s.in}) {
            if (!*l) continue;
            auto x = exchange(t, delete_link_request((*l)->ifindex));
            // ENODEV: deleting the first end of a pair took this one with it.
            if (!x.status.ok() && x.status.code != ENODEV)
                return err("recirculation port: deleting " + (*l)->name + ": " + x.status.error);
            changes.push_back("deleted " + (*l)->name + " (not paired with " + ((*l)->name == n.out ? n.in : n.out) + ")");
        }
        auto x = exchange(t, new_veth_request(n.out, n.in, o.mtu));
        if (x.status.code == EOPNOTSUPP)
            return err("recirculation port: this kernel has no veth driver (modprobe veth; CONFIG_VETH): " + x.status.error);
        if (!x.status.ok()) return err("recirculation port: creating veth " + n.out + "/" + n.in + ": " + x.status.error);
        changes.push_back("created veth " + n.out + "/" + n.in);
        return ok_unit;
    }
    for (auto* l : {&*s.out, &*s.in}) {
        if (l->up && (!o.mtu || l->mtu == o.mtu)) continue;
        auto x = exchange(t, set_link_up_request(l->ifindex, o.mtu));
        if (!x.status.ok()) return err("recirculation port: setting " + l->name + " up: " + x.status.error);
        changes.push_back("set " + l->name + " up" + (o.mtu ? ", MTU " + std::to_string(o.mtu) : std::string()));
    }
    if (!s.mpls_input)
        return err("recirculation port: no net.mpls.conf." + n.in + ": MPLS input cannot be enabled on it (modprobe mpls_router)");
    if (*s.mpls_input != "1")
        if (auto w = set_sysctl(o, n.mpls_input(), "1", changes); !w) return w;
    if (s.ipv6_disabled.value_or("1") != "0")
        if (auto w = set_sysctl(o, n.ipv6_disabled(), "0", changes); !w) return w;
    const auto& nb = s.neighbour;
    if (s.in->mac && (!nb || !(nb->state & NUD_PERMANENT) || nb->mac != s.in->mac)) {
        auto x = exchange(t, permanent_neighbour_request(s.out->ifindex, o.gateway, *s.in->mac));
        if (!x.status.ok())
            return err("recirculation port: permanent neighbour " + o.gateway.to_string() + " on " + n.out + ": " +
                       x.status.error);
        changes.push_back("neighbour " + o.gateway.to_string() + " on " + n.out + " = " + to_string(*s.in->mac) + " permanent");
    }
    return ok_unit;
}

Result<Names, std::string> names_of(const RecirculationOptions& o) {
    // Both names must fit IFNAMSIZ (16 with the NUL) and be usable as /proc/sys path parts.
    const auto& p = o.name_prefix;
    bool usable = !p.empty() && p.size() <= 14 && p.find_first_of("/: \t\n.") == std::string::npos;
    if (!usable)
        return err("recirculation port: the name prefix \"" + p + "\" is not usable (1 to 14 characters, no '/', '.', ':' or white space)");
    return Names{p + "0", p + "1"};
}

Status<std::string> mpls_present(const RecirculationOptions& o) {
    if (!o.read(kPlatformLabels))
        return err(std::string("recirculation port: this kernel has no MPLS forwarding (no net.mpls.platform_labels): "
                               "modprobe mpls_router mpls_iptunnel"));
    return ok_unit;
}

}  // namespace

Result<RecirculationPort, std::string> Recirculation::ensure(Transport& t, const RecirculationOptions& o) {
    auto n = names_of(o);
    if (!n) return err(n.error());
    if (auto m = mpls_present(o); !m) return err(m.error());
    std::vector<std::string> changes;
    // Recreating the pair takes one round, fixing its settings a second, the third only confirms.
    for (int round = 0;; ++round) {
        auto s = observe(t, o, *n);
        if (!s) return err(s.error());
        auto p = problems(*s, o, *n);
        if (p.empty()) {
            RecirculationPort port{n->out, n->in, s->out->ifindex, s->in->ifindex, o.gateway,
                                   s->in->mac.value_or(MacAddress{}), s->out->mtu, std::move(changes)};
            if (!port.changes.empty())
                log::notice("recirculation port {}/{}: {}", port.out_name, port.in_name, joined(port.changes));
            return port;
        }
        if (round == 2) return err("recirculation port: still wrong after repair: " + joined(p));
        if (auto r = repair(t, o, *n, *s, changes); !r) return err(r.error());
    }
}

Status<std::string> Recirculation::check(Transport& t, const RecirculationOptions& o) {
    auto n = names_of(o);
    if (!n) return err(n.error());
    if (auto m = mpls_present(o); !m) return err(m.error());
    auto s = observe(t, o, *n);
    if (!s) return err(s.error());
    auto p = problems(*s, o, *n);
    if (!p.empty()) return err("recirculation port needs repair: " + joined(p));
    return ok_unit;
}

Status<std::string> Recirculation::remove(Transport& t, const RecirculationOptions& o) {
    auto n = names_of(o);
    if (!n) return err(n.error());
    for (const auto& name : {n->out, n->in}) {
        auto l = read_link(t, name);
        if (!l) return err(l.error());
        if (!*l || (*l)->kind != "veth") continue;  // gone with its peer, or not ours to delete
        auto x = exchange(t, delete_link_request((*l)->ifindex));
        if (!x.status.ok() && x.status.code != ENODEV)
            return err("recirculation port: deleting " + name + ": " + x.status.error);
    }
    return ok_unit;
}

Result<RecirculationPort, std::string> Recirculation::ensure(Kernel& k, const RecirculationOptions& o) {
    return ensure(k.transport(), o);
}
Status<std::string> Recirculation::check(Kernel& k, const RecirculationOptions& o) { return check(k.transport(), o); }
Status<std::string> Recirculation::remove(Kernel& k, const RecirculationOptions& o) { return remove(k.transport(), o); }

}  // namespace isthmus::netlink
