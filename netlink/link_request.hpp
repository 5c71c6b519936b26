#pragma once
// Link and neighbour requests for what this layer sets up itself (the recirculation port): a veth
// pair created, brought up, deleted; one link read by name; a permanent IPv4 neighbour entry
// written and read back. Each request is a single message asking for an ack (or a reply), sent
// on its own: these are a handful of requests at start-up, not batches.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/result.hpp"

namespace isthmus::netlink {

using MacAddress = std::array<uint8_t, 6>;
std::string to_string(const MacAddress& mac);  // "02:00:5e:10:00:01"

// A link as the recirculation port needs to see it (RTM_NEWLINK, family AF_UNSPEC).
struct LinkInfo {
    uint32_t ifindex = 0;
    std::string name;
    std::string kind;             // IFLA_INFO_KIND ("veth", "dummy", ...); empty for plain devices
    uint32_t peer_ifindex = 0;    // IFLA_LINK: for a veth, its other end
    bool peer_elsewhere = false;  // IFLA_LINK_NETNSID: that other end is in another namespace
    bool up = false;              // IFF_UP
    uint32_t mtu = 0;
    std::optional<MacAddress> mac;  // IFLA_ADDRESS when it is an Ethernet address
    bool operator==(const LinkInfo&) const = default;
};

// RTM_GETLINK for one name (the kernel answers RTM_NEWLINK, or ENODEV).
std::vector<uint8_t> get_link_request(const std::string& name);
// RTM_NEWLINK creating a veth pair `name` <-> `peer`, `name` up, `peer` down (the kernel can't open
// it before the pair is joined); NLM_F_EXCL: never takes over an existing link. `mtu` 0 leaves
// the kernel's default.
std::vector<uint8_t> new_veth_request(const std::string& name, const std::string& peer, uint32_t mtu);
// RTM_NEWLINK changing an existing link: up, and the MTU when `mtu` is not 0.
std::vector<uint8_t> set_link_up_request(uint32_t ifindex, uint32_t mtu);
// RTM_DELLINK (deleting one end of a veth deletes both).
std::vector<uint8_t> delete_link_request(uint32_t ifindex);

// RTM_NEWNEIGH: `address` on `ifindex` is `mac`, permanently (created or replaced).
std::vector<uint8_t> permanent_neighbour_request(uint32_t ifindex, Ipv4Address address, const MacAddress& mac);
// RTM_GETNEIGH for that one entry (Linux >= 5.0; ENOENT when there is none).
std::vector<uint8_t> get_neighbour_request(uint32_t ifindex, Ipv4Address address);

Result<LinkInfo, std::string> decode_link_info(std::span<const uint8_t> msg);

}  // namespace isthmus::netlink
