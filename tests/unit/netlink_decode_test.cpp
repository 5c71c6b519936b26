// netlink/ decoding of replies as the kernel (6.1) writes them: dump messages, error replies with
// extended acks, and malformed input that must fail cleanly. No kernel needed.
// Constants as in netlink_encode_test.cpp; also NLMSG_ERROR 2, NLM_F_MULTI 0x2, NLM_F_CAPPED 0x100,
// NLM_F_ACK_TLVS 0x200, NLMSGERR_ATTR_MSG 1, NLMSGERR_ATTR_OFFS 2, RTA_GATEWAY 5, RTA_CACHEINFO 12,
// RTA_PREF 20, RTA_ENCAP_TYPE 21, RTA_ENCAP 22, RT_SCOPE_LINK 253.
#include <catch2/catch.hpp>

#include <cstring>

#include "netlink/dump.hpp"
#include "netlink/errors.hpp"
#include "netlink/kernel.hpp"
#include "netlink_test_util.hpp"

using namespace isthmus;
using namespace isthmus::netlink;
using isthmus::netlink::test::hex;

namespace {

Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse_strict(s); }
MplsLabel label(uint32_t v) { return MplsLabel::checked(v); }

std::vector<uint8_t> operator+(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
std::vector<uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

// `ip nexthop add id 1 encap mpls 200/2 via ::ffff:10.0.1.2 dev core onlink` as the kernel dumps it:
// scope link, the encap nest without NLA_F_NESTED and before its type, NLM_F_MULTI.
const auto kNexthopReply = hex(
    "54000000 6800 0200 01000000 39300000"
    "0a fd cd 00 04000000"
    "0800 0100 01000000"
    "0800 0500 03000000"
    "1400 0600 00000000 00000000 0000ffff 0a000102"
    "1000 0800 0c00 0100 000c8000 00002100"
    "0600 0700 0100 0000");

// A route on object 7 in compat mode 1: the kernel adds the object's gateway, device, encap and
// cache info, which the decoder must skip.
const auto kRouteReply = hex(
    "a8000000 1800 0200 02000000 39300000"
    "0a 40 00 00 fe cd 00 01 00000000"
    "0800 0f00 fe000000"
    "1400 0100 20010db8 000b0000 00000000 00000000"
    "0800 0600 00040000"
    "0500 1400 00 000000"                                // RTA_PREF
    "0800 1e00 07000000"                                 // RTA_NH_ID 7
    "1400 0500 00000000 00000000 0000ffff 0a000102"      // RTA_GATEWAY
    "0800 0400 03000000"                                 // RTA_OIF
    "1000 1600 0c00 0100 000c8000 00002100"              // RTA_ENCAP
    "0600 1500 0100 0000"                                // RTA_ENCAP_TYPE
    "2400 0c00 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000");  // RTA_CACHEINFO

const auto kMplsMultipathReply = hex(
    "58000000 1800 0200 03000000 39300000"
    "1c 14 00 00 fe cd 00 01 00000000"
    "0800 0100 001f4100"
    "3400 0900"
    "1c00 00 00 04000000 0800 1300 001f5100 0a00 1200 0200 0a000202 0000"
    "1400 01 00 03000000 0a00 1200 0200 0a000101 0000");  // rtnh_flags DEAD: ignored

}  // namespace

TEST_CASE("the canned replies are well formed", "[netlink]") {
    for (auto* msg : {&kNexthopReply, &kRouteReply, &kMplsMultipathReply}) {
        uint32_t len;
        std::memcpy(&len, msg->data(), 4);
        CHECK(len == msg->size());
    }
}

TEST_CASE("a kernel nexthop dump reply decodes into the object that was installed", "[netlink]") {
    auto d = decode_nexthop(kNexthopReply);
    REQUIRE(d);
    CHECK(d->protocol == 205);
    auto want = NexthopObject::six_pe(NexthopId{1}, *Ipv4Address::parse("10.0.1.2"), 3, {label(200), label(2)});
    CHECK(std::get<NexthopObject>(d->value) == want);
}

TEST_CASE("a kernel group reply decodes with weights", "[netlink]") {
    auto msg = hex("3c000000 6800 0200 01000000 00000000"
                   "00 00 cd 00 00000000"
                   "0800 0100 0a000000"
                   "1400 0200 01000000 00000000 02000000 ff000000"
                   "0600 0300 0000 0000");
    auto d = decode_nexthop(msg);
    REQUIRE(d);
    CHECK(std::get<NexthopGroup>(d->value) == NexthopGroup{NexthopId{10}, {{NexthopId{1}, 1}, {NexthopId{2}, 256}}});
}

TEST_CASE("nexthops we never install are reported, not misread", "[netlink]") {
    // AF_INET object (FRR's way of doing 6PE, which IPv6 routes can't use).
    auto v4 = hex("28000000 6800 0200 01000000 00000000"
                  "02 fd 0b 00 04000000"
                  "0800 0100 05000000"
                  "0800 0600 0a000102");
    auto d = decode_nexthop(v4);
    REQUIRE_FALSE(d);
    CHECK(d.error() == "nexthop 5: address family 2, not AF_INET6");
    auto blackhole = hex("24000000 6800 0200 01000000 00000000"
                         "0a 00 cd 00 00000000"
                         "0800 0100 06000000"
                         "0400 0400");
    CHECK(decode_nexthop(blackhole).error() == "nexthop 6: a blackhole");
}

TEST_CASE("a kernel IPv6 route reply decodes in compat mode 1, skipping the expanded nexthop", "[netlink]") {
    auto d = decode_route6(kRouteReply);
    REQUIRE(d);
    CHECK(d->protocol == 205);
    CHECK(d->value == Ipv6Route{p6("2001:db8:b::/64"), NexthopId{7}, 1024, 254});
}

TEST_CASE("a route without an object (another protocol's) decodes with no nhid", "[netlink]") {
    auto msg = hex("40000000 1800 0200 02000000 00000000"
                   "0a 40 00 00 fe 02 00 01 00000000"  // proto kernel
                   "0800 0f00 fe000000"
                   "1400 0100 20010db8 000a0000 00000000 00000000"
                   "0800 0600 00010000");
    auto d = decode_route6(msg);
    REQUIRE(d);
    CHECK(d->protocol == 2);
    CHECK_FALSE(d->value.nhid.valid());
    CHECK(d->value.metric == 256);
}

TEST_CASE("a kernel MPLS multipath reply decodes path by path", "[netlink]") {
    auto d = decode_mpls_route(kMplsMultipathReply);
    REQUIRE(d);
    CHECK(d->value == MplsRoute{label(500),
                                {MplsPath{IpAddress(*Ipv4Address::parse("10.0.2.2")), 4, {label(501)}},
                                 MplsPath{IpAddress(*Ipv4Address::parse("10.0.1.1")), 3, {}}}});
}

TEST_CASE("an error reply with NETLINK_CAP_ACK carries the extack after the echoed header", "[netlink]") {
    auto msg = hex("4c000000 0200 0003 2a000000 39300000"
                   "eaffffff"                                   // -EINVAL
                   "48000000 1800 0106 2a000000 00000000") +    // our request's header, capped
               hex("1e00 0100") + text("Nexthop id does not exist") + hex("00 0000") +
               hex("0800 0200 44000000");                       // NLMSGERR_ATTR_OFFS
    REQUIRE(msg.size() == 0x4c);
    ErrorReply e;
    REQUIRE(decode_error_reply(msg, e));
    CHECK(e.seq == 42);
    CHECK(e.code == 22);
    CHECK(e.extack == "Nexthop id does not exist");
}

TEST_CASE("an error reply without NETLINK_CAP_ACK: the extack follows the whole echoed request", "[netlink]") {
    auto msg = hex("48000000 0200 0002 07000000 39300000"
                   "eaffffff"
                   "24000000 1800 0106 07000000 00000000"
                   "00000000 00000000 00000000 00000000 00000000") +  // the echoed payload
               hex("0e00 0100") + text("bad label") + hex("00 0000");
    REQUIRE(msg.size() == 0x48);
    ErrorReply e;
    REQUIRE(decode_error_reply(msg, e));
    CHECK(e.seq == 7);
    CHECK(e.extack == "bad label");
}

TEST_CASE("an ack is an error reply with code 0; other messages are not error replies", "[netlink]") {
    ErrorReply e;
    REQUIRE(decode_error_reply(hex("24000000 0200 0001 09000000 39300000 00000000"
                                   "48000000 1800 0506 09000000 00000000"),
                               e));
    CHECK(e.code == 0);
    CHECK(e.seq == 9);
    CHECK(e.extack.empty());
    CHECK_FALSE(decode_error_reply(kRouteReply, e));
    CHECK_FALSE(decode_error_reply(hex("14000000 0200 0000 01000000 00000000 00000000"), e));  // too short
}

TEST_CASE("dumps keep only our protocol's entries", "[netlink]") {
    KernelState s;
    collect(s, kNexthopReply, 205);
    collect(s, kRouteReply, 205);
    collect(s, kMplsMultipathReply, 205);
    collect(s, kRouteReply, 186);  // as if we were another protocol: nothing
    auto other = kRouteReply;
    other[16 + 5] = 2;  // rtm_protocol kernel
    collect(s, other, 205);
    CHECK(s.nexthops.size() == 1);
    CHECK(s.routes6.size() == 1);
    CHECK(s.mpls_routes.size() == 1);
    CHECK(s.problems.empty());
    // An entry of ours we can't represent (someone changed it) is reported.
    auto broken = kNexthopReply;
    broken[16] = 2;  // nh_family AF_INET
    collect(s, broken, 205);
    REQUIRE(s.problems.size() == 1);
    CHECK(s.problems[0] == "nexthop 1: address family 2, not AF_INET6");
}

TEST_CASE("truncated or inconsistent messages fail cleanly", "[netlink]") {
    for (auto* msg : {&kNexthopReply, &kRouteReply, &kMplsMultipathReply}) {
        for (std::size_t n = 0; n < msg->size(); ++n) {
            // Cut short: the header's length no longer fits.
            std::vector<uint8_t> cut(msg->begin(), msg->begin() + long(n));
            CHECK_FALSE(decode_nexthop(cut));
            CHECK_FALSE(decode_route6(cut));
            CHECK_FALSE(decode_mpls_route(cut));
            // Whole buffer, but nlmsg_len claims less: attributes end mid-way. Decoding may succeed on
            // what is left, but never reads past it (the sanitizers check that).
            auto shorter = *msg;
            uint32_t len = uint32_t(n);
            std::memcpy(shorter.data(), &len, 4);
            (void)decode_nexthop(shorter);
            (void)decode_route6(shorter);
            (void)decode_mpls_route(shorter);
            ErrorReply e;
            (void)decode_error_reply(shorter, e);
            (void)describe_request(shorter);
        }
    }
    // An attribute whose length runs past the message.
    auto bad = kRouteReply;
    bad[28] = 0xff;
    CHECK_FALSE(decode_route6(bad));
    // A multipath entry longer than the attribute.
    auto mp = kMplsMultipathReply;
    mp[40] = 0x60;
    CHECK_FALSE(decode_mpls_route(mp));
    // A label stack of 3 bytes.
    auto stack = hex("24000000 1800 0200 03000000 00000000"
                     "1c 14 00 00 fe cd 00 01 00000000"
                     "0700 0100 000c81 00");
    CHECK(decode_mpls_route(stack).error() == "mpls route without a single incoming label");
}
