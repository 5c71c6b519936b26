// The recirculation port (netlink/recirculation.hpp) against a fake kernel of links, neighbours and
// /proc/sys files: created, adopted unchanged, repaired in place, recreated when an end is missing
// or peered elsewhere, never taking over a link of another kind, clear errors without veth or MPLS,
// checked and removed. The fake reads our requests with the kernel's rules (a veth peer is an
// ifinfomsg plus attributes inside IFLA_INFO_DATA; deleting one end deletes both), so the
// encoders are exercised too; one request is also checked byte for byte.
#include <catch2/catch.hpp>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>

#include "netlink/attributes.hpp"
#include "netlink/message_builder.hpp"
#include "netlink/recirculation.hpp"
#include "netlink/transport.hpp"
#include "netlink_test_util.hpp"

using namespace isthmus;
using namespace isthmus::netlink;
using isthmus::netlink::test::hex;
using isthmus::netlink::test::to_hex;

namespace {

const std::string kPlatform = "/proc/sys/net/mpls/platform_labels";

class FakeLinks final : public Channel {
public:
    struct Link {
        std::string name, kind;
        uint32_t peer = 0;
        bool peer_elsewhere = false;
        bool up = false;
        uint32_t mtu = 1500;
        MacAddress mac{};
    };
    struct Neigh {
        MacAddress mac{};
        uint16_t state = 0;
    };

    std::map<uint32_t, Link> links;
    std::map<std::pair<uint32_t, uint32_t>, Neigh> neighbours;  // (ifindex, IPv4 host order)
    std::map<std::string, std::string> files{{kPlatform, "100000"}};
    bool has_veth = true;
    std::vector<std::string> log;  // every request, in words

    FakeLinks() : efd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
    ~FakeLinks() override { close(efd_); }
    int fd() const override { return efd_; }

    uint32_t add_link(Link l) {
        uint32_t i = next_++;
        l.mac = MacAddress{0x02, 0, 0, 0, 0, uint8_t(i)};
        links[i] = l;
        if (files.count(kPlatform)) files["/proc/sys/net/mpls/conf/" + l.name + "/input"] = "0";
        files["/proc/sys/net/ipv6/conf/" + l.name + "/disable_ipv6"] = "0";
        return i;
    }
    uint32_t index_of(const std::string& name) const {
        for (auto& [i, l] : links)
            if (l.name == name) return i;
        return 0;
    }
    std::size_t count(const std::string& prefix) const {
        std::size_t n = 0;
        for (auto& l : log) n += l.rfind(prefix, 0) == 0;
        return n;
    }

    int send(std::span<const uint8_t> bytes) override {
        nlmsghdr h;
        std::memcpy(&h, bytes.data(), sizeof h);
        std::string why;
        int code = handle(bytes.first(h.nlmsg_len), h, why);
        if (code || (h.nlmsg_flags & NLM_F_ACK)) queue(error_reply(h.nlmsg_seq, code, why));
        return 0;
    }

    long receive(std::span<uint8_t> buffer) override {
        if (replies_.empty()) {
            uint64_t v;
            (void)read(efd_, &v, sizeof v);
            return 0;
        }
        auto m = std::move(replies_.front());
        replies_.pop_front();
        std::memcpy(buffer.data(), m.data(), m.size());
        return long(m.size());
    }

private:
    void remove_link(uint32_t i) {
        auto name = links[i].name;
        links.erase(i);
        std::erase_if(neighbours, [&](auto& kv) { return kv.first.first == i; });
        std::erase_if(files, [&](auto& kv) { return kv.first.find("/conf/" + name + "/") != std::string::npos; });
    }

    static std::string name_in(const Attrs& a) {
        auto b = a.bytes(IFLA_IFNAME);
        return std::string(reinterpret_cast<const char*>(b.data()), strnlen(reinterpret_cast<const char*>(b.data()), b.size()));
    }

    int handle(std::span<const uint8_t> msg, const nlmsghdr& h, std::string& why) {
        if (h.nlmsg_type == RTM_GETLINK || h.nlmsg_type == RTM_NEWLINK || h.nlmsg_type == RTM_DELLINK) {
            ifinfomsg ifi;
            std::memcpy(&ifi, msg.data() + NLMSG_HDRLEN, sizeof ifi);
            auto a = Attrs::of_message(msg, sizeof ifi);
            REQUIRE(a.ok());
            if (h.nlmsg_type == RTM_GETLINK) {
                auto name = name_in(*a);
                log.push_back("get link " + name);
                auto i = index_of(name);
                if (!i) return ENODEV;
                queue(link_reply(h.nlmsg_seq, i));
                return 0;
            }
            if (h.nlmsg_type == RTM_DELLINK) {
                log.push_back("delete link " + std::to_string(ifi.ifi_index));
                if (!links.count(uint32_t(ifi.ifi_index))) return ENODEV;
                auto peer = links[uint32_t(ifi.ifi_index)].peer;
                remove_link(uint32_t(ifi.ifi_index));
                if (peer && links.count(peer)) remove_link(peer);
                return 0;
            }
            if (!(h.nlmsg_flags & NLM_F_CREATE)) {  // change an existing link
                auto it = links.find(uint32_t(ifi.ifi_index));
                if (it == links.end()) return ENODEV;
                std::string words = "set link " + it->second.name;
                if (ifi.ifi_change & IFF_UP) {
                    it->second.up = ifi.ifi_flags & IFF_UP;
                    words += " up";
                }
                if (auto mtu = a->u32(IFLA_MTU)) {
                    it->second.mtu = *mtu;
                    words += " mtu " + std::to_string(*mtu);
                }
                log.push_back(words);
                return 0;
            }
            // Create: IFLA_LINKINFO { IFLA_INFO_KIND "veth", IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, attrs } } }
            auto info = Attrs::of_payload(mnl_attr_get_payload(a->get(IFLA_LINKINFO)), mnl_attr_get_payload_len(a->get(IFLA_LINKINFO)));
            REQUIRE(info.ok());
            auto kind = info->bytes(IFLA_INFO_KIND);
            std::string k(reinterpret_cast<const char*>(kind.data()), kind.size());
            auto data = Attrs::of_payload(mnl_attr_get_payload(info->get(IFLA_INFO_DATA)), mnl_attr_get_payload_len(info->get(IFLA_INFO_DATA)));
            REQUIRE(data.ok());
            auto peer = data->get(VETH_INFO_PEER);
            REQUIRE(peer);
            ifinfomsg pifi;
            std::memcpy(&pifi, mnl_attr_get_payload(peer), sizeof pifi);
            auto pa = Attrs::of_payload(static_cast<const uint8_t*>(mnl_attr_get_payload(peer)) + sizeof pifi,
                                        mnl_attr_get_payload_len(peer) - sizeof pifi);
            REQUIRE(pa.ok());
            auto name = name_in(*a), peer_name = name_in(*pa);
            log.push_back("create " + k + " " + name + "/" + peer_name);
            if (k != "veth" || !has_veth) return why = "Unknown device type", EOPNOTSUPP;
            if (pifi.ifi_flags & IFF_UP) return ENOTCONN;  // veth_open() of the peer before the pair is joined
            if ((h.nlmsg_flags & NLM_F_EXCL) && (index_of(name) || index_of(peer_name))) return EEXIST;
            uint32_t mtu = a->u32(IFLA_MTU).value_or(1500);
            auto x = add_link({name, "veth", 0, false, (ifi.ifi_flags & IFF_UP) != 0, mtu, {}});
            auto y = add_link({peer_name, "veth", x, false, (pifi.ifi_flags & IFF_UP) != 0, pa->u32(IFLA_MTU).value_or(1500), {}});
            links[x].peer = y;
            return 0;
        }
        if (h.nlmsg_type == RTM_NEWNEIGH || h.nlmsg_type == RTM_GETNEIGH) {
            ndmsg nd;
            std::memcpy(&nd, msg.data() + NLMSG_HDRLEN, sizeof nd);
            auto a = Attrs::of_message(msg, sizeof nd);
            REQUIRE(a.ok());
            auto dst = decode_ipv4(a->bytes(NDA_DST));
            REQUIRE(dst.ok());
            std::pair<uint32_t, uint32_t> key{uint32_t(nd.ndm_ifindex), dst->to_uint()};
            if (h.nlmsg_type == RTM_GETNEIGH) {
                log.push_back("get neighbour " + dst->to_string());
                auto it = neighbours.find(key);
                if (it == neighbours.end()) return ENOENT;
                queue(neighbour_reply(h.nlmsg_seq, key, it->second));
                return 0;
            }
            if (!links.count(key.first)) return ENODEV;
            Neigh n;
            std::memcpy(n.mac.data(), a->bytes(NDA_LLADDR).data(), 6);
            n.state = nd.ndm_state;
            neighbours[key] = n;
            log.push_back("set neighbour " + dst->to_string() + " " + to_string(n.mac) +
                          ((h.nlmsg_flags & NLM_F_REPLACE) ? " replace" : ""));
            return 0;
        }
        return EOPNOTSUPP;
    }

    static void set_seq(std::vector<uint8_t>& m, uint32_t seq) { std::memcpy(m.data() + 8, &seq, 4); }

    std::vector<uint8_t> link_reply(uint32_t seq, uint32_t i) {
        const Link& l = links[i];
        std::vector<uint8_t> out;
        MessageBuilder m(out, RTM_NEWLINK, 0);
        ifinfomsg h{};
        h.ifi_index = int(i);
        h.ifi_flags = l.up ? IFF_UP : 0;
        m.header(h);
        m.attr(IFLA_IFNAME, l.name.c_str(), l.name.size() + 1);
        m.attr_u32(IFLA_MTU, l.mtu);
        m.attr(IFLA_ADDRESS, l.mac.data(), 6);
        if (l.peer) m.attr_u32(IFLA_LINK, l.peer);
        if (l.peer_elsewhere) m.attr_u32(IFLA_LINK_NETNSID, 0);
        if (!l.kind.empty()) {
            auto info = m.begin_nest(IFLA_LINKINFO);
            m.attr(IFLA_INFO_KIND, l.kind.c_str(), l.kind.size());
            m.end_nest(info);
        }
        m.finish();
        set_seq(out, seq);
        return out;
    }

    std::vector<uint8_t> neighbour_reply(uint32_t seq, std::pair<uint32_t, uint32_t> key, const Neigh& n) {
        std::vector<uint8_t> out;
        MessageBuilder m(out, RTM_NEWNEIGH, 0);
        ndmsg h{};
        h.ndm_family = AF_INET;
        h.ndm_ifindex = int(key.first);
        h.ndm_state = n.state;
        m.header(h);
        auto a = Ipv4Address::from_uint(key.second);
        m.attr(NDA_DST, a.bytes().data(), 4);
        m.attr(NDA_LLADDR, n.mac.data(), 6);
        m.finish();
        set_seq(out, seq);
        return out;
    }

    static std::vector<uint8_t> error_reply(uint32_t seq, int code, const std::string& extack) {
        std::vector<uint8_t> out;
        MessageBuilder m(out, NLMSG_ERROR, NLM_F_CAPPED | (extack.empty() ? 0 : NLM_F_ACK_TLVS));
        nlmsgerr e{};
        e.error = -code;
        e.msg.nlmsg_seq = seq;
        m.header(e);
        if (!extack.empty()) m.attr(NLMSGERR_ATTR_MSG, extack.c_str(), extack.size() + 1);
        m.finish();
        set_seq(out, seq);
        return out;
    }

    void queue(std::vector<uint8_t> m) {
        replies_.push_back(std::move(m));
        uint64_t one = 1;
        (void)write(efd_, &one, sizeof one);
    }

    int efd_;
    uint32_t next_ = 10;
    std::deque<std::vector<uint8_t>> replies_;
};

struct Rig {
    boost::asio::io_context io;
    FakeLinks* fake;
    std::unique_ptr<Transport> t;
    RecirculationOptions options;
    Rig() {
        auto f = std::make_unique<FakeLinks>();
        fake = f.get();
        t = Transport::over(io, std::move(f));
        options.read = [f = fake](const std::string& p) -> std::optional<std::string> {
            auto it = f->files.find(p);
            if (it == f->files.end()) return std::nullopt;
            return it->second;
        };
        options.write = [f = fake](const std::string& p, const std::string& v) -> Status<std::string> {
            auto it = f->files.find(p);
            if (it == f->files.end()) return err(std::string("No such file or directory"));
            it->second = v;
            f->log.push_back("write " + p + " = " + v);
            return ok_unit;
        };
    }
    Result<RecirculationPort, std::string> ensure() { return Recirculation::ensure(*t, options); }
    std::vector<std::string> changes_since(std::size_t from) const {
        std::vector<std::string> out;
        for (std::size_t i = from; i < fake->log.size(); ++i)
            if (fake->log[i].rfind("get ", 0) != 0) out.push_back(fake->log[i]);
        return out;
    }
};

const auto kGateway = Ipv4Address::from_uint(0xa9fe4d02);

}  // namespace

TEST_CASE("recirculation: ensure creates the pair up, with MPLS input and a permanent neighbour", "[netlink]") {
    Rig r;
    auto port = r.ensure();
    REQUIRE(port.ok());
    auto out = r.fake->index_of("isth-rc0"), in = r.fake->index_of("isth-rc1");
    REQUIRE(out != 0);
    REQUIRE(in != 0);
    CHECK(port->ifindex_out == out);
    CHECK(port->ifindex_in == in);
    CHECK(port->out_name == "isth-rc0");
    CHECK(port->in_name == "isth-rc1");
    CHECK(port->gateway6().to_string() == "::ffff:169.254.77.2");
    CHECK(port->in_mac == r.fake->links[in].mac);
    CHECK(r.fake->links[out].peer == in);
    CHECK(r.fake->links[in].peer == out);
    CHECK(r.fake->links[out].up);
    CHECK(r.fake->links[in].up);
    CHECK(r.fake->files["/proc/sys/net/mpls/conf/isth-rc1/input"] == "1");
    auto& nb = r.fake->neighbours[{out, kGateway.to_uint()}];
    CHECK(nb.state == NUD_PERMANENT);
    CHECK(nb.mac == r.fake->links[in].mac);
    CHECK(r.changes_since(0) == std::vector<std::string>{
                                    "create veth isth-rc0/isth-rc1",
                                    "set link isth-rc1 up",
                                    "write /proc/sys/net/mpls/conf/isth-rc1/input = 1",
                                    "set neighbour 169.254.77.2 02:00:00:00:00:0b replace",
                                });
    CHECK(port->changes == std::vector<std::string>{
                               "created veth isth-rc0/isth-rc1",
                               "set isth-rc1 up",
                               "wrote /proc/sys/net/mpls/conf/isth-rc1/input = 1",
                               "neighbour 169.254.77.2 on isth-rc0 = 02:00:00:00:00:0b permanent",
                           });

    // What a route into the port uses: a 6PE object via the far end, onlink, [local label, BGP label].
    auto nh = port->nexthop(NexthopId{7}, LabelStack{MplsLabel::checked(1000), MplsLabel::ipv6_explicit_null()});
    CHECK(nh.gateway == Ipv6Address::v4_mapped(kGateway));
    CHECK(nh.ifindex == out);
    CHECK(nh.onlink);
    CHECK(nh.labels.to_string() == "1000/2");
    CHECK(port->uses(in));
    CHECK_FALSE(port->uses(0));
}

TEST_CASE("recirculation: a second ensure adopts the port without changing anything", "[netlink]") {
    Rig r;
    auto first = r.ensure();
    REQUIRE(first.ok());
    auto mark = r.fake->log.size();
    auto again = r.ensure();
    REQUIRE(again.ok());
    CHECK(again->changes.empty());
    CHECK(r.changes_since(mark).empty());
    CHECK(again->ifindex_out == first->ifindex_out);
    CHECK(again->ifindex_in == first->ifindex_in);
    CHECK(Recirculation::check(*r.t, r.options).ok());
}

TEST_CASE("recirculation: what an admin changed is repaired in place", "[netlink]") {
    Rig r;
    REQUIRE(r.ensure().ok());
    auto out = r.fake->index_of("isth-rc0"), in = r.fake->index_of("isth-rc1");
    r.fake->links[in].up = false;
    r.fake->files["/proc/sys/net/mpls/conf/isth-rc1/input"] = "0";
    r.fake->files["/proc/sys/net/ipv6/conf/isth-rc0/disable_ipv6"] = "1";
    r.fake->neighbours[{out, kGateway.to_uint()}] = {MacAddress{2, 0, 0, 0, 0, 0x99}, NUD_PERMANENT};

    auto c = Recirculation::check(*r.t, r.options);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error() == "recirculation port needs repair: isth-rc1 is down; net.mpls.conf.isth-rc1.input is 0, not 1; "
                       "IPv6 is disabled on isth-rc0; neighbour 169.254.77.2 on isth-rc0 is 02:00:00:00:00:99, not "
                       "isth-rc1's address");

    auto mark = r.fake->log.size();
    auto port = r.ensure();
    REQUIRE(port.ok());
    CHECK(r.changes_since(mark) == std::vector<std::string>{
                                       "set link isth-rc1 up",
                                       "write /proc/sys/net/mpls/conf/isth-rc1/input = 1",
                                       "write /proc/sys/net/ipv6/conf/isth-rc0/disable_ipv6 = 0",
                                       "set neighbour 169.254.77.2 02:00:00:00:00:0b replace",
                                   });
    CHECK(port->ifindex_out == out);  // not recreated: the routes on it survive
    CHECK(Recirculation::check(*r.t, r.options).ok());

    SECTION("a neighbour entry that is not permanent is replaced by one that is") {
        r.fake->neighbours[{out, kGateway.to_uint()}].state = NUD_STALE;
        CHECK(Recirculation::check(*r.t, r.options).error() ==
              "recirculation port needs repair: neighbour 169.254.77.2 on isth-rc0 is not permanent");
        REQUIRE(r.ensure().ok());
        CHECK(r.fake->neighbours[{out, kGateway.to_uint()}].state == NUD_PERMANENT);
    }
    SECTION("the configured MTU is set on both ends") {
        r.options.mtu = 1400;
        auto p = r.ensure();
        REQUIRE(p.ok());
        CHECK(p->mtu == 1400);
        CHECK(r.fake->links[out].mtu == 1400);
        CHECK(r.fake->links[in].mtu == 1400);
    }
}

TEST_CASE("recirculation: a missing or foreign-peered end is recreated", "[netlink]") {
    Rig r;
    SECTION("the pair deleted by an admin") {
        REQUIRE(r.ensure().ok());
        auto old = r.fake->index_of("isth-rc0");
        r.fake->links.clear();
        CHECK(Recirculation::check(*r.t, r.options).error() ==
              "recirculation port needs repair: isth-rc0 is missing; isth-rc1 is missing");
        auto port = r.ensure();
        REQUIRE(port.ok());
        CHECK(port->ifindex_out != old);
        CHECK(port->changes.front() == "created veth isth-rc0/isth-rc1");
    }
    SECTION("isth-rc0 is a veth whose peer is in another namespace") {
        r.fake->add_link({"isth-rc0", "veth", 99, true, true, 1500, {}});
        auto mark = r.fake->log.size();
        auto port = r.ensure();
        REQUIRE(port.ok());
        auto done = r.changes_since(mark);
        REQUIRE(done.size() >= 2);
        CHECK(done[0] == "delete link 10");
        CHECK(done[1] == "create veth isth-rc0/isth-rc1");
        CHECK(port->changes.front() == "deleted isth-rc0 (not paired with isth-rc1)");
    }
    SECTION("two veths with our names that are not each other's peer") {
        auto a = r.fake->add_link({"isth-rc0", "veth", 0, false, true, 1500, {}});
        r.fake->add_link({"isth-rc1", "veth", a, false, true, 1500, {}});  // rc1 -> rc0, but rc0 -> nothing
        CHECK(Recirculation::check(*r.t, r.options).error() ==
              "recirculation port needs repair: isth-rc0 and isth-rc1 are not each other's peer");
        REQUIRE(r.ensure().ok());
        auto out = r.fake->index_of("isth-rc0"), in = r.fake->index_of("isth-rc1");
        CHECK(r.fake->links[out].peer == in);
    }
}

TEST_CASE("recirculation: a link of another kind with our name is never deleted", "[netlink]") {
    Rig r;
    r.fake->add_link({"isth-rc1", "dummy", 0, false, true, 1500, {}});
    auto port = r.ensure();
    REQUIRE_FALSE(port.ok());
    CHECK(port.error() ==
          "recirculation port: interface isth-rc1 exists and is not a veth (dummy); remove it or choose another name prefix");
    CHECK(r.fake->count("delete") == 0);
    CHECK(r.fake->index_of("isth-rc1") != 0);
    CHECK(Recirculation::check(*r.t, r.options).error() ==
          "recirculation port needs repair: isth-rc0 is missing; isth-rc1 is a dummy, not a veth");
    REQUIRE(Recirculation::remove(*r.t, r.options).ok());
    CHECK(r.fake->index_of("isth-rc1") != 0);
}

TEST_CASE("recirculation: kernels without veth or MPLS, and bad prefixes, get errors naming the fix", "[netlink]") {
    Rig r;
    SECTION("no veth driver") {
        r.fake->has_veth = false;
        auto port = r.ensure();
        REQUIRE_FALSE(port.ok());
        CHECK(port.error() == "recirculation port: this kernel has no veth driver (modprobe veth; CONFIG_VETH): "
                              "Operation not supported (kernel: Unknown device type)");
    }
    SECTION("no MPLS: nothing is sent") {
        r.fake->files.erase(kPlatform);
        auto port = r.ensure();
        REQUIRE_FALSE(port.ok());
        CHECK(port.error() == "recirculation port: this kernel has no MPLS forwarding (no net.mpls.platform_labels): "
                              "modprobe mpls_router mpls_iptunnel");
        CHECK(r.fake->log.empty());
        CHECK_FALSE(Recirculation::check(*r.t, r.options).ok());
    }
    SECTION("MPLS loaded but the link has no net.mpls.conf entry") {
        REQUIRE(r.ensure().ok());
        r.fake->files.erase("/proc/sys/net/mpls/conf/isth-rc1/input");
        auto port = r.ensure();
        REQUIRE_FALSE(port.ok());
        CHECK(port.error() ==
              "recirculation port: no net.mpls.conf.isth-rc1: MPLS input cannot be enabled on it (modprobe mpls_router)");
    }
    SECTION("a prefix that cannot name two links") {
        for (std::string p : {"", "a/b", "with space", "fifteen-chars-x", "dot.ted"}) {
            r.options.name_prefix = p;
            auto port = r.ensure();
            REQUIRE_FALSE(port.ok());
            CHECK(port.error().find("is not usable") != std::string::npos);
        }
        CHECK(r.fake->log.empty());
    }
}

TEST_CASE("recirculation: remove deletes the pair, and is a no-op when it is gone", "[netlink]") {
    Rig r;
    REQUIRE(r.ensure().ok());
    REQUIRE(Recirculation::remove(*r.t, r.options).ok());
    CHECK(r.fake->links.empty());
    CHECK(r.fake->neighbours.empty());
    CHECK(r.fake->count("delete link") == 1);  // the second end went with the first
    REQUIRE(Recirculation::remove(*r.t, r.options).ok());
    CHECK(r.fake->count("delete link") == 1);
}

TEST_CASE("recirculation: request bytes", "[netlink]") {
    auto nb = permanent_neighbour_request(5, kGateway, MacAddress{2, 0, 0, 0, 0, 1});
    CHECK(to_hex(nb) == to_hex(hex("30000000 1c00 0505 00000000 00000000"  // RTM_NEWNEIGH, REQUEST|ACK|REPLACE|CREATE
                                   "02000000 05000000 8000 00 00"          // AF_INET, ifindex 5, NUD_PERMANENT
                                   "0800 0100 a9fe4d02"                    // NDA_DST 169.254.77.2
                                   "0a00 0200 020000000001 0000")));       // NDA_LLADDR
    auto get = get_link_request("isth-rc0");
    CHECK(to_hex(get) == to_hex(hex("30000000 1200 0500 00000000 00000000"  // RTM_GETLINK, REQUEST|ACK
                                    "00 00 0000 00000000 00000000 00000000" // ifinfomsg: any index
                                    "0d00 0300 697374682d72633000 000000"))); // IFLA_IFNAME "isth-rc0\0"
    auto veth = new_veth_request("a0", "a1", 0);
    auto decoded = Attrs::of_message(veth, sizeof(ifinfomsg));
    REQUIRE(decoded.ok());
    CHECK(decoded->has(IFLA_LINKINFO));
    nlmsghdr h;
    std::memcpy(&h, veth.data(), sizeof h);
    CHECK(h.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
}
