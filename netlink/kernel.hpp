#pragma once
// The kernel as the rest of the daemon sees it: value types in, reports and value types out.
// No netlink types cross this header.
//
// This is the raw layer: it applies what it is told, in order. The desired-state layer (fib.hpp:
// reconciliation, reference counts ordering objects before routes, retries with backoff, the
// start-up sweep) builds its batches here and re-reads the kernel with read_state().
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lib/result.hpp"
#include "netlink/batch.hpp"
#include "netlink/errors.hpp"
#include "netlink/mpls_route.hpp"
#include "netlink/nexthop.hpp"
#include "netlink/protocol.hpp"
#include "netlink/route6.hpp"
#include "netlink/transport.hpp"

namespace isthmus::netlink {

struct KernelOptions {
    TransportOptions transport;
    uint8_t protocol = kProtocolId;
};

// Entries of our protocol found in the kernel. Problems are entries of ours that could not be
// decoded (someone else changed them into something we never install), named for the report.
struct KernelState {
    std::vector<NexthopObject> nexthops;
    std::vector<NexthopGroup> groups;
    std::vector<Ipv6Route> routes6;
    std::vector<MplsRoute> mpls_routes;
    std::vector<std::string> problems;
};

class Kernel {
public:
    static Result<std::unique_ptr<Kernel>, std::string> open(boost::asio::io_context& io, KernelOptions options = {});

    // A batch tagged with our protocol id.
    Batch batch() const { return Batch(protocol_); }

    void apply(Batch batch, std::function<void(BatchReport)> done);
    BatchReport apply_sync(Batch batch);

    // Our nexthop objects and groups, IPv6 routes (all tables) and MPLS routes.
    void read_state(std::function<void(Result<KernelState, std::string>)> done);
    Result<KernelState, std::string> read_state_sync();

    // Whether the kernel has nexthop objects (Linux >= 5.3), which this layer needs: an error
    // saying so otherwise. read_state reports the same.
    Status<std::string> check_nexthop_objects_sync();

    uint8_t protocol() const { return protocol_; }
    Transport& transport() { return *transport_; }

private:
    Kernel(std::unique_ptr<Transport> t, uint8_t protocol) : transport_(std::move(t)), protocol_(protocol) {}
    std::unique_ptr<Transport> transport_;
    uint8_t protocol_;
};

// Sorts a dump message into `state` when it is ours (pure, for tests).
void collect(KernelState& state, std::span<const uint8_t> msg, uint8_t protocol);
// The message for a failed nexthop dump; names a kernel without nexthop objects as such.
std::string nexthop_dump_error(const DumpStatus& s);

}  // namespace isthmus::netlink
