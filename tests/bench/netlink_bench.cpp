// The kernel layer's benchmark (issue 10 item 7): N IPv6 /48 routes on K shared 6PE nexthop
// objects are installed, re-labelled (the objects replaced) and removed three ways, interleaved in
// one process so every figure is a ratio within one run:
//   floor    pre-built batched requests, no per-request acks (netlink/ transport, Batch built
//            before the clock starts): the kernel's own cost;
//   ip       `ip -batch` of the same requests (iproute2: one request and one ack at a time);
//   layer    netlink::Fib, the desired-state layer the daemon uses (set_route / replace_forwarding /
//            remove_route, its shadow and reference counts included).
// Re-labelling is compared with a bare `ip nexthop replace` of the K objects. The shadow's
// allocation per route is the layer's own count. Runs inside the MPLS VM, in a namespace prepared
// by netlink-bench.sh (core0 up, MPLS modules loaded), as root.
// Usage: isthmus_netlink_bench ROUTES RUNS
#include <unistd.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <net/if.h>
#include <string>
#include <vector>

#include "netlink/fib.hpp"
#include "netlink/kernel.hpp"

using namespace isthmus;
using namespace isthmus::netlink;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kObjects = 4;
constexpr uint32_t kFirstId = 1000;

uint32_t ifindex_of(const char* name) {
    uint32_t i = if_nametoindex(name);
    if (i == 0) {
        std::fprintf(stderr, "netlink_bench: no interface %s\n", name);
        std::exit(2);
    }
    return i;
}

Ipv6Prefix prefix(uint32_t i) {
    // 2001:db8::/32 has room for 65536 /48s; beyond that, 2001:<1+i/65536>::/32's.
    Ipv6Address::Bytes b{};
    b[0] = 0x20;
    b[1] = 0x01;
    uint32_t hi = 0x0db8 + (i >> 16);
    b[2] = uint8_t(hi >> 8);
    b[3] = uint8_t(hi);
    b[4] = uint8_t(i >> 8);
    b[5] = uint8_t(i);
    return Ipv6Prefix::make(Ipv6Address(b), 48);
}

LabelStack labels(int object, int generation) {
    return LabelStack{MplsLabel::checked(16 + uint32_t(object) + 100u * uint32_t(generation)),
                      MplsLabel::ipv6_explicit_null()};
}

Ipv4Address core_nh() { return *Ipv4Address::parse("10.0.0.2"); }

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
}

void clean() {
    run("ip -6 route flush proto 205 >/dev/null 2>&1; ip nexthop flush proto 205 >/dev/null 2>&1");
}

struct Phases {
    double install = 0, relabel = 0, remove = 0;
};

// ---- floor: our transport, batches built before the clock starts ----
Phases floor_run(Kernel& k, uint32_t routes, uint32_t ifindex) {
    Phases p;
    Batch install = k.batch(), relabel = k.batch(), remove = k.batch();
    for (int o = 0; o < kObjects; ++o)
        install.add(Op::add, NexthopObject::six_pe({kFirstId + uint32_t(o)}, core_nh(), ifindex, labels(o, 0)));
    for (uint32_t i = 0; i < routes; ++i) {
        Ipv6Route r{prefix(i), {kFirstId + i % kObjects}};
        install.add(Op::add, r);
        remove.add(Op::remove, r);
    }
    for (int o = 0; o < kObjects; ++o)
        relabel.add(Op::replace, NexthopObject::six_pe({kFirstId + uint32_t(o)}, core_nh(), ifindex, labels(o, 1)));
    auto check = [](const BatchReport& r, const char* what) {
        if (!r.ok()) std::fprintf(stderr, "floor %s: %s\n", what, r.to_string().c_str());
    };
    auto t = Clock::now();
    check(k.apply_sync(std::move(install)), "install");
    p.install = seconds_since(t);
    t = Clock::now();
    check(k.apply_sync(std::move(relabel)), "relabel");
    p.relabel = seconds_since(t);
    t = Clock::now();
    check(k.apply_sync(std::move(remove)), "remove");
    p.remove = seconds_since(t);
    clean();
    return p;
}

// ---- ip -batch: the same requests as text ----
Phases ip_run(uint32_t routes, const std::string& dir) {
    Phases p;
    {
        std::ofstream in(dir + "/install"), re(dir + "/relabel"), rm(dir + "/remove");
        for (int o = 0; o < kObjects; ++o) {
            in << "nexthop add id " << kFirstId + o << " via ::ffff:10.0.0.2 dev core0 onlink encap mpls "
               << labels(o, 0).to_string() << " proto 205\n";
            re << "nexthop replace id " << kFirstId + o << " via ::ffff:10.0.0.2 dev core0 onlink encap mpls "
               << labels(o, 1).to_string() << " proto 205\n";
        }
        for (uint32_t i = 0; i < routes; ++i) {
            in << "route add " << prefix(i).to_string() << " nhid " << kFirstId + i % kObjects << " proto 205\n";
            rm << "route del " << prefix(i).to_string() << " proto 205\n";
        }
    }
    auto timed = [&](const char* file) {
        auto t = Clock::now();
        if (run("ip -batch " + dir + "/" + file + " >/dev/null") != 0) std::fprintf(stderr, "ip -batch %s failed\n", file);
        return seconds_since(t);
    };
    p.install = timed("install");
    p.relabel = timed("relabel");  // the bare `ip nexthop replace` of the shared objects
    p.remove = timed("remove");
    clean();
    return p;
}

// ---- the desired-state layer ----
struct LayerResult {
    Phases phases;
    double shadow_bytes_per_route = 0;
};

LayerResult layer_run(boost::asio::io_context& io, Kernel& k, uint32_t routes, uint32_t ifindex) {
    LayerResult out;
    KernelPort port(k);
    Fib fib(io, port);
    auto settle = [&] {
        fib.flush();
        while (!fib.idle()) io.run_one();
        io.restart();
    };
    fib.start();
    settle();
    std::vector<Forwarding> objects, next;
    for (int o = 0; o < kObjects; ++o) {
        objects.push_back(Forwarding::six_pe(core_nh(), ifindex, labels(o, 0)));
        next.push_back(Forwarding::six_pe(core_nh(), ifindex, labels(o, 1)));
    }
    auto t = Clock::now();
    for (uint32_t i = 0; i < routes; ++i) {
        Path path{objects[i % kObjects], 1};
        if (auto r = fib.set_route(prefix(i), std::span<const Path>(&path, 1)); !r)
            std::fprintf(stderr, "layer set_route: %s\n", r.error().c_str());
    }
    settle();
    out.phases.install = seconds_since(t);
    auto stats = fib.stats();
    out.shadow_bytes_per_route = stats.routes ? double(stats.route_bytes) / double(stats.routes) : 0;
    t = Clock::now();
    for (int o = 0; o < kObjects; ++o) fib.replace_forwarding(objects[size_t(o)], next[size_t(o)]);
    settle();
    out.phases.relabel = seconds_since(t);
    t = Clock::now();
    for (uint32_t i = 0; i < routes; ++i) fib.remove_route(prefix(i));
    settle();
    out.phases.remove = seconds_since(t);
    for (const auto& f : fib.failures()) std::fprintf(stderr, "layer failure: %s\n", f.c_str());
    clean();
    return out;
}

struct Series {
    std::vector<double> v;
    double median() const {
        auto s = v;
        std::sort(s.begin(), s.end());
        return s.empty() ? 0 : s[s.size() / 2];
    }
    double min() const { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
    double max() const { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
};

void row(const char* what, const Series& s, uint32_t per, const Series& base) {
    double m = s.median();
    std::printf("  %-26s median %9.4f s (min %.4f, max %.4f)", what, m, s.min(), s.max());
    if (per) std::printf("  %8.0f routes/s  %6.2f us/route", per / m, m * 1e6 / per);
    if (base.median() > 0) std::printf("  %5.2fx the floor", m / base.median());
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: isthmus_netlink_bench ROUTES RUNS\n");
        return 2;
    }
    const uint32_t routes = uint32_t(std::strtoul(argv[1], nullptr, 10));
    const int runs = std::atoi(argv[2]);
    const uint32_t ifindex = ifindex_of("core0");
    char tmpl[] = "/tmp/netlink-bench-XXXXXX";
    const std::string dir = ::mkdtemp(tmpl);

    boost::asio::io_context io;
    auto kernel = Kernel::open(io);
    if (!kernel) {
        std::fprintf(stderr, "netlink_bench: %s\n", kernel.error().c_str());
        return 2;
    }
    clean();
    std::map<std::string, Series> s;
    double shadow = 0;
    for (int r = 0; r < runs; ++r) {
        // Interleaved, and the order rotated, so drift in the VM's speed hits every method alike.
        for (int m = 0; m < 3; ++m) {
            switch ((m + r) % 3) {
                case 0: {
                    auto p = floor_run(**kernel, routes, ifindex);
                    s["floor install"].v.push_back(p.install);
                    s["floor relabel"].v.push_back(p.relabel);
                    s["floor remove"].v.push_back(p.remove);
                    break;
                }
                case 1: {
                    auto p = ip_run(routes, dir);
                    s["ip install"].v.push_back(p.install);
                    s["ip relabel"].v.push_back(p.relabel);
                    s["ip remove"].v.push_back(p.remove);
                    break;
                }
                default: {
                    auto l = layer_run(io, **kernel, routes, ifindex);
                    s["layer install"].v.push_back(l.phases.install);
                    s["layer relabel"].v.push_back(l.phases.relabel);
                    s["layer remove"].v.push_back(l.phases.remove);
                    shadow = l.shadow_bytes_per_route;
                }
            }
        }
    }
    std::ifstream compat("/proc/sys/net/ipv4/nexthop_compat_mode");
    int mode = -1;
    compat >> mode;
    std::printf("netlink bench: %u routes on %d nexthop objects, %d interleaved run(s), nexthop_compat_mode=%d\n",
                routes, kObjects, runs, mode);
    std::printf(" install\n");
    row("floor (batched, no acks)", s["floor install"], routes, {});
    row("ip -batch", s["ip install"], routes, s["floor install"]);
    row("desired-state layer", s["layer install"], routes, s["floor install"]);
    std::printf(" re-label (replace %d objects)\n", kObjects);
    row("bare ip nexthop replace", s["ip relabel"], 0, {});
    row("floor (batched)", s["floor relabel"], 0, {});
    row("desired-state layer", s["layer relabel"], 0, {});
    std::printf("   layer / bare ip nexthop replace: %.2fx\n", s["layer relabel"].median() / s["ip relabel"].median());
    std::printf(" remove\n");
    row("floor (batched, no acks)", s["floor remove"], routes, {});
    row("ip -batch", s["ip remove"], routes, s["floor remove"]);
    row("desired-state layer", s["layer remove"], routes, s["floor remove"]);
    std::printf(" layer shadow: %.1f bytes/route (its own allocation count)\n", shadow);
    run("rm -rf " + dir);
    return 0;
}
