#include "bgp/speaker/speaker.hpp"

#include <boost/asio/ip/v6_only.hpp>
#include <algorithm>
#include <netinet/in.h>

#include "bgp/session/socket_options.hpp"
#include "lib/log.hpp"

namespace isthmus::bgp::speaker {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

IpAddress from_asio(const asio::ip::address& a) {
    if (a.is_v4()) return Ipv4Address(a.to_v4().to_bytes());
    auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) return Ipv4Address(asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes());
    return Ipv6Address(v6.to_bytes());
}

asio::ip::address to_asio(const IpAddress& a) {
    if (a.is_v4()) return asio::ip::address_v4(a.v4().bytes());
    return asio::ip::address_v6(a.v6().bytes());
}

}  // namespace

Speaker::Speaker(asio::io_context& io, session::LocalIdentity local, std::vector<config::BgpNeighbor> neighbors,
                 session::Observer& observer, SpeakerOptions options)
    : io_(io), local_(local), observer_(observer), options_(std::move(options)) {
    for (auto& n : neighbors)
        sessions_.push_back(std::make_shared<session::Session>(io_, n, local, observer, options_.session));
}

Speaker::~Speaker() {
    for (auto& a : acceptors_) {
        boost::system::error_code ec;
        a->close(ec);
    }
}

Status<std::string> Speaker::start() {
    std::vector<IpAddress> addrs = options_.listen_addresses;
    if (addrs.empty()) addrs = {Ipv4Address{}, Ipv6Address{}};
    std::string errors;
    uint16_t port = options_.listen_port;
    for (auto& addr : addrs) {
        auto a = std::make_unique<tcp::acceptor>(io_);
        boost::system::error_code ec;
        tcp::endpoint ep(to_asio(addr), port);
        a->open(ep.protocol(), ec);
        if (!ec && addr.is_v6()) a->set_option(asio::ip::v6_only(true), ec);
        if (!ec) a->set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec)
            for (auto& s : sessions_)
                if (auto r = prepare_listener(*a, addr, s->neighbor()); !r) return r;
        if (!ec) a->bind(ep, ec);
        if (!ec) a->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            errors += (errors.empty() ? "" : "; ") + fmt::format("listen on [{}]:{}: {}", addr.to_string(), port,
                                                                   ec.message());
            continue;
        }
        if (port == 0) port = a->local_endpoint().port();  // tests: the v6 listener shares the v4 one's port
        port_ = a->local_endpoint().port();
        log::info("bgp: listening on [{}]:{}", addr.to_string(), port_);
        acceptors_.push_back(std::move(a));
    }
    if (acceptors_.empty()) return err(errors);
    if (!errors.empty()) log::warning("bgp: {}", errors);
    for (auto& a : acceptors_) accept(*a);
    for (auto& s : sessions_) s->start();
    return ok_unit;
}

void Speaker::accept(tcp::acceptor& a) {
    a.async_accept([this, &a](const boost::system::error_code& ec, tcp::socket sock) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
            boost::system::error_code ec2;
            auto remote = sock.remote_endpoint(ec2);
            if (!ec2) {
                auto from = from_asio(remote.address());
                if (auto* s = find(from)) {
                    s->accept(std::move(sock));
                } else {
                    log::info("bgp: connection from {} closed: not a configured neighbor", from.to_string());
                    sock.close(ec2);
                }
            }
        }
        accept(a);
    });
}

Status<std::string> Speaker::prepare_listener(tcp::acceptor& a, const IpAddress& addr, const config::BgpNeighbor& n) {
    if (n.address.is_v6() != addr.is_v6()) return ok_unit;
    // GTSM (RFC 5082): the SYN-ACK must leave with TTL 255 too, or a peer that checks the minimum
    // TTL drops it; accepted sockets get their per-neighbor TTL afterwards.
    if (n.ttl_security)
        if (auto r = session::set_ttl(a.native_handle(), addr.is_v6(), 255); !r)
            return err("listener " + addr.to_string() + ": " + r.error());
    // RFC 2385: the listener must know each neighbor's key before its SYN arrives.
    if (n.password)
        if (auto r = session::set_tcp_md5(a.native_handle(), n.address, *n.password); !r)
            return err("listener " + addr.to_string() + ": " + r.error());
    return ok_unit;
}

session::Session& Speaker::add(const config::BgpNeighbor& neighbor) {
    for (auto& a : acceptors_) {
        boost::system::error_code ec;
        auto local = a->local_endpoint(ec);
        if (ec) continue;
        if (auto r = prepare_listener(*a, from_asio(local.address()), neighbor); !r)
            log::warning("bgp {}: {}", neighbor.address.to_string(), r.error());
    }
    sessions_.push_back(std::make_shared<session::Session>(io_, neighbor, local_, observer_, options_.session));
    sessions_.back()->start();
    return *sessions_.back();
}

void Speaker::remove(const IpAddress& address, std::string_view message) {
    auto it = std::find_if(sessions_.begin(), sessions_.end(),
                           [&](const auto& s) { return s->neighbor().address == address; });
    if (it == sessions_.end()) return;
    auto keep = *it;  // alive until its stop() has run
    sessions_.erase(it);
    keep->stop(message);
}

void Speaker::stop(std::string_view message) {
    for (auto& a : acceptors_) {
        boost::system::error_code ec;
        a->close(ec);
    }
    for (auto& s : sessions_) s->stop(message);
}

session::Session* Speaker::find(const IpAddress& address) {
    for (auto& s : sessions_)
        if (s->neighbor().address == address) return s.get();
    return nullptr;
}

}  // namespace isthmus::bgp::speaker
