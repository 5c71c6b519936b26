#pragma once
// A batch of requests encoded back to back, ready to go to the kernel many per sendmsg. Each
// request is kept as bytes until its batch completes, so a failure is described from the request
// itself (describe_request) and nothing else is stored per request.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "netlink/errors.hpp"
#include "netlink/mpls_route.hpp"
#include "netlink/nexthop.hpp"
#include "netlink/protocol.hpp"
#include "netlink/route6.hpp"

namespace isthmus::netlink {

class Batch {
public:
    explicit Batch(uint8_t protocol = kProtocolId) : protocol_(protocol) {}

    // The kernel applies requests in order: objects before the routes that use them, routes
    // removed before their objects. A value the kernel would misread (object id 0 asks it to pick
    // one; a weight of 0 wraps to 256) is not sent: it is reported with the batch's failures.
    void add(Op op, const NexthopObject& nh) { append(op, nh); }
    void add(Op op, const NexthopGroup& g) { append(op, g); }
    void add(Op op, const Ipv6Route& r) { append(op, r); }
    void add(Op op, const MplsRoute& r) { append(op, r); }

    std::size_t size() const { return offsets_.size(); }
    bool empty() const { return offsets_.empty(); }
    uint8_t protocol() const { return protocol_; }
    std::span<const uint8_t> request(std::size_t i) const;
    // Requests [first, last) as one buffer: what one sendmsg carries.
    std::span<const uint8_t> range(std::size_t first, std::size_t last) const;
    std::size_t byte_size() const { return bytes_.size(); }

    // Requests refused before sending, as failures naming them.
    const std::vector<KernelError>& invalid() const { return invalid_; }

    // For the transport: numbers request i and sets NLM_F_ACK on it when asked.
    void set_sequence(std::size_t i, uint32_t seq, bool ack);

private:
    template <class T>
    void append(Op op, const T& v) {
        if (auto why = invalid_reason(op, v); !why.empty()) {
            invalid_.push_back({to_string(op) + " " + describe(v), 22 /* EINVAL */, why, true, KernelError::npos});
            return;
        }
        offsets_.push_back(uint32_t(bytes_.size()));
        append_request(bytes_, op, v, protocol_);
    }
    static std::string invalid_reason(Op op, const NexthopObject& nh);
    static std::string invalid_reason(Op op, const NexthopGroup& g);
    static std::string invalid_reason(Op op, const Ipv6Route& r);
    static std::string invalid_reason(Op op, const MplsRoute& r);
    static std::string describe(const NexthopObject& nh) { return "nexthop " + to_string(nh); }
    static std::string describe(const NexthopGroup& g) { return "nexthop " + to_string(g); }
    static std::string describe(const Ipv6Route& r) { return "route " + to_string(r); }
    static std::string describe(const MplsRoute& r) { return "mpls route " + to_string(r); }

    uint8_t protocol_;
    std::vector<KernelError> invalid_;
    std::vector<uint8_t> bytes_;
    std::vector<uint32_t> offsets_;
};

}  // namespace isthmus::netlink
