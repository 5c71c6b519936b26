#include "ldp/io/discovery_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "ldp/io/socket_options.hpp"

namespace isthmus::ldp::io {

namespace {

Ipv4Address from_in_addr(const in_addr& a) {
    Ipv4Address::Bytes b;
    std::memcpy(b.data(), &a, 4);
    return Ipv4Address(b);
}

in_addr to_in_addr(Ipv4Address a) {
    in_addr x;
    std::memcpy(&x, a.bytes().data(), 4);
    return x;
}

Status<std::string> send_with_pktinfo(int fd, Ipv4Address to, uint16_t port, std::span<const uint8_t> pdu,
                                      uint32_t ifindex, Ipv4Address source) {
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(port);
    dst.sin_addr = to_in_addr(to);
    iovec iov{const_cast<uint8_t*>(pdu.data()), pdu.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo))] = {};
    msghdr msg{};
    msg.msg_name = &dst;
    msg.msg_namelen = sizeof dst;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (ifindex != 0 || !source.is_unspecified()) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
        in_pktinfo info{};
        info.ipi_ifindex = int(ifindex);
        info.ipi_spec_dst = to_in_addr(source);
        std::memcpy(CMSG_DATA(c), &info, sizeof info);
    }
    if (sendmsg(fd, &msg, 0) < 0) return err(std::string("sendmsg to ") + to.to_string() + ": " + std::strerror(errno));
    return ok_unit;
}

}  // namespace

DiscoverySocket::DiscoverySocket(boost::asio::io_context& io, Handler h) : socket_(io), on_datagram_(std::move(h)) {}

DiscoverySocket::~DiscoverySocket() {
    *alive_ = false;
    boost::system::error_code ec;
    socket_.close(ec);
}

Result<std::unique_ptr<DiscoverySocket>, std::string> DiscoverySocket::open(boost::asio::io_context& io,
                                                                           Handler on_datagram, uint16_t port) {
    std::unique_ptr<DiscoverySocket> s(new DiscoverySocket(io, std::move(on_datagram)));
    boost::system::error_code ec;
    s->socket_.open(boost::asio::ip::udp::v4(), ec);
    if (ec) return err("LDP discovery socket: " + ec.message());
    s->socket_.set_option(boost::asio::socket_base::reuse_address(true), ec);
    int fd = s->socket_.native_handle();
    int on = 1, off = 0, one = 1;
    // Link Hellos never leave the link (RFC 5036 2.4.1) and must not come back to us.
    if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) < 0 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof off) < 0 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof one) < 0)
        return err(std::string("LDP discovery socket options: ") + std::strerror(errno));
    s->socket_.bind({boost::asio::ip::address_v4::any(), port}, ec);
    if (ec) return err("LDP discovery socket: bind UDP " + std::to_string(port) + ": " + ec.message());
    s->socket_.non_blocking(true, ec);
    s->wait();
    return s;
}

uint16_t DiscoverySocket::local_port() const {
    boost::system::error_code ec;
    return socket_.local_endpoint(ec).port();
}

Status<std::string> DiscoverySocket::join(uint32_t ifindex) const {
    return set_all_routers_membership(const_cast<DiscoverySocket*>(this)->socket_.native_handle(), ifindex, true);
}

Status<std::string> DiscoverySocket::leave(uint32_t ifindex) const {
    return set_all_routers_membership(const_cast<DiscoverySocket*>(this)->socket_.native_handle(), ifindex, false);
}

Status<std::string> DiscoverySocket::send_link(uint32_t ifindex, std::span<const uint8_t> pdu, uint16_t port) const {
    static const Ipv4Address all_routers = Ipv4Address::from_uint(0xE0000002);
    return send_with_pktinfo(const_cast<DiscoverySocket*>(this)->socket_.native_handle(), all_routers, port, pdu,
                             ifindex, {});
}

Status<std::string> DiscoverySocket::send_targeted(Ipv4Address to, std::span<const uint8_t> pdu, Ipv4Address source,
                                                   uint16_t port) const {
    return send_with_pktinfo(const_cast<DiscoverySocket*>(this)->socket_.native_handle(), to, port, pdu, 0, source);
}

void DiscoverySocket::wait() {
    socket_.async_wait(boost::asio::ip::udp::socket::wait_read,
                       [this, alive = alive_](const boost::system::error_code& ec) {
                           if (ec || !*alive) return;
                           read_all();
                           if (*alive) wait();
                       });
}

void DiscoverySocket::read_all() {
    auto alive = alive_;  // the handler may destroy this socket
    int fd = socket_.native_handle();
    for (int n = 0; n < 64; ++n) {  // bounded: other work gets its turn
        std::vector<uint8_t> buf(65536);
        sockaddr_in src{};
        iovec iov{buf.data(), buf.size()};
        alignas(cmsghdr) char control[256];
        msghdr msg{};
        msg.msg_name = &src;
        msg.msg_namelen = sizeof src;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t got = recvmsg(fd, &msg, MSG_DONTWAIT);
        if (got < 0) return;  // EAGAIN: drained
        Datagram d;
        d.source = from_in_addr(src.sin_addr);
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO) continue;
            in_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            d.ifindex = uint32_t(info.ipi_ifindex);
            d.destination = from_in_addr(info.ipi_addr);
        }
        buf.resize(std::size_t(got));
        d.bytes = std::move(buf);
        on_datagram_(d);
        if (!*alive) return;
    }
}

}  // namespace isthmus::ldp::io
