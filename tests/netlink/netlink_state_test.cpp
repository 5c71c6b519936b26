// isthmus_netlink_statetest: runs netlink/'s Monitor and desired-state layer (Fib) in one
// namespace, driven line by line from stdin, so tests/selftest/netlink-state.sh can check
// adoption and the sweep, an object replace, drift repair and a link going down against the real
// kernel. Not a user tool.
//
//   isthmus_netlink_statetest [--hold MS]     (the Fib starts once the Monitor's first sync is done)
// Commands (one per line; each answered by one line "ok N <result>", N counting from 1):
//   route PREFIX via V4 dev IF labels L/L          one 6PE route on a shared object
//   bulk FIRST COUNT via V4 dev IF labels L/L      routes 2001:db8:1000:<i>::/64
//   unroute PREFIX
//   swap IN OUT via V4 dev IF                      a label route (LFIB)
//   relabel V4 dev IF FROM TO                      replace_forwarding: one nexthop replace
//   release                                        release_sweep()
//   wait-idle                                      answers once nothing is pending (or after 30 s: "timeout")
//   show                                           counters of the Fib and the Monitor
//   nhid PREFIX                                    the object a route uses and whether it is in
//   quit
// Every monitor event is printed as "event <text>", every kernel refusal as "refused <text>".
#include <net/if.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "netlink/fib.hpp"
#include "netlink/kernel.hpp"
#include "netlink/monitor.hpp"

using namespace isthmus;
using namespace isthmus::netlink;

namespace {

struct Driver {
    Driver(boost::asio::io_context& i, Fib& f, Monitor& m) : io(i), fib(f), mon(m) {}
    boost::asio::io_context& io;
    Fib& fib;
    Monitor& mon;
    boost::asio::posix::stream_descriptor in{io, ::dup(0)};
    boost::asio::streambuf buf;
    boost::asio::steady_timer idle_timer{io};
    unsigned n = 0;

    void answer(unsigned id, const std::string& text) {
        std::printf("ok %u %s\n", id, text.c_str());
        std::fflush(stdout);
    }

    static Forwarding forwarding(const std::vector<std::string>& w, std::size_t at) {
        // "via V4 dev IF labels L/L"
        if (w.size() < at + 6 || w[at] != "via" || w[at + 2] != "dev" || w[at + 4] != "labels")
            throw std::runtime_error("want: via V4 dev IF labels L/L");
        auto gw = Ipv4Address::parse(w[at + 1]);
        auto labels = LabelStack::parse(w[at + 5]);
        unsigned ifindex = if_nametoindex(w[at + 3].c_str());
        if (!gw || !labels || !ifindex) throw std::runtime_error("bad next hop");
        return Forwarding::six_pe(*gw, ifindex, *labels);
    }

    static Ipv6Prefix bulk_prefix(uint32_t i) {
        Ipv6Address::Bytes b{0x20, 0x01, 0x0d, 0xb8, 0x10, 0x00, uint8_t(i >> 8), uint8_t(i)};
        return Ipv6Prefix::make(Ipv6Address(b), 64);
    }

    std::string show() {
        auto s = fib.stats();
        const auto& m = mon.stats();
        std::ostringstream o;
        o << "routes=" << s.routes << " objects=" << s.objects << " groups=" << s.groups << " requests=" << s.requests
          << " batches=" << s.batches << " failures=" << s.failures << " repairs=" << s.repairs << " adopted=" << s.adopted
          << " swept=" << s.swept << " reconciliations=" << s.reconciliations << " idle=" << fib.idle()
          << " monitor_messages=" << m.messages << " overruns=" << m.overruns << " resyncs=" << m.resyncs
          << " route_bytes=" << s.route_bytes;
        return o.str();
    }

    void wait_idle(unsigned id, int tries) {
        if (fib.idle() || tries == 0) return answer(id, tries == 0 ? "timeout" : "idle");
        idle_timer.expires_after(std::chrono::milliseconds(20));
        idle_timer.async_wait([this, id, tries](const boost::system::error_code& ec) {
            if (!ec) wait_idle(id, tries - 1);
        });
    }

    void command(const std::string& line) {
        unsigned id = ++n;
        std::istringstream ss(line);
        std::vector<std::string> w;
        for (std::string x; ss >> x;) w.push_back(x);
        try {
            if (w.empty()) return answer(id, "empty");
            if (w[0] == "route" && w.size() >= 2) {
                auto p = Ipv6Prefix::parse(w[1]);
                if (!p) throw std::runtime_error(p.error());
                std::vector<Path> paths{Path{forwarding(w, 2), 1}};
                auto s = fib.set_route(*p, paths);
                return answer(id, s ? "set" : s.error());
            }
            if (w[0] == "bulk" && w.size() >= 3) {
                uint32_t first = std::stoul(w[1]), count = std::stoul(w[2]);
                std::vector<Path> paths{Path{forwarding(w, 3), 1}};
                for (uint32_t i = first; i < first + count; ++i)
                    if (auto s = fib.set_route(bulk_prefix(i), paths); !s) return answer(id, s.error());
                return answer(id, "set " + std::to_string(count));
            }
            if (w[0] == "swap" && w.size() == 7 && w[3] == "via" && w[5] == "dev") {
                auto in_label = MplsLabel::parse(w[1]);
                auto out = LabelStack::parse(w[2]);
                auto gw = Ipv4Address::parse(w[4]);
                unsigned ifindex = if_nametoindex(w[6].c_str());
                if (!in_label || !out || !gw || !ifindex) throw std::runtime_error("bad label route");
                fib.set_mpls_route(MplsRoute::swap(*in_label, *out, *gw, ifindex));
                return answer(id, "set");
            }
            if (w[0] == "unroute" && w.size() == 2) {
                fib.remove_route(*Ipv6Prefix::parse(w[1]));
                return answer(id, "removed");
            }
            if (w[0] == "relabel" && w.size() == 6) {
                auto from = forwarding({"via", w[1], "dev", w[3], "labels", w[4]}, 0);
                auto to = forwarding({"via", w[1], "dev", w[3], "labels", w[5]}, 0);
                return answer(id, fib.replace_forwarding(from, to) ? "replaced" : "no such object");
            }
            if (w[0] == "release") {
                fib.release_sweep();
                return answer(id, "released");
            }
            if (w[0] == "wait-idle") return wait_idle(id, 1500);
            if (w[0] == "show") return answer(id, show());
            if (w[0] == "nhid" && w.size() == 2) {
                auto p = *Ipv6Prefix::parse(w[1]);
                return answer(id, std::to_string(fib.route_nhid(p)) + " installed=" + std::to_string(fib.route_installed(p)));
            }
            if (w[0] == "quit") {
                answer(id, "bye");
                io.stop();
                return;
            }
            answer(id, "unknown command");
        } catch (const std::exception& e) {
            answer(id, std::string("error: ") + e.what());
        }
    }

    void read() {
        boost::asio::async_read_until(in, buf, '\n', [this](const boost::system::error_code& ec, std::size_t) {
            if (ec) {  // the script closed its end: done
                io.stop();
                return;
            }
            std::istream is(&buf);
            std::string line;
            std::getline(is, line);
            command(line);
            read();
        });
    }
};

}  // namespace

int main(int argc, char** argv) {
    FibOptions options;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--hold" && i + 1 < argc) options.sweep_hold = std::chrono::milliseconds(std::stoul(argv[++i]));
        else {
            std::cerr << "usage: isthmus_netlink_statetest [--hold MS] < commands\n";
            return 2;
        }
    }
    boost::asio::io_context io;
    auto kernel = Kernel::open(io);
    if (!kernel) {
        std::cerr << kernel.error() << "\n";
        return 1;
    }
    auto mon = Monitor::open(io);
    if (!mon) {
        std::cerr << mon.error() << "\n";
        return 1;
    }
    KernelPort port(**kernel);
    Fib fib(io, port, options);
    fib.on_failure([](const KernelError& e) {
        std::printf("refused %s\n", e.to_string().c_str());
        std::fflush(stdout);
    });
    (*mon)->subscribe([&](const MonitorEvent& e) {
        fib.on_event(e);
        // The initial dump is long and says nothing new; everything after it is printed.
        bool from_dump = std::visit([](const auto& v) {
            if constexpr (requires { v.origin; }) return v.origin == Origin::dump;
            else return false;
        }, e);
        if (!from_dump || std::holds_alternative<SyncEvent>(e)) {
            std::printf("event %s\n", to_string(e).c_str());
            std::fflush(stdout);
        }
        if (auto* s = std::get_if<SyncEvent>(&e); s && s->initial) fib.start();
    });
    (*mon)->start();
    Driver d(io, fib, **mon);
    d.read();
    io.run();
    return 0;
}
