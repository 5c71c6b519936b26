#include "kernel.hpp"

#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>

#include "netlink/dump.hpp"

namespace isthmus::netlink {

Result<std::unique_ptr<Kernel>, std::string> Kernel::open(boost::asio::io_context& io, KernelOptions options) {
    auto t = Transport::open(io, options.transport);
    if (!t) return err(t.error());
    return std::unique_ptr<Kernel>(new Kernel(std::move(*t), options.protocol));
}

void Kernel::apply(Batch batch, std::function<void(BatchReport)> done) {
    transport_->submit(std::move(batch), std::move(done));
}

BatchReport Kernel::apply_sync(Batch batch) { return transport_->submit_sync(std::move(batch)); }

void collect(KernelState& state, std::span<const uint8_t> msg, uint8_t protocol) {
    auto k = peek(msg);
    if (!k || k->protocol != protocol) return;
    if (k->type == RTM_NEWNEXTHOP) {
        auto nh = decode_nexthop(msg);
        if (!nh) return state.problems.push_back(nh.error());
        if (auto* o = std::get_if<NexthopObject>(&nh->value)) state.nexthops.push_back(*o);
        else state.groups.push_back(std::get<NexthopGroup>(nh->value));
    } else if (k->type == RTM_NEWROUTE && k->family == AF_INET6) {
        auto r = decode_route6(msg);
        if (!r) return state.problems.push_back(r.error());
        state.routes6.push_back(r->value);
    } else if (k->type == RTM_NEWROUTE && k->family == AF_MPLS) {
        auto r = decode_mpls_route(msg);
        if (!r) return state.problems.push_back(r.error());
        state.mpls_routes.push_back(r->value);
    }
    // Anything else (other families when a dump falls back to all of them) is not ours to read.
}

std::string nexthop_dump_error(const DumpStatus& s) {
    // Kernels before 5.3 don't know RTM_GETNEXTHOP at all.
    if (s.code == EOPNOTSUPP)
        return "this kernel has no nexthop objects (Linux 5.3 or later is needed; isthmusd has no per-route "
               "fallback): " + s.error;
    return "nexthop dump: " + s.error;
}

void Kernel::read_state(std::function<void(Result<KernelState, std::string>)> done) {
    // Three dumps in a row on the one socket; the shared state outlives the callbacks.
    auto state = std::make_shared<KernelState>();
    auto sink = [state, p = protocol_](std::span<const uint8_t> m) { collect(*state, m, p); };
    transport_->dump(dump_request(DumpKind::nexthops), sink, [=, this](DumpStatus s1) {
        if (!s1.ok()) return done(err(nexthop_dump_error(s1)));
        transport_->dump(dump_request(DumpKind::routes6), sink, [=, this](DumpStatus s2) {
            if (!s2.ok()) return done(err("IPv6 route dump: " + s2.error));
            transport_->dump(dump_request(DumpKind::mpls_routes), sink, [=](DumpStatus s3) {
                if (!s3.ok()) return done(err("MPLS route dump: " + s3.error));
                done(std::move(*state));
            });
        });
    });
}

Result<KernelState, std::string> Kernel::read_state_sync() {
    KernelState state;
    auto sink = [&](std::span<const uint8_t> m) { collect(state, m, protocol_); };
    if (auto s = transport_->dump_sync(dump_request(DumpKind::nexthops), sink); !s.ok())
        return err(nexthop_dump_error(s));
    if (auto s = transport_->dump_sync(dump_request(DumpKind::routes6), sink); !s.ok())
        return err("IPv6 route dump: " + s.error);
    if (auto s = transport_->dump_sync(dump_request(DumpKind::mpls_routes), sink); !s.ok())
        return err("MPLS route dump: " + s.error);
    return state;
}

Status<std::string> Kernel::check_nexthop_objects_sync() {
    auto s = transport_->dump_sync(dump_request(DumpKind::nexthops), [](std::span<const uint8_t>) {});
    if (!s.ok()) return err(nexthop_dump_error(s));
    return ok_unit;
}

}  // namespace isthmus::netlink
