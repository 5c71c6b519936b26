#include "bgp/session/socket_options.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace isthmus::bgp::session {

namespace {

Status<std::string> check(int rc, std::string_view what) {
    if (rc == 0) return ok_unit;
    return err(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

Status<std::string> set_tcp_md5(int fd, const IpAddress& peer, std::string_view key) {
    if (key.size() > TCP_MD5SIG_MAXKEYLEN)
        return err("TCP-MD5 key longer than " + std::to_string(TCP_MD5SIG_MAXKEYLEN) + " bytes");
    // The key belongs to the socket's family: a v4 peer on a v6 socket would need the
    // mapped form, but our sockets are per family (IPV6_V6ONLY on the v6 listener).
    tcp_md5sig sig{};
    if (peer.is_v4()) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&sig.tcpm_addr);
        sin->sin_family = AF_INET;
        std::memcpy(&sin->sin_addr, peer.v4().bytes().data(), 4);
    } else {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&sig.tcpm_addr);
        sin6->sin6_family = AF_INET6;
        std::memcpy(&sin6->sin6_addr, peer.v6().bytes().data(), 16);
    }
    sig.tcpm_keylen = uint16_t(key.size());
    std::memcpy(sig.tcpm_key, key.data(), key.size());
    return check(setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig),
                 "setsockopt(TCP_MD5SIG) for " + peer.to_string());
}

Status<std::string> set_ttl(int fd, bool ipv6, int ttl) {
    if (ipv6) return check(setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl), "setsockopt(IPV6_UNICAST_HOPS)");
    return check(setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl), "setsockopt(IP_TTL)");
}

Status<std::string> set_min_ttl(int fd, bool ipv6, int min) {
    if (ipv6) return check(setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min, sizeof min), "setsockopt(IPV6_MINHOPCOUNT)");
    return check(setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof min), "setsockopt(IP_MINTTL)");
}

TtlPolicy ttl_policy(bool ebgp, std::optional<int> multihop, std::optional<int> ttl_security) {
    if (ttl_security) return {255, 256 - *ttl_security};
    if (ebgp) return {multihop.value_or(1), 0};
    return {0, 0};
}

}  // namespace isthmus::bgp::session
