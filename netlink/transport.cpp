#include "transport.hpp"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <poll.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace isthmus::netlink {

struct Transport::Operation {
    bool is_dump = false;
    bool sent_all = false;
    bool finished = false;
    // batch
    Batch batch;
    std::size_t next = 0;  // first request not yet sent
    uint32_t first_seq = 0;
    BatchReport report;
    std::function<void(BatchReport)> batch_done;
    // dump
    std::vector<uint8_t> request;
    uint32_t seq = 0;
    MessageSink each;
    DumpStatus dump_status;
    std::function<void(DumpStatus)> dump_done;

    uint32_t last_seq() const { return first_seq + uint32_t(batch.size()) - 1; }
    void fail(std::string why, int code = 0) {
        if (is_dump) {
            if (dump_status.ok()) dump_status = {code, std::move(why)};
        } else if (report.transport_error.empty()) {
            report.transport_error = std::move(why);
        }
    }
};

Result<std::unique_ptr<Transport>, std::string> Transport::open(boost::asio::io_context& io, TransportOptions options) {
    auto sock = NetlinkSocket::open(options.socket);
    if (!sock) return err(sock.error());
    return over(io, std::make_unique<NetlinkSocket>(std::move(*sock)), options);
}

std::unique_ptr<Transport> Transport::over(boost::asio::io_context& io, std::unique_ptr<Channel> channel,
                                           TransportOptions options) {
    return std::unique_ptr<Transport>(new Transport(io, std::move(channel), options));
}

Transport::Transport(boost::asio::io_context& io, std::unique_ptr<Channel> channel, TransportOptions options)
    : io_(io), sock_(std::move(channel)), options_(options), descriptor_(io, sock_->fd()), rx_(64 * 1024) {}

Transport::~Transport() {
    *alive_ = false;
    descriptor_.release();  // the socket closes the fd itself
}

void Transport::submit(Batch batch, std::function<void(BatchReport)> done) {
    auto op = std::make_unique<Operation>();
    op->batch = std::move(batch);
    op->batch_done = std::move(done);
    enqueue(std::move(op));
    schedule();
}

void Transport::dump(std::vector<uint8_t> request, MessageSink each, std::function<void(DumpStatus)> done) {
    auto op = std::make_unique<Operation>();
    op->is_dump = true;
    op->request = std::move(request);
    op->each = std::move(each);
    op->dump_done = std::move(done);
    enqueue(std::move(op));
    schedule();
}

BatchReport Transport::submit_sync(Batch batch) {
    BatchReport out;
    bool got = false;
    auto op = std::make_unique<Operation>();
    op->batch = std::move(batch);
    op->batch_done = [&](BatchReport r) { out = std::move(r); got = true; };
    enqueue(std::move(op));
    run(true);
    if (!got) out.transport_error = "batch not completed";
    return out;
}

DumpStatus Transport::dump_sync(std::vector<uint8_t> request, MessageSink each) {
    DumpStatus out{0, "dump not completed"};
    auto op = std::make_unique<Operation>();
    op->is_dump = true;
    op->request = std::move(request);
    op->each = std::move(each);
    op->dump_done = [&](DumpStatus s) { out = std::move(s); };
    enqueue(std::move(op));
    run(true);
    return out;
}

void Transport::enqueue(std::unique_ptr<Operation> op) {
    if (!op->is_dump) {
        op->report.requests = op->batch.size() + op->batch.invalid().size();
        op->report.failures = op->batch.invalid();
        if (op->batch.empty()) {
            op->sent_all = op->finished = true;
        } else {
            // Sequence numbers are handed out once per operation and never reused soon, so a late
            // reply to an abandoned operation can't be taken for a current one.
            if (next_seq_ > UINT32_MAX - uint32_t(op->batch.size())) next_seq_ = 1;  // wrap before, not inside
            op->first_seq = next_seq_;
            next_seq_ += uint32_t(op->batch.size());
            for (std::size_t i = 0; i < op->batch.size(); ++i)
                op->batch.set_sequence(i, op->first_seq + uint32_t(i), i + 1 == op->batch.size());
        }
    } else {
        op->seq = next_seq_++;
        if (op->request.size() >= sizeof(nlmsghdr)) std::memcpy(op->request.data() + 8, &op->seq, sizeof op->seq);
    }
    if (next_seq_ == 0) next_seq_ = 1;
    ops_.push_back(std::move(op));
}

void Transport::schedule() {
    // Even while a read wait is pending: a blocking call may have consumed what it waits for.
    if (scheduled_) return;
    scheduled_ = true;
    boost::asio::post(io_, [this, alive = alive_] {
        if (!*alive) return;
        scheduled_ = false;
        run(false);
    });
}

void Transport::wait_readable() {
    if (waiting_) return;
    waiting_ = true;
    descriptor_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                           [this, alive = alive_](const boost::system::error_code& ec) {
                               if (!*alive) return;
                               waiting_ = false;
                               if (ec == boost::asio::error::operation_aborted) return;
                               run(false);
                           });
}

void Transport::run(bool blocking) {
    while (!ops_.empty()) {
        Operation& op = *ops_.front();
        if (!op.sent_all) {
            send_some(op);
            drain(op);
            if (!op.sent_all && !op.finished) {
                if (blocking) continue;
                schedule();  // let the loop breathe between chunks
                return;
            }
        } else if (!op.finished) {
            drain(op);
        }
        if (!op.finished) {
            if (!blocking) {
                wait_readable();
                return;
            }
            pollfd p{sock_->fd(), POLLIN, 0};
            int n = poll(&p, 1, options_.sync_timeout_ms);
            if (n == 0) {
                op.fail("no reply from the kernel within " + std::to_string(options_.sync_timeout_ms) + " ms");
                op.finished = true;
            } else if (n < 0 && errno != EINTR) {
                op.fail(std::string("poll: ") + std::strerror(errno));
                op.finished = true;
            }
            if (!op.finished) continue;
        }
        complete_front();
    }
}

void Transport::send_some(Operation& op) {
    if (op.is_dump) {
        if (int e = sock_->send(op.request); e != 0) {
            op.fail(std::string("sending the dump request: ") + std::strerror(e));
            op.finished = true;
        }
        op.sent_all = true;
        return;
    }
    std::size_t first = op.next, last = first, bytes = 0;
    while (last < op.batch.size() && last - first < options_.max_requests_per_send) {
        auto len = op.batch.request(last).size();
        if (last > first && bytes + len > options_.max_bytes_per_send) break;
        bytes += len;
        ++last;
    }
    if (int e = sock_->send(op.batch.range(first, last)); e != 0) {
        // Earlier chunks were applied and their replies are drained; these and later ones were not.
        op.fail("sendmsg: " + std::string(std::strerror(e)) + "; requests " + std::to_string(first + 1) + " to " +
                std::to_string(op.batch.size()) + " of " + std::to_string(op.batch.size()) + " not sent");
        op.sent_all = op.finished = true;
        return;
    }
    op.next = last;
    op.sent_all = last == op.batch.size();
}

void Transport::drain(Operation& op) {
    for (;;) {
        long n = sock_->receive(rx_);
        if (n == 0) return;
        if (n < 0) {
            if (n == -ENOBUFS) {
                // The kernel dropped replies: failures may be unreported and the final ack may be
                // gone. The caller must re-read the kernel's state.
                op.fail("kernel replies lost (receive buffer overflow): re-read the kernel's state");
                if (op.sent_all) op.finished = true;
                continue;
            }
            op.fail(std::string("receiving from the kernel: ") + std::strerror(int(-n)));
            op.finished = true;
            return;
        }
        int len = int(n);
        for (auto h = reinterpret_cast<const nlmsghdr*>(rx_.data()); mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len))
            on_message(op, {reinterpret_cast<const uint8_t*>(h), h->nlmsg_len});
    }
}

void Transport::on_message(Operation& op, std::span<const uint8_t> msg) {
    nlmsghdr h;
    std::memcpy(&h, msg.data(), sizeof h);
    if (op.is_dump) {
        if (h.nlmsg_seq != op.seq || op.finished) return;
        if (h.nlmsg_type == NLMSG_ERROR) {
            ErrorReply e;
            if (decode_error_reply(msg, e) && e.code != 0)
                op.fail(std::string(std::strerror(e.code)) + (e.extack.empty() ? "" : " (kernel: " + e.extack + ")"), e.code);
            op.finished = true;
        } else if (h.nlmsg_type == NLMSG_DONE) {
            int status = 0;
            if (msg.size() >= NLMSG_HDRLEN + sizeof status) std::memcpy(&status, msg.data() + NLMSG_HDRLEN, sizeof status);
            if (status < 0) op.fail(std::strerror(-status), -status);
            op.finished = true;
        } else {
            // The table changed while it was dumped: what we got may be inconsistent.
            if (h.nlmsg_flags & NLM_F_DUMP_INTR) op.fail("dump interrupted by a concurrent change: read again");
            op.each(msg);
        }
        return;
    }
    if (h.nlmsg_type != NLMSG_ERROR || op.batch.empty()) return;
    ErrorReply e;
    if (!decode_error_reply(msg, e)) return;
    if (e.seq < op.first_seq || e.seq > op.last_seq()) return;  // a stale reply
    if (e.code != 0) {
        std::size_t i = e.seq - op.first_seq;
        op.report.failures.push_back({describe_request(op.batch.request(i)), e.code, e.extack, false, i});
    }
    if (e.seq == op.last_seq()) op.finished = true;
}

void Transport::complete_front() {
    auto op = std::move(ops_.front());
    ops_.pop_front();
    // The callback may queue more work; the operation is out of the queue by then.
    if (op->is_dump) {
        if (op->dump_done) op->dump_done(std::move(op->dump_status));
    } else if (op->batch_done) {
        op->batch_done(std::move(op->report));
    }
}

}  // namespace isthmus::netlink
