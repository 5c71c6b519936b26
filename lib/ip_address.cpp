#include "ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace isthmus {

namespace {

// inet_pton needs a NUL-terminated string; addresses are short.
template <int Family, class Bytes>
bool pton(std::string_view text, Bytes& out) {
    if (text.size() >= INET6_ADDRSTRLEN) return false;
    char buf[INET6_ADDRSTRLEN] = {};
    std::copy(text.begin(), text.end(), buf);
    return inet_pton(Family, buf, out.data()) == 1;
}

template <int Family, class Bytes>
std::string ntop(const Bytes& in) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(Family, in.data(), buf, sizeof buf);
    return buf;
}

}  // namespace

Result<Ipv4Address, std::string> Ipv4Address::parse(std::string_view text) {
    Bytes b{};
    if (!pton<AF_INET>(text, b)) return err("\"" + std::string(text) + "\" is not an IPv4 address");
    return Ipv4Address(b);
}

std::string Ipv4Address::to_string() const { return ntop<AF_INET>(b_); }

Result<Ipv6Address, std::string> Ipv6Address::parse(std::string_view text) {
    Bytes b{};
    if (!pton<AF_INET6>(text, b)) return err("\"" + std::string(text) + "\" is not an IPv6 address");
    return Ipv6Address(b);
}

Ipv6Address Ipv6Address::v4_mapped(Ipv4Address v4) {
    Bytes b{};
    b[10] = b[11] = 0xff;
    std::copy(v4.bytes().begin(), v4.bytes().end(), b.begin() + 12);
    return Ipv6Address(b);
}

bool Ipv6Address::is_v4_mapped() const {
    return std::all_of(b_.begin(), b_.begin() + 10, [](uint8_t x) { return x == 0; }) && b_[10] == 0xff &&
           b_[11] == 0xff;
}

std::optional<Ipv4Address> Ipv6Address::to_v4() const {
    if (!is_v4_mapped()) return std::nullopt;
    return Ipv4Address(Ipv4Address::Bytes{b_[12], b_[13], b_[14], b_[15]});
}

std::string Ipv6Address::to_string() const { return ntop<AF_INET6>(b_); }

Result<IpAddress, std::string> IpAddress::parse(std::string_view text) {
    if (auto v4 = Ipv4Address::parse(text)) return IpAddress(*v4);
    if (auto v6 = Ipv6Address::parse(text)) return IpAddress(*v6);
    return err("\"" + std::string(text) + "\" is not an IPv4 or IPv6 address");
}

std::string IpAddress::to_string() const { return is_v4() ? v4().to_string() : v6().to_string(); }

}  // namespace isthmus
