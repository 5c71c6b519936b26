// isthmus_recirculation_probe: drives netlink/'s recirculation port (netlink/recirculation.hpp)
// from the command line for tests/selftest/recirculation.sh, which runs it inside the namespaces
// of the static 6PE lab in the MPLS VM. Not a user tool.
//
//   probe [--prefix P] [--mtu N] ensure     create/adopt/repair; prints the port and what was done
//   probe [--prefix P] check                "intact", or the problems and exit 1
//   probe [--prefix P] remove
//   probe hier NHID PREFIX LOCAL BGP LDP CORE_NH CORE_IF
//        ensure, then one batch: object NHID pushing [LOCAL/BGP] into the port, label route
//        LOCAL -> swap to LDP (3: pop) via inet CORE_NH dev CORE_IF, route PREFIX nhid NHID
//   probe flat NHID PREFIX LDP BGP CORE_NH CORE_IF
//        one batch: object NHID pushing [LDP/BGP] via ::ffff:CORE_NH dev CORE_IF onlink, route on it
//   probe capture IF COUNT SECONDS          label stacks of the MPLS frames seen on IF, one per line
//   probe sink PORT                         a UDP socket that never reads (no ICMP port unreachable)
//   probe blast ADDR PORT COUNT             COUNT small UDP datagrams as fast as possible; prints pps
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "netlink/kernel.hpp"
#include "netlink/recirculation.hpp"

using namespace isthmus;
using namespace isthmus::netlink;

namespace {

[[noreturn]] void die(const std::string& why) {
    std::cerr << "error: " << why << "\n";
    std::exit(1);
}

uint32_t number(const std::string& s) {
    try {
        return uint32_t(std::stoul(s));
    } catch (...) {
        die("not a number: " + s);
    }
}

MplsLabel label(const std::string& s) {
    auto l = MplsLabel::from_value(number(s));
    if (!l) die("label out of range: " + s);
    return *l;
}

uint32_t ifindex(const std::string& name) {
    auto i = if_nametoindex(name.c_str());
    if (!i) die("no interface " + name);
    return i;
}

template <class T>
T need(Result<T, std::string> r) {
    if (!r) die(r.error());
    return std::move(*r);
}

void print(const RecirculationPort& p) {
    std::cout << "port out " << p.out_name << " ifindex " << p.ifindex_out << " in " << p.in_name << " ifindex "
              << p.ifindex_in << " gateway " << p.gateway6().to_string() << " mac " << to_string(p.in_mac) << " mtu "
              << p.mtu << "\n";
    for (auto& c : p.changes) std::cout << "change: " << c << "\n";
    if (p.changes.empty()) std::cout << "change: none (adopted)\n";
}

int apply(Kernel& k, Batch b) {
    auto report = k.apply_sync(std::move(b));
    if (!report.ok()) {
        std::cerr << report.to_string();
        return 1;
    }
    return 0;
}

// MPLS frames on an interface (AF_PACKET, cooked: the payload starts at the label stack).
int capture(const std::string& dev, int count, int seconds) {
    int s = socket(AF_PACKET, SOCK_DGRAM, htons(0x8847));
    if (s < 0) die(std::string("AF_PACKET socket: ") + std::strerror(errno));
    sockaddr_ll a{};
    a.sll_family = AF_PACKET;
    a.sll_protocol = htons(0x8847);
    a.sll_ifindex = int(ifindex(dev));
    if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die(std::string("bind: ") + std::strerror(errno));
    std::cout << "ready" << std::endl;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int seen = 0;
    while (seen < count) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        pollfd p{s, POLLIN, 0};
        if (poll(&p, 1, int(left)) <= 0) continue;
        uint8_t buf[2048];
        sockaddr_ll from{};
        socklen_t fl = sizeof from;
        long n = recvfrom(s, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
        if (n < 4 || from.sll_pkttype == PACKET_OUTGOING) continue;  // only what arrives here
        std::string stack;
        for (long off = 0; off + 4 <= n; off += 4) {
            uint32_t e = uint32_t(buf[off]) << 24 | uint32_t(buf[off + 1]) << 16 | uint32_t(buf[off + 2]) << 8 | buf[off + 3];
            stack += (stack.empty() ? "" : "/") + std::to_string(e >> 12);
            if (e & 0x100) break;  // bottom of stack
        }
        std::cout << stack << std::endl;
        ++seen;
    }
    close(s);
    return 0;
}

int sink(uint16_t port) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    int small = 4096;
    (void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die(std::string("sink: ") + std::strerror(errno));
    std::cout << "ready" << std::endl;
    for (;;) pause();
}

int blast(const std::string& addr, uint16_t port, uint32_t count) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    if (s < 0 || inet_pton(AF_INET6, addr.c_str(), &a.sin6_addr) != 1) die("blast: bad address " + addr);
    if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die(std::string("connect: ") + std::strerror(errno));
    char payload[32] = "isthmus recirculation probe";
    std::vector<iovec> iov(64, iovec{payload, sizeof payload});
    std::vector<mmsghdr> msgs(64);
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        msgs[i] = {};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    uint32_t sent = 0, errors = 0;
    auto t0 = std::chrono::steady_clock::now();
    while (sent + errors < count) {
        unsigned n = unsigned(std::min<uint32_t>(64, count - sent - errors));
        int r = sendmmsg(s, msgs.data(), n, 0);
        if (r < 0) {
            ++errors;  // ENOBUFS and the like: a datagram not sent, counted
            continue;
        }
        sent += uint32_t(r);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("sent %u (send errors %u) in %.3f s: %.0f pps\n", sent, errors, secs, sent / secs);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> a(argv + 1, argv + argc);
    RecirculationOptions o;
    while (!a.empty() && a[0].rfind("--", 0) == 0) {
        if (a.size() < 2) die("option without value: " + a[0]);
        if (a[0] == "--prefix") o.name_prefix = a[1];
        else if (a[0] == "--mtu") o.mtu = number(a[1]);
        else die("unknown option " + a[0]);
        a.erase(a.begin(), a.begin() + 2);
    }
    if (a.empty()) die("usage: see the comment at the top of recirculation_probe.cpp");
    const std::string cmd = a[0];
    if (cmd == "capture" && a.size() == 4) return capture(a[1], int(number(a[2])), int(number(a[3])));
    if (cmd == "sink" && a.size() == 2) return sink(uint16_t(number(a[1])));
    if (cmd == "blast" && a.size() == 4) return blast(a[1], uint16_t(number(a[2])), number(a[3]));

    boost::asio::io_context io;
    auto kernel = need(Kernel::open(io));
    if (cmd == "ensure") {
        print(need(Recirculation::ensure(*kernel, o)));
        return 0;
    }
    if (cmd == "check") {
        auto c = Recirculation::check(*kernel, o);
        std::cout << (c ? std::string("intact") : c.error()) << "\n";
        return c ? 0 : 1;
    }
    if (cmd == "remove") {
        auto r = Recirculation::remove(*kernel, o);
        if (!r) die(r.error());
        return 0;
    }
    if (cmd == "hier" && a.size() == 8) {
        auto port = need(Recirculation::ensure(*kernel, o));
        print(port);
        NexthopId id{number(a[1])};
        auto prefix = need(Ipv6Prefix::parse_strict(a[2]));
        auto local = label(a[3]), bgp = label(a[4]), ldp = label(a[5]);
        auto core_nh = need(Ipv4Address::parse(a[6]));
        auto core_if = ifindex(a[7]);
        auto b = kernel->batch();
        b.add(Op::replace, port.nexthop(id, LabelStack{local, bgp}));
        // The one entry an LSP change touches: swap the local label for the LDP label (or pop it).
        b.add(Op::replace, ldp.is_implicit_null() ? MplsRoute::pop(local, core_nh, core_if)
                                                  : MplsRoute::swap(local, LabelStack{ldp}, core_nh, core_if));
        b.add(Op::replace, Ipv6Route{prefix, id});
        return apply(*kernel, std::move(b));
    }
    if (cmd == "flat" && a.size() == 7) {
        NexthopId id{number(a[1])};
        auto prefix = need(Ipv6Prefix::parse_strict(a[2]));
        auto ldp = label(a[3]), bgp = label(a[4]);
        auto core_nh = need(Ipv4Address::parse(a[5]));
        auto b = kernel->batch();
        b.add(Op::replace, NexthopObject::six_pe(id, core_nh, ifindex(a[6]), LabelStack{ldp, bgp}));
        b.add(Op::replace, Ipv6Route{prefix, id});
        return apply(*kernel, std::move(b));
    }
    die("bad command line (see recirculation_probe.cpp)");
}
