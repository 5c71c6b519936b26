#include "ldp/io/socket_options.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace isthmus::ldp::io {

namespace {

Status<std::string> check(int rc, const char* what) {
    if (rc == 0) return ok_unit;
    return err(std::string(what) + ": " + std::strerror(errno));
}

sockaddr_in to_sockaddr(Ipv4Address a, uint16_t port = 0) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    std::memcpy(&sin.sin_addr, a.bytes().data(), 4);
    return sin;
}

}  // namespace

Status<std::string> set_tcp_md5(int fd, Ipv4Address peer, std::string_view key) {
    if (key.size() > TCP_MD5SIG_MAXKEYLEN)
        return err("TCP-MD5 password longer than " + std::to_string(TCP_MD5SIG_MAXKEYLEN) + " bytes");
    tcp_md5sig sig{};
    auto sin = to_sockaddr(peer);
    std::memcpy(&sig.tcpm_addr, &sin, sizeof sin);
    sig.tcpm_keylen = uint16_t(key.size());
    std::memcpy(sig.tcpm_key, key.data(), key.size());
    return check(setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig), "TCP_MD5SIG");
}

Status<std::string> set_ttl(int fd, int ttl) {
    return check(setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl), "IP_TTL");
}

Status<std::string> set_min_ttl(int fd, int ttl) {
    return check(setsockopt(fd, IPPROTO_IP, IP_MINTTL, &ttl, sizeof ttl), "IP_MINTTL");
}

Status<std::string> set_all_routers_membership(int fd, uint32_t ifindex, bool join) {
    ip_mreqn m{};
    inet_pton(AF_INET, "224.0.0.2", &m.imr_multiaddr);
    m.imr_ifindex = int(ifindex);
    return check(setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof m),
                 join ? "IP_ADD_MEMBERSHIP 224.0.0.2" : "IP_DROP_MEMBERSHIP 224.0.0.2");
}

}  // namespace isthmus::ldp::io
