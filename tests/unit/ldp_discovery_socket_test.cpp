// ldp/io/discovery_socket.hpp on the loopback interface: a targeted Hello arrives with its source,
// destination and receiving interface (IP_PKTINFO), and joining the all-routers group works.
#include <catch2/catch.hpp>

#include <net/if.h>

#include <boost/asio/io_context.hpp>

#include "ldp/io/discovery_socket.hpp"

using namespace isthmus;
using namespace isthmus::ldp;

TEST_CASE("a unicast datagram arrives with its interface and destination", "[ldp][io]") {
    boost::asio::io_context io;
    std::vector<io::Datagram> got;
    auto rx = io::DiscoverySocket::open(io, [&](const io::Datagram& d) { got.push_back(d); }, 0);
    REQUIRE(rx.ok());
    auto tx = io::DiscoverySocket::open(io, [](const io::Datagram&) {}, 0);
    REQUIRE(tx.ok());
    const Ipv4Address lo = Ipv4Address::from_uint(0x7f000001);
    std::vector<uint8_t> payload{1, 2, 3, 4};
    REQUIRE((*tx)->send_targeted(lo, payload, lo, (*rx)->local_port()).ok());
    for (int i = 0; i < 50 && got.empty(); ++i) {
        io.run_for(std::chrono::milliseconds(20));
        io.restart();
    }
    REQUIRE(got.size() == 1);
    CHECK(got[0].bytes == payload);
    CHECK(got[0].source == lo);
    CHECK(got[0].destination == lo);
    CHECK(got[0].ifindex == if_nametoindex("lo"));
}

TEST_CASE("joining and leaving 224.0.0.2 on an interface", "[ldp][io]") {
    boost::asio::io_context io;
    auto s = io::DiscoverySocket::open(io, [](const io::Datagram&) {}, 0);
    REQUIRE(s.ok());
    uint32_t lo = if_nametoindex("lo");
    CHECK((*s)->join(lo).ok());
    auto again = (*s)->join(lo);
    REQUIRE_FALSE(again.ok());  // the kernel refuses a second membership: the error names it
    CHECK(again.error().find("IP_ADD_MEMBERSHIP") != std::string::npos);
    CHECK((*s)->leave(lo).ok());
    CHECK_FALSE((*s)->join(999999).ok());  // no such interface
}
