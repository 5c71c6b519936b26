// isthmus_netlink_vmtest: drives netlink/'s domain API from the command line, so the VM self-test
// (tests/selftest/netlink-kernel.sh) can program each namespace of a topology through our layer
// and read it back. Not a user tool: its grammar mirrors the layer's own to_string() output.
//
//   isthmus_netlink_vmtest [--sync] [--chunk N] [--each] apply OP...   one batch (--each: one batch
//                                per OP, all queued at once); failures on stderr, exit 1
//   isthmus_netlink_vmtest dump                                our entries, one per line
//   isthmus_netlink_vmtest preconditions [--p] [--label N] IF...  findings, exit 1 on any error
//   isthmus_netlink_vmtest nexthop-objects                     does this kernel have them
// OP (one argument each):
//   nh add|replace|delete ID [via ADDR dev IF [onlink] [encap L/L..]]   (IPv4 ADDR: ::ffff:ADDR onlink)
//   group add|replace|delete ID [MEMBER[:WEIGHT]...]
//   route6 add|replace|delete PREFIX [nhid N] [metric M]
//   mpls add|replace|delete LABEL [PATH [nexthop PATH]...]   PATH: [as L/L..] [via inet|inet6 ADDR] dev IF
//   bulk add|delete FIRST COUNT [nhid N]     routes 2001:db8:1000:<i>::/64 for i in FIRST..FIRST+COUNT-1
#include <net/if.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "netlink/kernel.hpp"
#include "netlink/preconditions.hpp"

using namespace isthmus;
using namespace isthmus::netlink;

namespace {

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

template <class T>
T need(Result<T, std::string> r) {
    if (!r) throw Usage(r.error());
    return *r;
}

uint32_t number(const std::string& s) {
    try {
        return uint32_t(std::stoul(s));
    } catch (...) {
        throw Usage("not a number: " + s);
    }
}

uint32_t ifindex(const std::string& name) {
    auto i = if_nametoindex(name.c_str());
    if (!i) throw Usage("no interface " + name);
    return i;
}

Op op_of(const std::string& s) {
    if (s == "add") return Op::add;
    if (s == "replace") return Op::replace;
    if (s == "delete") return Op::remove;
    throw Usage("not add|replace|delete: " + s);
}

// Reads "[as L] [via inet|inet6 A] dev IF" from w[i..] up to "nexthop" or the end.
MplsPath mpls_path(const std::vector<std::string>& w, std::size_t& i) {
    MplsPath p;
    while (i < w.size() && w[i] != "nexthop") {
        if (w[i] == "as" && i + 1 < w.size()) {
            p.out_labels = need(LabelStack::parse(w[i + 1]));
            i += 2;
        } else if (w[i] == "via" && i + 2 < w.size()) {
            p.via = need(IpAddress::parse(w[i + 2]));
            i += 3;
        } else if (w[i] == "dev" && i + 1 < w.size()) {
            p.ifindex = ifindex(w[i + 1]);
            i += 2;
        } else {
            throw Usage("bad mpls path word: " + w[i]);
        }
    }
    return p;
}

void add_op(Batch& b, const std::string& text) {
    auto w = words(text);
    if (w.size() < 3) throw Usage("too short: " + text);
    Op op = op_of(w[1]);
    if (w[0] == "nh") {
        NexthopObject nh;
        nh.id = NexthopId{number(w[2])};
        for (std::size_t i = 3; i < w.size(); ++i) {
            if (w[i] == "via" && i + 1 < w.size()) {
                auto a = need(IpAddress::parse(w[++i]));
                if (a.is_v4()) {
                    nh.gateway = Ipv6Address::v4_mapped(a.v4());
                    nh.onlink = true;
                } else {
                    nh.gateway = a.v6();
                }
            } else if (w[i] == "dev" && i + 1 < w.size()) {
                nh.ifindex = ifindex(w[++i]);
            } else if (w[i] == "onlink") {
                nh.onlink = true;
            } else if (w[i] == "encap" && i + 1 < w.size()) {
                nh.labels = need(LabelStack::parse(w[++i]));
            } else {
                throw Usage("bad nh word: " + w[i]);
            }
        }
        b.add(op, nh);
    } else if (w[0] == "group") {
        NexthopGroup g{NexthopId{number(w[2])}, {}};
        for (std::size_t i = 3; i < w.size(); ++i) {
            auto colon = w[i].find(':');
            GroupMember m{NexthopId{number(w[i].substr(0, colon))}, 1};
            if (colon != std::string::npos) m.weight = uint16_t(number(w[i].substr(colon + 1)));
            g.members.push_back(m);
        }
        b.add(op, g);
    } else if (w[0] == "route6") {
        Ipv6Route r;
        r.prefix = need(Ipv6Prefix::parse_strict(w[2]));
        for (std::size_t i = 3; i + 1 < w.size(); i += 2) {
            if (w[i] == "nhid") r.nhid = NexthopId{number(w[i + 1])};
            else if (w[i] == "metric") r.metric = number(w[i + 1]);
            else throw Usage("bad route6 word: " + w[i]);
        }
        b.add(op, r);
    } else if (w[0] == "mpls") {
        auto l = MplsLabel::from_value(number(w[2]));
        if (!l) throw Usage("label out of range: " + w[2]);
        MplsRoute r{*l, {}};
        std::size_t i = 3;
        while (i < w.size()) {
            if (w[i] == "nexthop") ++i;
            r.paths.push_back(mpls_path(w, i));
        }
        b.add(op, r);
    } else if (w[0] == "bulk") {
        if (w.size() < 4) throw Usage("bulk add|delete FIRST COUNT [nhid N]");
        uint32_t first = number(w[2]), count = number(w[3]);
        NexthopId nhid{w.size() >= 6 && w[4] == "nhid" ? number(w[5]) : 0};
        for (uint32_t i = first; i < first + count; ++i) {
            Ipv6Address::Bytes bytes{0x20, 0x01, 0x0d, 0xb8, 0x10, 0x00, uint8_t(i >> 8), uint8_t(i)};
            b.add(op, Ipv6Route{Ipv6Prefix::make(Ipv6Address(bytes), 64), nhid});
        }
    } else {
        throw Usage("unknown entry type: " + w[0]);
    }
}

// One batch per OP, all queued before the loop runs: they must complete one by one, in order.
int apply_each(Kernel& k, boost::asio::io_context& io, const std::vector<std::string>& ops) {
    std::vector<std::size_t> order;
    bool ok = true;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        Batch b = k.batch();
        add_op(b, ops[i]);
        k.apply(std::move(b), [&, i](BatchReport r) {
            order.push_back(i);
            for (auto& f : r.failures) std::cerr << "error: " << f.to_string() << "\n";
            ok = ok && r.ok();
        });
    }
    io.run();
    std::cout << "completed in order:";
    for (auto i : order) std::cout << " " << i;
    std::cout << "\n";
    return ok ? 0 : 1;
}

int apply(Kernel& k, boost::asio::io_context& io, bool sync, const std::vector<std::string>& ops) {
    Batch b = k.batch();
    for (auto& o : ops) add_op(b, o);
    BatchReport report;
    if (sync) {
        report = k.apply_sync(std::move(b));
    } else {
        k.apply(std::move(b), [&](BatchReport r) { report = std::move(r); });
        io.run();
    }
    for (auto& f : report.failures) std::cerr << "error: " << f.to_string() << "\n";
    if (!report.transport_error.empty()) std::cerr << "error: " << report.transport_error << "\n";
    std::cout << "applied " << report.requests << " request(s), " << report.failures.size() << " refused\n";
    return report.ok() ? 0 : 1;
}

int dump(Kernel& k, boost::asio::io_context& io, bool sync) {
    Result<KernelState, std::string> state = err(std::string("not read"));
    if (sync) {
        state = k.read_state_sync();
    } else {
        k.read_state([&](Result<KernelState, std::string> s) { state = std::move(s); });
        io.run();
    }
    if (!state) {
        std::cerr << "error: " << state.error() << "\n";
        return 1;
    }
    for (auto& nh : state->nexthops) std::cout << "nh " << to_string(nh) << "\n";
    for (auto& g : state->groups) std::cout << "group " << to_string(g) << "\n";
    for (auto& r : state->routes6) std::cout << "route6 " << to_string(r) << "\n";
    for (auto& r : state->mpls_routes) std::cout << "mpls " << to_string(r) << "\n";
    for (auto& p : state->problems) std::cout << "problem " << p << "\n";
    return 0;
}

int preconditions(const std::vector<std::string>& args) {
    PreconditionInput in;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--p") in.provider_edge = false;
        else if (args[i] == "--label" && i + 1 < args.size()) in.highest_label = number(args[++i]);
        else in.core_interfaces.push_back(args[i]);
    }
    bool errors = false;
    for (auto& f : check_preconditions(in)) {
        std::cout << f.to_string() << "\n";
        errors |= f.severity == Finding::Severity::error;
    }
    return errors ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool sync = false, each = false;
    TransportOptions topts;
    std::size_t i = 0;
    try {
        for (; i < args.size() && args[i].starts_with("--"); ++i) {
            if (args[i] == "--sync") sync = true;
            else if (args[i] == "--each") each = true;
            else if (args[i] == "--chunk" && i + 1 < args.size()) topts.max_requests_per_send = number(args[++i]);
            else throw Usage("unknown option " + args[i]);
        }
        if (i >= args.size()) throw Usage("apply OP... | dump | preconditions IF...");
        if (args[i] == "preconditions") return preconditions({args.begin() + long(i) + 1, args.end()});
        boost::asio::io_context io;
        auto k = Kernel::open(io, {topts, kProtocolId});
        if (!k) {
            std::cerr << "error: " << k.error() << "\n";
            return 2;
        }
        if (args[i] == "apply" && each) return apply_each(**k, io, {args.begin() + long(i) + 1, args.end()});
        if (args[i] == "apply") return apply(**k, io, sync, {args.begin() + long(i) + 1, args.end()});
        if (args[i] == "dump") return dump(**k, io, sync);
        if (args[i] == "nexthop-objects") {
            auto s = (*k)->check_nexthop_objects_sync();
            std::cout << (s ? "nexthop objects: yes" : "error: " + s.error()) << "\n";
            return s ? 0 : 1;
        }
        throw Usage("unknown command " + args[i]);
    } catch (const Usage& u) {
        std::cerr << "usage: " << u.what() << "\n";
        return 2;
    }
}
