#pragma once
// Requests and dumps over one rtnetlink socket on the daemon's io_context.
//
// A batch goes out many requests per sendmsg. Only its last request asks for an ack: the kernel
// reports every failure anyway (an NLMSG_ERROR carrying that request's sequence number) and the
// last ack closes the batch (KERNEL.md section 4). The kernel does the work inside sendmsg, so
// replies are drained after every send (keeping the receive queue short) and the loop gets
// control back between chunks: a 250k-route batch never holds it for more than one chunk.
// Operations run one at a time, in submission order.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lib/result.hpp"
#include "netlink/batch.hpp"
#include "netlink/errors.hpp"
#include "netlink/socket.hpp"

namespace isthmus::netlink {

struct TransportOptions {
    SocketOptions socket;
    std::size_t max_requests_per_send = 256;
    std::size_t max_bytes_per_send = 128 * 1024;
    int sync_timeout_ms = 10'000;  // the blocking calls give up waiting for a reply after this
};

class Transport {
public:
    using MessageSink = std::function<void(std::span<const uint8_t>)>;

    static Result<std::unique_ptr<Transport>, std::string> open(boost::asio::io_context& io,
                                                                TransportOptions options = {});
    // Over any channel (tests: a fake kernel).
    static std::unique_ptr<Transport> over(boost::asio::io_context& io, std::unique_ptr<Channel> channel,
                                           TransportOptions options = {});
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // Asynchronous: `done` runs on the io_context once every request has been answered.
    void submit(Batch batch, std::function<void(BatchReport)> done);
    // Sends a dump request; each reply message goes to `each`, then `done` with how it ended.
    void dump(std::vector<uint8_t> request, MessageSink each, std::function<void(DumpStatus)> done);

    // Blocking versions for tests and start-up (before the loop runs): they also complete any
    // operation queued before them, in order.
    BatchReport submit_sync(Batch batch);
    DumpStatus dump_sync(std::vector<uint8_t> request, MessageSink each);

    std::size_t queued() const { return ops_.size(); }

private:
    struct Operation;
    Transport(boost::asio::io_context& io, std::unique_ptr<Channel> channel, TransportOptions options);

    void enqueue(std::unique_ptr<Operation> op);
    void schedule();
    void wait_readable();
    // Moves the front operations on; `blocking` waits for replies with poll() instead of the loop.
    void run(bool blocking);
    void send_some(Operation& op);
    void drain(Operation& op);
    void on_message(Operation& op, std::span<const uint8_t> msg);
    void complete_front();

    boost::asio::io_context& io_;
    std::unique_ptr<Channel> sock_;
    TransportOptions options_;
    boost::asio::posix::stream_descriptor descriptor_;
    std::deque<std::unique_ptr<Operation>> ops_;
    std::vector<uint8_t> rx_;
    uint32_t next_seq_ = 1;
    bool scheduled_ = false;
    bool waiting_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace isthmus::netlink
