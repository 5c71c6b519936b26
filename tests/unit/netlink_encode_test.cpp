// netlink/ request encoding, byte for byte, without a kernel. Layout per message: nlmsghdr
// (len, type, flags, seq, pid) | family header | attributes (len, type, value, padding).
// Constants (from the uapi headers, which tests may not include): RTM_NEWROUTE 24, RTM_DELROUTE 25,
// RTM_NEWNEXTHOP 104, RTM_DELNEXTHOP 105; NLM_F_REQUEST 0x1, NLM_F_ACK 0x4, NLM_F_REPLACE 0x100,
// NLM_F_EXCL 0x200, NLM_F_CREATE 0x400; AF_INET6 10, AF_MPLS 28; NHA_ID 1, NHA_GROUP 2,
// NHA_GROUP_TYPE 3, NHA_OIF 5, NHA_GATEWAY 6, NHA_ENCAP_TYPE 7, NHA_ENCAP 8 (| NLA_F_NESTED 0x8000);
// RTA_DST 1, RTA_OIF 4, RTA_PRIORITY 6, RTA_MULTIPATH 9, RTA_TABLE 15, RTA_VIA 18, RTA_NEWDST 19,
// RTA_NH_ID 30; RTNH_F_ONLINK 4; LWTUNNEL_ENCAP_MPLS 1, MPLS_IPTUNNEL_DST 1.
#include <catch2/catch.hpp>

#include "netlink/batch.hpp"
#include "netlink/dump.hpp"
#include "netlink/errors.hpp"
#include "netlink_test_util.hpp"

using namespace isthmus;
using namespace isthmus::netlink;
using isthmus::netlink::test::hex;
using isthmus::netlink::test::to_hex;

namespace {

Ipv4Address v4(const char* s) { return *Ipv4Address::parse(s); }
Ipv6Address v6(const char* s) { return *Ipv6Address::parse(s); }
Ipv6Prefix p6(const char* s) { return *Ipv6Prefix::parse_strict(s); }
MplsLabel label(uint32_t v) { return MplsLabel::checked(v); }

// Encodes one request with our protocol id (205 = 0xcd) and returns its bytes.
template <class T>
std::vector<uint8_t> encode(Op op, const T& v) {
    Batch b;
    b.add(op, v);
    auto r = b.request(0);
    return {r.begin(), r.end()};
}

#define CHECK_BYTES(actual, expected_hex) CHECK(to_hex(actual) == to_hex(hex(expected_hex)))

// Ifindexes no test host has, so descriptions print "ifindex N".
constexpr uint32_t kCore = 999901, kCe = 999902, kEast = 999903, kWest = 999904;

}  // namespace

TEST_CASE("a 6PE nexthop object: AF_INET6, v4-mapped gateway, onlink, MPLS encap outer first", "[netlink]") {
    auto nh = NexthopObject::six_pe(NexthopId{1}, v4("10.0.1.2"), 3, {label(200), MplsLabel::ipv6_explicit_null()});
    CHECK(nh.gateway == v6("::ffff:10.0.1.2"));
    CHECK(nh.onlink);
    CHECK_BYTES(encode(Op::add, nh),
                "54000000 6800 0106 00000000 00000000"  // 84 bytes, RTM_NEWNEXTHOP, REQUEST|CREATE|EXCL
                "0a 00 cd 00 04000000"                  // nhmsg: AF_INET6, scope 0, proto 205, flags ONLINK
                "0800 0100 01000000"                    // NHA_ID 1
                "0800 0500 03000000"                    // NHA_OIF 3
                "1400 0600 00000000 00000000 0000ffff 0a000102"  // NHA_GATEWAY ::ffff:10.0.1.2
                "0600 0700 0100 0000"                   // NHA_ENCAP_TYPE MPLS, padded
                "1000 0880"                             // NHA_ENCAP, nested
                "0c00 0100 000c8000 00002100");         // MPLS_IPTUNNEL_DST 200, 2 (bottom of stack)
}

TEST_CASE("a plain IPv6 nexthop object has no encap and no onlink", "[netlink]") {
    auto nh = NexthopObject::ipv6(NexthopId{3}, v6("2001:db8:a::2"), 2);
    CHECK_BYTES(encode(Op::replace, nh),
                "3c000000 6800 0105 00000000 00000000"  // 60 bytes, REQUEST|CREATE|REPLACE
                "0a 00 cd 00 00000000"
                "0800 0100 03000000"
                "0800 0500 02000000"
                "1400 0600 20010db8 000a0000 00000000 00000002");
}

TEST_CASE("a nexthop group: AF_UNSPEC, members with weight - 1, multipath type", "[netlink]") {
    NexthopGroup g{NexthopId{10}, {{NexthopId{1}, 1}, {NexthopId{2}, 3}}};
    CHECK_BYTES(encode(Op::add, g),
                "3c000000 6800 0106 00000000 00000000"
                "00 00 cd 00 00000000"
                "0800 0100 0a000000"
                "1400 0200 01000000 00000000 02000000 02000000"  // {id 1, weight 0}, {id 2, weight 2}
                "0600 0300 0000 0000");                           // NHA_GROUP_TYPE mpath
}

TEST_CASE("deleting an object or group carries only its id", "[netlink]") {
    auto expected = "20000000 6900 0100 00000000 00000000"  // RTM_DELNEXTHOP, REQUEST only
                    "00 00 00 00 00000000"
                    "0800 0100 07000000";
    CHECK_BYTES(encode(Op::remove, NexthopObject::ipv6(NexthopId{7}, v6("2001:db8::1"), 9)), expected);
    CHECK_BYTES(encode(Op::remove, NexthopGroup{NexthopId{7}, {{NexthopId{1}, 1}}}), expected);
}

TEST_CASE("an IPv6 route points at an object id", "[netlink]") {
    Ipv6Route r{p6("2001:db8:b::/64"), NexthopId{7}};
    CHECK_BYTES(encode(Op::add, r),
                "48000000 1800 0106 00000000 00000000"  // 72 bytes, RTM_NEWROUTE
                "0a 40 00 00 fe cd 00 01 00000000"      // AF_INET6 /64, main, proto 205, universe, unicast
                "1400 0100 20010db8 000b0000 00000000 00000000"  // RTA_DST
                "0800 0f00 fe000000"                    // RTA_TABLE 254
                "0800 0600 00040000"                    // RTA_PRIORITY 1024
                "0800 1e00 07000000");                  // RTA_NH_ID 7
}

TEST_CASE("an IPv6 route delete names prefix, table, metric and our protocol, not the object", "[netlink]") {
    Ipv6Route r{p6("2001:db8::/32"), NexthopId{7}, 50, 1000};
    CHECK_BYTES(encode(Op::remove, r),
                "40000000 1900 0100 00000000 00000000"  // 64 bytes, RTM_DELROUTE
                "0a 20 00 00 00 cd 00 01 00000000"      // table > 255: rtm_table unspec, RTA_TABLE says it
                "1400 0100 20010db8 00000000 00000000 00000000"
                "0800 0f00 e8030000"                    // RTA_TABLE 1000
                "0800 0600 32000000");                  // RTA_PRIORITY 50
}

TEST_CASE("an MPLS swap: label entries with bottom-of-stack, RTA_VIA AF_INET, RTA_OIF", "[netlink]") {
    auto r = MplsRoute::swap(label(201), {label(305)}, v4("10.0.2.2"), 4);
    CHECK_BYTES(encode(Op::replace, r),
                "40000000 1800 0105 00000000 00000000"  // 64 bytes, REQUEST|CREATE|REPLACE
                "1c 14 00 00 fe cd 00 01 00000000"      // AF_MPLS, 20-bit dst
                "0800 0100 000c9100"                    // RTA_DST 201 BoS
                "0800 1300 00131100"                    // RTA_NEWDST 305 BoS
                "0a00 1200 0200 0a000202 0000"          // RTA_VIA inet 10.0.2.2, padded
                "0800 0400 04000000");                  // RTA_OIF 4
}

TEST_CASE("MPLS pop variants: PHP via inet, pop to an IPv6 CE, pop-and-lookup", "[netlink]") {
    CHECK_BYTES(encode(Op::add, MplsRoute::pop(label(200), v4("10.0.2.2"), 4)),
                "38000000 1800 0106 00000000 00000000"
                "1c 14 00 00 fe cd 00 01 00000000"
                "0800 0100 000c8100"
                "0a00 1200 0200 0a000202 0000"
                "0800 0400 04000000");
    CHECK_BYTES(encode(Op::add, MplsRoute::pop_to_ipv6(label(17), v6("2001:db8:b::2"), 5)),
                "44000000 1800 0106 00000000 00000000"
                "1c 14 00 00 fe cd 00 01 00000000"
                "0800 0100 00011100"
                "1600 1200 0a00 20010db8 000b0000 00000000 00000002 0000"  // RTA_VIA inet6
                "0800 0400 05000000");
    CHECK_BYTES(encode(Op::add, MplsRoute::pop_and_lookup(label(18), 1)),
                "2c000000 1800 0106 00000000 00000000"
                "1c 14 00 00 fe cd 00 01 00000000"
                "0800 0100 00012100"
                "0800 0400 01000000");
}

TEST_CASE("MPLS multipath: RTA_MULTIPATH of rtnexthop entries, each with its own attributes", "[netlink]") {
    MplsRoute r{label(500),
                {MplsPath{IpAddress(v4("10.0.2.2")), 4, {label(501)}}, MplsPath{IpAddress(v4("10.0.1.1")), 3, {}}}};
    CHECK_BYTES(encode(Op::add, r),
                "58000000 1800 0106 00000000 00000000"
                "1c 14 00 00 fe cd 00 01 00000000"
                "0800 0100 001f4100"
                "3400 0900"                                              // RTA_MULTIPATH, 52 bytes
                "1c00 00 00 04000000 0800 1300 001f5100 0a00 1200 0200 0a000202 0000"  // len 28, ifindex 4
                "1400 00 00 03000000 0a00 1200 0200 0a000101 0000");     // len 20, ifindex 3
}

TEST_CASE("an MPLS delete carries only the label", "[netlink]") {
    CHECK_BYTES(encode(Op::remove, MplsRoute::pop(label(200), v4("10.0.2.2"), 4)),
                "24000000 1900 0100 00000000 00000000"
                "1c 14 00 00 fe cd 00 01 00000000"
                "0800 0100 000c8100");
}

TEST_CASE("a batch keeps requests back to back; the transport numbers them and acks only the last", "[netlink]") {
    Batch b(42);
    b.add(Op::add, NexthopObject::six_pe(NexthopId{1}, v4("10.0.1.2"), 3, {label(200)}));
    b.add(Op::add, Ipv6Route{p6("2001:db8:b::/64"), NexthopId{1}});
    b.add(Op::remove, MplsRoute{label(300), {}});
    REQUIRE(b.size() == 3);
    CHECK(b.range(0, 3).size() == b.byte_size());
    CHECK(b.request(0).size() + b.request(1).size() + b.request(2).size() == b.byte_size());
    CHECK(b.request(1)[21] == 42);  // rtm_protocol of the route: the batch's protocol
    for (std::size_t i = 0; i < 3; ++i) b.set_sequence(i, 100 + uint32_t(i), i == 2);
    CHECK(to_hex(b.request(0).subspan(4, 8)) == to_hex(hex("6800 0106 64000000")));  // no ACK, seq 100
    CHECK(to_hex(b.request(2).subspan(4, 8)) == to_hex(hex("1900 0500 66000000")));  // ACK, seq 102
    b.set_sequence(2, 7, false);
    CHECK(to_hex(b.request(2).subspan(4, 8)) == to_hex(hex("1900 0100 07000000")));
}

TEST_CASE("dump requests", "[netlink]") {
    CHECK_BYTES(dump_request(DumpKind::nexthops), "18000000 6a00 0103 00000000 00000000 00000000 00000000");
    CHECK_BYTES(dump_request(DumpKind::routes6), "1c000000 1a00 0103 00000000 00000000 0a000000 00000000 00000000");
    CHECK_BYTES(dump_request(DumpKind::mpls_routes), "1c000000 1a00 0103 00000000 00000000 1c000000 00000000 00000000");
}

TEST_CASE("every request decodes back into the value it was built from", "[netlink]") {
    auto nh = NexthopObject::six_pe(NexthopId{1}, v4("10.0.1.2"), kCore, {label(200), label(2)});
    auto d = decode_nexthop(encode(Op::add, nh));
    REQUIRE(d);
    CHECK(std::get<NexthopObject>(d->value) == nh);
    CHECK(d->protocol == kProtocolId);

    NexthopGroup g{NexthopId{10}, {{NexthopId{1}, 1}, {NexthopId{2}, 256}}};
    auto dg = decode_nexthop(encode(Op::replace, g));
    REQUIRE(dg);
    CHECK(std::get<NexthopGroup>(dg->value) == g);

    Ipv6Route r{p6("2001:db8:b::/64"), NexthopId{1}, 20, 100};
    auto dr = decode_route6(encode(Op::add, r));
    REQUIRE(dr);
    CHECK(dr->value == r);

    for (auto& m : {MplsRoute::swap(label(201), {label(305), label(16)}, v4("10.0.2.2"), kEast),
                    MplsRoute::pop(label(200), v4("10.0.2.2"), kEast),
                    MplsRoute::pop_to_ipv6(label(17), v6("2001:db8:b::2"), kCe), MplsRoute::pop_and_lookup(label(18), 1),
                    MplsRoute{label(500),
                              {MplsPath{IpAddress(v4("10.0.2.2")), kEast, {label(501)}},
                               MplsPath{IpAddress(v4("10.0.1.1")), kWest, {}}}}}) {
        auto dm = decode_mpls_route(encode(Op::add, m));
        REQUIRE(dm);
        CHECK(dm->value == m);
    }
}

TEST_CASE("requests describe themselves for error messages", "[netlink]") {
    CHECK(describe_request(encode(Op::add, Ipv6Route{p6("2001:db8::/48"), NexthopId{7}})) ==
          "add route 2001:db8::/48 nhid 7");
    CHECK(describe_request(encode(Op::remove, Ipv6Route{p6("2001:db8::/48"), NexthopId{7}, 50})) ==
          "delete route 2001:db8::/48 metric 50");
    CHECK(describe_request(encode(Op::replace, NexthopObject::six_pe(NexthopId{1}, v4("10.0.1.2"), kCore,
                                                                      {label(300), label(2)}))) ==
          "replace nexthop id 1 encap mpls 300/2 via ::ffff:10.0.1.2 dev ifindex 999901 onlink");
    CHECK(describe_request(encode(Op::remove, NexthopGroup{NexthopId{10}, {}})) == "delete nexthop 10");
    CHECK(describe_request(encode(Op::add, NexthopGroup{NexthopId{10}, {{NexthopId{1}, 1}, {NexthopId{2}, 3}}})) ==
          "add nexthop id 10 group 1/2,3");
    CHECK(describe_request(encode(Op::add, MplsRoute::swap(label(201), {label(305)}, v4("10.0.2.2"), kEast))) ==
          "add mpls route 201 as 305 via inet 10.0.2.2 dev ifindex 999903");
    CHECK(describe_request(encode(Op::remove, MplsRoute{label(200), {}})) == "delete mpls route 200");
    CHECK(describe_request(hex("0800")) == "malformed request (message shorter than a netlink header)");
}

TEST_CASE("kernel errors read as the request, the errno text and the kernel's reason", "[netlink]") {
    KernelError e{"add route 2001:db8::/48 nhid 7", 22, "Nexthop id does not exist"};
    CHECK(e.to_string() == "add route 2001:db8::/48 nhid 7: Invalid argument (kernel: Nexthop id does not exist)");
    CHECK(KernelError{"delete mpls route 200", 2, ""}.to_string() == "delete mpls route 200: No such file or directory");
    BatchReport r;
    CHECK(r.ok());
    r.failures.push_back(e);
    CHECK_FALSE(r.ok());
    CHECK(r.to_string() == e.to_string() + "\n");
}

TEST_CASE("values the kernel would misread are refused before sending, as failures naming them", "[netlink]") {
    Batch b;
    b.add(Op::add, NexthopObject::six_pe(NexthopId{0}, v4("10.0.1.2"), kCore, {label(200)}));
    b.add(Op::add, NexthopObject::six_pe(NexthopId{1}, v4("10.0.1.2"), kCore, {label(200), MplsLabel::implicit_null()}));
    b.add(Op::add, NexthopGroup{NexthopId{10}, {{NexthopId{1}, 0}}});
    b.add(Op::add, NexthopGroup{NexthopId{11}, {}});
    b.add(Op::add, Ipv6Route{p6("2001:db8::/48"), NexthopId{}});
    b.add(Op::replace, MplsRoute{label(300), {}});
    b.add(Op::remove, MplsRoute{label(300), {}});  // fine: a delete needs only the label
    CHECK(b.size() == 1);
    REQUIRE(b.invalid().size() == 6);
    CHECK(b.invalid()[0].to_string() ==
          "add nexthop id 0 encap mpls 200 via ::ffff:10.0.1.2 dev ifindex 999901 onlink: Invalid argument "
          "(not sent: nexthop id 0 (the kernel would choose one))");
    CHECK(b.invalid()[1].extack == "implicit null (3) is never pushed");
    CHECK(b.invalid()[2].to_string() == "add nexthop id 10 group 1,0: Invalid argument (not sent: member weight 0 (1..256))");
    CHECK(b.invalid()[3].extack == "a group without members");
    CHECK(b.invalid()[4].to_string() == "add route 2001:db8::/48: Invalid argument (not sent: a route without a nexthop object)");
    CHECK(b.invalid()[5].to_string() == "replace mpls route 300: Invalid argument (not sent: a label route without a path)");
}
