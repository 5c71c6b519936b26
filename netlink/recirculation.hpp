#pragma once
// The recirculation port for hierarchical labels (KERNEL.md section 4): a veth pair inside the
// router's own namespace. IPv6 routes push [local label of the egress PE / BGP label] and send
// into one end (`out`, gateway ::ffff:<gateway> onlink, resolved by a permanent neighbour entry
// that names the other end's MAC: ARP from a local source address is not answered); the packet
// comes back in on the other end (`in`, MPLS input on), where one LFIB entry per egress PE swaps
// the local label for the LDP label towards the core. An LSP change is then one label-route
// replace, whatever the number of prefixes or BGP labels. The price: each packet crosses the
// stack twice and its MPLS TTL drops by one more.
//
// This layer creates, checks, repairs and removes the port. Requests go out one at a time and
// wait for their answer (a handful, at start-up or after a monitor event), on the Kernel's socket:
// like the other *_sync calls these block, and first complete whatever was queued before them.
// Deleting or recreating the port makes the kernel drop the nexthop objects and routes on it: the
// caller re-installs them on the port's new ifindex.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/mpls_label.hpp"
#include "lib/result.hpp"
#include "netlink/link_request.hpp"
#include "netlink/nexthop.hpp"
#include "netlink/preconditions.hpp"

namespace isthmus::netlink {

class Kernel;
class Transport;

// Writes `value` to a /proc/sys file; an error text on failure.
using FileWriter = std::function<Status<std::string>(const std::string& path, const std::string& value)>;
Status<std::string> write_system_file(const std::string& path, const std::string& value);

struct RecirculationOptions {
    // The pair is <prefix>0 (routes send into it) and <prefix>1 (packets come back in); at most
    // 14 characters so both names fit IFNAMSIZ. Links with these names are this layer's own.
    std::string name_prefix = "isth-rc";
    // The far end as a route gateway: link-local, never on the wire, only in our neighbour entry.
    Ipv4Address gateway = Ipv4Address::from_uint(0xa9fe4d02);  // 169.254.77.2
    // 0: the kernel's default (1500). Set it to the smallest core MTU: the IPv6 route into the
    // port then gives CEs the right Packet Too Big (the MPLS hop out drops oversize silently).
    uint32_t mtu = 0;
    FileReader read = read_system_file;  // /proc/sys access (unit tests: a map)
    FileWriter write = write_system_file;
};

struct RecirculationPort {
    std::string out_name, in_name;
    uint32_t ifindex_out = 0;  // routes push labels and send here
    uint32_t ifindex_in = 0;   // labelled packets arrive here (net.mpls.conf.<in>.input = 1)
    Ipv4Address gateway;       // the neighbour on `out` that stands for `in`
    MacAddress in_mac{};
    uint32_t mtu = 0;
    // What ensure() had to do ("created veth isth-rc0/isth-rc1", "set isth-rc1 up", ...); empty
    // when everything was already in place (a restart adopts the port as it is).
    std::vector<std::string> changes;

    // ::ffff:<gateway>, the gateway of routes and nexthop objects into the port.
    Ipv6Address gateway6() const { return Ipv6Address::v4_mapped(gateway); }
    // A nexthop object that pushes `labels` (outer first: [local label, BGP label]) into the port.
    NexthopObject nexthop(NexthopId id, LabelStack labels) const {
        return NexthopObject::six_pe(id, gateway, ifindex_out, std::move(labels));
    }
    bool uses(uint32_t ifindex) const { return ifindex && (ifindex == ifindex_out || ifindex == ifindex_in); }
};

class Recirculation {
public:
    // Creates the port, or adopts it when it is already there and right, or repairs what is wrong
    // (a missing or foreign-peered end is recreated; down, MTU, sysctls and the neighbour entry are
    // fixed in place). An error names what is missing from the kernel (veth, MPLS) or what could
    // not be done; a non-veth link holding one of the names is never deleted.
    static Result<RecirculationPort, std::string> ensure(Kernel& kernel, const RecirculationOptions& options = {});
    static Result<RecirculationPort, std::string> ensure(Transport& transport, const RecirculationOptions& options = {});

    // Whether the port is still intact (for a monitor event: a link of the port removed or set down
    // by an admin): ok, or every problem found in one message. ensure() repairs them.
    static Status<std::string> check(Kernel& kernel, const RecirculationOptions& options = {});
    static Status<std::string> check(Transport& transport, const RecirculationOptions& options = {});

    // Deletes the pair (at shutdown, when configured); nothing to do when it is not there.
    static Status<std::string> remove(Kernel& kernel, const RecirculationOptions& options = {});
    static Status<std::string> remove(Transport& transport, const RecirculationOptions& options = {});
};

}  // namespace isthmus::netlink
