#pragma once
// The discovery socket (RFC 5036 2.4): UDP 646 for link Hellos (to 224.0.0.2, TTL 1, out of one
// chosen interface) and targeted Hellos (unicast). IP_PKTINFO tells which interface a Hello came in
// on and whether it was multicast, and picks the outgoing interface of a link Hello.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lib/ip_address.hpp"
#include "lib/result.hpp"

namespace isthmus::ldp::io {

inline constexpr uint16_t kLdpPort = 646;

struct Datagram {
    Ipv4Address source;
    Ipv4Address destination;  // 224.0.0.2 for link Hellos
    uint32_t ifindex = 0;
    std::vector<uint8_t> bytes;
};

class DiscoverySocket {
public:
    using Handler = std::function<void(const Datagram&)>;

    // Binds 0.0.0.0:port (port 0 in tests: any).
    static Result<std::unique_ptr<DiscoverySocket>, std::string> open(boost::asio::io_context& io, Handler on_datagram,
                                                                       uint16_t port = kLdpPort);
    ~DiscoverySocket();

    Status<std::string> join(uint32_t ifindex) const;
    Status<std::string> leave(uint32_t ifindex) const;
    // A link Hello out of ifindex to 224.0.0.2, TTL 1.
    Status<std::string> send_link(uint32_t ifindex, std::span<const uint8_t> pdu, uint16_t port = kLdpPort) const;
    // A targeted Hello, from `source` (our transport address) when given.
    Status<std::string> send_targeted(Ipv4Address to, std::span<const uint8_t> pdu, Ipv4Address source = {},
                                      uint16_t port = kLdpPort) const;
    uint16_t local_port() const;

private:
    DiscoverySocket(boost::asio::io_context& io, Handler h);
    void wait();
    void read_all();

    boost::asio::ip::udp::socket socket_;
    Handler on_datagram_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace isthmus::ldp::io
