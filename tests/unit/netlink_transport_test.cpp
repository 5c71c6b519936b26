// The transport's batching and reply matching against a fake kernel (no netlink socket): chunks per
// sendmsg, only the last request acked, failures matched back by sequence number, dumps, lost
// replies, send failures, stale replies, timeouts, and several operations queued on the loop.
// Wire constants: NLMSG_ERROR 2, NLMSG_DONE 3; NLM_F_ACK 0x4, NLM_F_MULTI 0x2, NLM_F_DUMP 0x300.
#include <catch2/catch.hpp>
#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <set>

#include "netlink/kernel.hpp"
#include "netlink/transport.hpp"

using namespace isthmus;
using namespace isthmus::netlink;

namespace {

struct Header {  // nlmsghdr's layout, for the fake's own bookkeeping
    uint32_t len;
    uint16_t type, flags;
    uint32_t seq, pid;
};

Header header_at(const uint8_t* p) {
    Header h;
    std::memcpy(&h, p, sizeof h);
    return h;
}

std::vector<uint8_t> message(uint16_t type, uint16_t flags, uint32_t seq, std::span<const uint8_t> payload) {
    std::vector<uint8_t> m(16 + ((payload.size() + 3) & ~std::size_t(3)));
    Header h{uint32_t(m.size()), type, flags, seq, 4242};
    std::memcpy(m.data(), &h, sizeof h);
    std::memcpy(m.data() + 16, payload.data(), payload.size());
    return m;
}

// NLMSG_ERROR, capped, with an extack message when code != 0.
std::vector<uint8_t> error_reply(uint32_t seq, int code, const std::string& extack) {
    std::vector<uint8_t> p(4 + 16);
    int32_t e = -code;
    std::memcpy(p.data(), &e, 4);
    Header echoed{0, 24, 0, seq, 0};
    std::memcpy(p.data() + 4, &echoed, sizeof echoed);
    uint16_t flags = 0x100;  // NLM_F_CAPPED
    if (code != 0 && !extack.empty()) {
        flags |= 0x200;  // NLM_F_ACK_TLVS
        uint16_t alen = uint16_t(4 + extack.size() + 1), type = 1;
        std::vector<uint8_t> attr((alen + 3) & ~3, 0);
        std::memcpy(attr.data(), &alen, 2);
        std::memcpy(attr.data() + 2, &type, 2);
        std::memcpy(attr.data() + 4, extack.data(), extack.size());
        p.insert(p.end(), attr.begin(), attr.end());
    }
    return message(2, flags, seq, p);
}

// Answers requests like the kernel: nothing for a success without NLM_F_ACK, an NLMSG_ERROR for a
// failure or an ack; a dump gets `dump_size` messages and NLMSG_DONE.
class FakeKernel final : public Channel {
public:
    struct Log {
        std::vector<std::size_t> per_send;  // messages in each sendmsg
        std::vector<uint16_t> flags;        // of every request, in order
        std::vector<uint32_t> seqs;
    };
    FakeKernel(Log& log) : log_(log), efd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
    ~FakeKernel() override { close(efd_); }

    std::set<std::size_t> refuse;        // request numbers (0-based, over the whole run) refused
    int fail_send_number = -1;           // this sendmsg (0-based) fails with EPERM
    bool drop_acks = false;              // lose every successful ack (as if the reply never came)
    bool overflow_once = false;          // the next receive reports ENOBUFS
    bool stale_first = false;            // queue a reply with a foreign sequence number first
    int dump_size = 3;
    int dump_refusal = 0;                // errno for every dump request

    int fd() const override { return efd_; }

    int send(std::span<const uint8_t> bytes) override {
        if (int(log_.per_send.size()) == fail_send_number) {
            log_.per_send.push_back(0);
            return EPERM;
        }
        if (stale_first) {
            queue(error_reply(99999, 22, "stale"));
            stale_first = false;
        }
        std::size_t n = 0;
        for (std::size_t off = 0; off + 16 <= bytes.size(); ++n) {
            auto h = header_at(bytes.data() + off);
            if (h.len < 16) break;
            log_.flags.push_back(h.flags);
            log_.seqs.push_back(h.seq);
            std::size_t index = counter_++;
            if ((h.flags & 0x300) == 0x300 && dump_refusal) {
                queue(error_reply(h.seq, dump_refusal, ""));
            } else if ((h.flags & 0x300) == 0x300) {
                for (int i = 0; i < dump_size; ++i) {
                    uint8_t payload[4] = {uint8_t(i), 0, 0, 0};
                    queue(message(24, 0x2, h.seq, payload));
                }
                uint8_t status[4] = {};
                queue(message(3, 0x2, h.seq, status));
            } else if (refuse.count(index)) {
                queue(error_reply(h.seq, 22, "fake: request " + std::to_string(index) + " refused"));
            } else if ((h.flags & 0x4) && !drop_acks) {
                queue(error_reply(h.seq, 0, ""));
            }
            off += (h.len + 3) & ~3u;
        }
        log_.per_send.push_back(n);
        return 0;
    }

    long receive(std::span<uint8_t> buffer) override {
        if (overflow_once) {
            overflow_once = false;
            return -ENOBUFS;
        }
        if (replies_.empty()) {
            uint64_t v;
            (void)read(efd_, &v, sizeof v);  // not readable any more
            return 0;
        }
        auto m = std::move(replies_.front());
        replies_.pop_front();
        std::memcpy(buffer.data(), m.data(), m.size());
        return long(m.size());
    }

private:
    void queue(std::vector<uint8_t> m) {
        replies_.push_back(std::move(m));
        uint64_t one = 1;
        (void)write(efd_, &one, sizeof one);
    }
    Log& log_;
    int efd_;
    std::deque<std::vector<uint8_t>> replies_;
    std::size_t counter_ = 0;
};

std::vector<uint8_t> dump_req() {
    std::vector<uint8_t> req(28, 0);
    Header h{28, 26, 0x301, 0, 0};  // RTM_GETROUTE, REQUEST|DUMP
    std::memcpy(req.data(), &h, sizeof h);
    return req;
}

Batch routes(std::size_t n) {
    Batch b;
    for (std::size_t i = 0; i < n; ++i) {
        Ipv6Address::Bytes a{0x20, 0x01, 0x0d, 0xb8, 0, 0, uint8_t(i >> 8), uint8_t(i)};
        b.add(Op::add, Ipv6Route{Ipv6Prefix::make(Ipv6Address(a), 64), NexthopId{1}});
    }
    return b;
}

struct Rig {
    boost::asio::io_context io;
    FakeKernel::Log log;
    FakeKernel* fake;
    std::unique_ptr<Transport> t;
    explicit Rig(TransportOptions o = {}) {
        auto f = std::make_unique<FakeKernel>(log);
        fake = f.get();
        t = Transport::over(io, std::move(f), o);
    }
};

}  // namespace

TEST_CASE("a batch goes out in chunks, only its last request acked, failures matched by sequence", "[netlink]") {
    Rig r;
    r.fake->refuse = {3, 599};
    auto report = r.t->submit_sync(routes(600));
    CHECK(r.log.per_send == std::vector<std::size_t>{256, 256, 88});
    REQUIRE(r.log.flags.size() == 600);
    for (std::size_t i = 0; i < 600; ++i) {
        CHECK(((r.log.flags[i] & 0x4) != 0) == (i == 599));
        if (i) CHECK(r.log.seqs[i] == r.log.seqs[i - 1] + 1);
    }
    CHECK(report.requests == 600);
    REQUIRE(report.failures.size() == 2);
    CHECK(report.failures[0].to_string() ==
          "add route 2001:db8:0:3::/64 nhid 1: Invalid argument (kernel: fake: request 3 refused)");
    CHECK(report.failures[1].request == "add route 2001:db8:0:257::/64 nhid 1");  // 599 = 0x257
    CHECK(report.failures[0].index == 3);  // which request of the batch: the desired-state layer maps it back
    CHECK(report.failures[1].index == 599);
    CHECK(report.transport_error.empty());
}

TEST_CASE("the byte limit splits chunks too", "[netlink]") {
    TransportOptions o;
    o.max_bytes_per_send = 72 * 10;  // an IPv6 route request is 72 bytes
    Rig r(o);
    CHECK(r.t->submit_sync(routes(25)).ok());
    CHECK(r.log.per_send == std::vector<std::size_t>{10, 10, 5});
}

TEST_CASE("operations queued on the loop complete in order; the loop gets control between chunks", "[netlink]") {
    TransportOptions o;
    o.max_requests_per_send = 10;
    Rig r(o);
    r.fake->refuse = {0};
    std::vector<std::string> done;
    std::vector<int> dumped;
    r.t->submit(routes(35), [&](BatchReport rep) { done.push_back("a:" + std::to_string(rep.failures.size())); });
    r.t->dump(dump_req(), [&](std::span<const uint8_t> m) { dumped.push_back(m[16]); },
              [&](DumpStatus s) { done.push_back("dump:" + s.error); });
    r.t->submit(routes(1), [&](BatchReport rep) { done.push_back("b:" + std::to_string(rep.ok())); });
    CHECK(r.t->queued() == 3);
    CHECK(done.empty());  // nothing happens before the loop runs
    std::size_t turns = 0;
    while (r.io.run_one()) ++turns;  // one handler at a time
    CHECK(turns >= 4);                // 35 requests in 4 chunks: the loop ran other work between them
    CHECK(r.log.per_send == std::vector<std::size_t>{10, 10, 10, 5, 1, 1});
    CHECK(done == std::vector<std::string>{"a:1", "dump:", "b:1"});
    CHECK(dumped == std::vector<int>{0, 1, 2});
    CHECK(r.t->queued() == 0);
}

TEST_CASE("a dump delivers every message until NLMSG_DONE", "[netlink]") {
    Rig r;
    r.fake->dump_size = 5;
    std::vector<int> got;
    auto s = r.t->dump_sync(dump_req(), [&](std::span<const uint8_t> m) { got.push_back(m[16]); });
    CHECK(s.ok());
    CHECK(got == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("lost replies, failed sends, stale replies and silence are reported, never hang", "[netlink]") {
    SECTION("ENOBUFS") {
        Rig r;
        r.fake->overflow_once = true;
        auto rep = r.t->submit_sync(routes(3));
        CHECK(rep.transport_error == "kernel replies lost (receive buffer overflow): re-read the kernel's state");
    }
    SECTION("sendmsg fails on the second chunk") {
        Rig r;
        r.fake->fail_send_number = 1;
        auto rep = r.t->submit_sync(routes(600));
        CHECK(rep.transport_error == "sendmsg: Operation not permitted; requests 257 to 600 of 600 not sent");
    }
    SECTION("a reply to someone else's sequence number is ignored") {
        Rig r;
        r.fake->stale_first = true;
        auto rep = r.t->submit_sync(routes(2));
        CHECK(rep.ok());
    }
    SECTION("no ack at all: the blocking call gives up") {
        TransportOptions o;
        o.sync_timeout_ms = 50;
        Rig r(o);
        r.fake->drop_acks = true;
        auto rep = r.t->submit_sync(routes(2));
        CHECK(rep.transport_error == "no reply from the kernel within 50 ms");
    }
    SECTION("an empty batch completes at once") {
        Rig r;
        auto rep = r.t->submit_sync(Batch{});
        CHECK(rep.ok());
        CHECK(r.log.per_send.empty());
    }
}

TEST_CASE("a kernel without nexthop objects is named as such", "[netlink]") {
    Rig r;
    r.fake->dump_refusal = EOPNOTSUPP;  // what rtnetlink answers for a message type it doesn't know
    auto s = r.t->dump_sync(dump_req(), [](std::span<const uint8_t>) {});
    CHECK(s.code == EOPNOTSUPP);
    CHECK(nexthop_dump_error(s) ==
          "this kernel has no nexthop objects (Linux 5.3 or later is needed; isthmusd has no per-route fallback): " +
              s.error);
    CHECK(nexthop_dump_error(DumpStatus{EPERM, "Operation not permitted"}) == "nexthop dump: Operation not permitted");
}
