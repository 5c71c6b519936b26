#pragma once
// One rtnetlink socket (libmnl), non-blocking, with extended acks and buffers sized for a full
// table. Plain calls, no event loop: the transport decides when to send and read.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "lib/result.hpp"

struct mnl_socket;

namespace isthmus::netlink {

struct FilterInstruction;

struct SocketOptions {
    // Replies to a batch (errors, the final ack) and dump parts queue here. SO_RCVBUFFORCE is tried
    // first (CAP_NET_ADMIN lifts rmem_max), plain SO_RCVBUF (capped by rmem_max) otherwise.
    int receive_buffer = 32 << 20;
    int send_buffer = 4 << 20;  // one sendmsg must fit: the kernel refuses larger with EMSGSIZE
};

// What the transport needs from a socket: a pollable fd, send, non-blocking receive. The real one
// is NetlinkSocket; unit tests put a fake kernel here.
class Channel {
public:
    virtual ~Channel() = default;
    virtual int fd() const = 0;
    // One sendmsg of the given bytes (one or many messages). 0 or errno.
    virtual int send(std::span<const uint8_t> bytes) = 0;
    // Non-blocking read of one datagram: its size, 0 when nothing is waiting, -errno on error
    // (-ENOBUFS: the kernel dropped replies because the receive buffer was full).
    virtual long receive(std::span<uint8_t> buffer) = 0;
};

class NetlinkSocket final : public Channel {
public:
    static Result<NetlinkSocket, std::string> open(const SocketOptions& options = {});
    NetlinkSocket(NetlinkSocket&&) noexcept;
    NetlinkSocket& operator=(NetlinkSocket&&) noexcept;
    ~NetlinkSocket() override;

    int fd() const override;
    int send(std::span<const uint8_t> bytes) override;
    long receive(std::span<uint8_t> buffer) override;
    uint32_t port_id() const;
    // Notifications (the monitor's socket): joins an RTNLGRP_* multicast group.
    Status<std::string> join_group(unsigned group);
    // SO_ATTACH_FILTER with a classic BPF program (monitor_filter.hpp).
    Status<std::string> attach_filter(std::span<const FilterInstruction> program);
    int receive_buffer() const { return rcvbuf_; }  // what the kernel granted

private:
    NetlinkSocket() = default;
    mnl_socket* sock_ = nullptr;
    int rcvbuf_ = 0;
};

}  // namespace isthmus::netlink
