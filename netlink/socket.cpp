#include "socket.hpp"

#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "netlink/monitor_filter.hpp"

namespace isthmus::netlink {

namespace {
std::string sys_error(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void set_buffer(int fd, int force_opt, int opt, int size) {
    if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof size) != 0)
        (void)setsockopt(fd, SOL_SOCKET, opt, &size, sizeof size);
}
}  // namespace

Result<NetlinkSocket, std::string> NetlinkSocket::open(const SocketOptions& options) {
    NetlinkSocket s;
    s.sock_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!s.sock_) return err(sys_error("netlink socket"));
    int fd = mnl_socket_get_fd(s.sock_);
    int one = 1;
    // Extended acks carry the kernel's reason; capped acks don't echo our whole request back,
    // which keeps the receive buffer for what matters.
    if (mnl_socket_setsockopt(s.sock_, NETLINK_EXT_ACK, &one, sizeof one) != 0)
        return err(sys_error("NETLINK_EXT_ACK"));
    (void)mnl_socket_setsockopt(s.sock_, NETLINK_CAP_ACK, &one, sizeof one);
    set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, options.receive_buffer);
    set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, options.send_buffer);
    socklen_t len = sizeof s.rcvbuf_;
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &s.rcvbuf_, &len);
    if (mnl_socket_bind(s.sock_, 0, MNL_SOCKET_AUTOPID) != 0) return err(sys_error("netlink bind"));
    return s;
}

NetlinkSocket::NetlinkSocket(NetlinkSocket&& o) noexcept : sock_(o.sock_), rcvbuf_(o.rcvbuf_) { o.sock_ = nullptr; }

NetlinkSocket& NetlinkSocket::operator=(NetlinkSocket&& o) noexcept {
    if (this != &o) {
        if (sock_) mnl_socket_close(sock_);
        sock_ = o.sock_;
        rcvbuf_ = o.rcvbuf_;
        o.sock_ = nullptr;
    }
    return *this;
}

NetlinkSocket::~NetlinkSocket() {
    if (sock_) mnl_socket_close(sock_);
}

int NetlinkSocket::fd() const { return mnl_socket_get_fd(sock_); }
uint32_t NetlinkSocket::port_id() const { return mnl_socket_get_portid(sock_); }

int NetlinkSocket::send(std::span<const uint8_t> bytes) {
    for (;;) {
        auto n = mnl_socket_sendto(sock_, bytes.data(), bytes.size());
        if (n >= 0) return 0;
        if (errno != EINTR) return errno;
    }
}

Status<std::string> NetlinkSocket::join_group(unsigned group) {
    if (mnl_socket_setsockopt(sock_, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0)
        return err(sys_error(("joining netlink group " + std::to_string(group)).c_str()));
    return ok_unit;
}

Status<std::string> NetlinkSocket::attach_filter(std::span<const FilterInstruction> program) {
    sock_fprog prog{uint16_t(program.size()),
                    reinterpret_cast<sock_filter*>(const_cast<FilterInstruction*>(program.data()))};
    if (setsockopt(fd(), SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0)
        return err(sys_error("SO_ATTACH_FILTER"));
    return ok_unit;
}

long NetlinkSocket::receive(std::span<uint8_t> buffer) {
    for (;;) {
        // MSG_TRUNC: the datagram's real size, so a too-small buffer is an error, not lost bytes.
        auto n = recv(fd(), buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC);
        if (n > long(buffer.size())) return -EMSGSIZE;
        if (n >= 0) return long(n);
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        return -long(errno);
    }
}

}  // namespace isthmus::netlink
