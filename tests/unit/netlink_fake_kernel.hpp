#pragma once
// A kernel for the desired-state layer's tests: it applies our batches to tables of its own with
// the real kernel's rules (an add of an existing entry fails, a route needs its nexthop id, a group
// its members, an object a link that is up; deleting an object deletes the routes using it and
// takes it out of groups; an IPv6 delete names the protocol), logs every request as text, and can
// be told to refuse requests or lose replies. Replies come later, on the io_context, as they would.
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "netlink/dump.hpp"
#include "netlink/errors.hpp"
#include "netlink/fib_kernel.hpp"

namespace isthmus::netlink::test {

class FakeKernel final : public FibKernel {
public:
    struct Route {
        uint32_t nhid = 0;
        uint8_t protocol = 205;
        uint32_t metric = kDefaultMetric;
        uint32_t table = kMainTable;
    };
    struct Object {
        NexthopEntry entry;
        uint8_t protocol = 205;
    };

    explicit FakeKernel(boost::asio::io_context& io) : io_(io) {}

    std::map<Ipv6Prefix, Route> routes;
    std::map<uint32_t, Object> objects;  // objects and groups
    std::map<uint32_t, MplsRoute> mpls;
    std::set<uint32_t> down_links;
    std::vector<std::string> log;  // every request, as describe_request() words it
    std::vector<std::size_t> batch_sizes;
    std::size_t state_reads = 0;
    // Refuse requests whose text starts with this, this many times (then accept).
    std::map<std::string, int> refuse;
    bool lose_replies_once = false;
    bool keep_log = true;  // off for the memory test: the log would be most of what is measured

    Batch batch() const override { return Batch(205); }

    void apply(Batch b, std::function<void(BatchReport)> done) override {
        BatchReport report;
        report.requests = b.size();
        report.failures = b.invalid();
        batch_sizes.push_back(b.size());
        for (std::size_t i = 0; i < b.size(); ++i) {
            auto req = b.request(i);
            std::string text = keep_log || !refuse.empty() ? describe_request(req) : std::string();
            if (keep_log) log.push_back(text);
            int code = 0;
            std::string why;
            for (auto& [prefix, times] : refuse)
                if (times > 0 && text.rfind(prefix, 0) == 0) {
                    --times;
                    code = EINVAL;
                    why = "fake: refused";
                }
            if (!code) code = execute(req, why);
            if (code) report.failures.push_back({describe_request(req), code, why, false, i});
        }
        if (lose_replies_once) {
            lose_replies_once = false;
            report.failures.clear();
            report.transport_error = "kernel replies lost (receive buffer overflow): re-read the kernel's state";
        }
        boost::asio::post(io_, [done = std::move(done), report = std::move(report)]() mutable { done(std::move(report)); });
    }

    void read_state(std::function<void(Result<KernelState, std::string>)> done) override {
        ++state_reads;
        KernelState s;
        for (const auto& [id, o] : objects) {
            if (o.protocol != 205) continue;
            if (auto* nh = std::get_if<NexthopObject>(&o.entry)) s.nexthops.push_back(*nh);
            else s.groups.push_back(std::get<NexthopGroup>(o.entry));
        }
        for (const auto& [p, r] : routes)
            if (r.protocol == 205) s.routes6.push_back(Ipv6Route{p, NexthopId{r.nhid}, r.metric, r.table});
        for (const auto& [l, m] : mpls) s.mpls_routes.push_back(m);
        boost::asio::post(io_, [done = std::move(done), s = std::move(s)]() mutable { done(std::move(s)); });
    }

    // What a link going down does in the kernel: its objects vanish, silently, with their routes.
    void link_down(uint32_t ifindex) {
        down_links.insert(ifindex);
        std::vector<uint32_t> gone;
        for (const auto& [id, o] : objects)
            if (auto* nh = std::get_if<NexthopObject>(&o.entry); nh && nh->ifindex == ifindex) gone.push_back(id);
        for (auto id : gone) remove_object(id);
    }

    std::size_t routes_on(uint32_t nhid) const {
        std::size_t n = 0;
        for (const auto& [p, r] : routes) n += r.nhid == nhid;
        return n;
    }
    const NexthopObject* object(uint32_t id) const {
        auto it = objects.find(id);
        return it == objects.end() ? nullptr : std::get_if<NexthopObject>(&it->second.entry);
    }
    const NexthopGroup* group(uint32_t id) const {
        auto it = objects.find(id);
        return it == objects.end() ? nullptr : std::get_if<NexthopGroup>(&it->second.entry);
    }
    std::size_t count(const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& l : log) n += l.rfind(prefix, 0) == 0;
        return n;
    }

    void remove_object(uint32_t id) {
        objects.erase(id);
        for (auto it = routes.begin(); it != routes.end();)
            it = it->second.nhid == id ? routes.erase(it) : std::next(it);
        std::vector<uint32_t> emptied;
        for (auto& [gid, o] : objects)
            if (auto* g = std::get_if<NexthopGroup>(&o.entry)) {
                std::erase_if(g->members, [&](const GroupMember& m) { return m.id.value == id; });
                if (g->members.empty()) emptied.push_back(gid);
            }
        for (auto gid : emptied) remove_object(gid);
    }

private:
    int execute(std::span<const uint8_t> req, std::string& why) {
        nlmsghdr h;
        std::memcpy(&h, req.data(), sizeof h);
        const bool excl = h.nlmsg_flags & NLM_F_EXCL;
        if (h.nlmsg_type == RTM_NEWNEXTHOP || h.nlmsg_type == RTM_DELNEXTHOP) {
            auto d = decode_nexthop(req);
            if (!d) return why = d.error(), EINVAL;
            uint32_t id = std::visit([](auto& v) { return v.id.value; }, d->value);
            if (h.nlmsg_type == RTM_DELNEXTHOP) {
                if (!objects.count(id)) return ENOENT;
                remove_object(id);
                return 0;
            }
            if (excl && objects.count(id)) return EEXIST;
            if (auto* g = std::get_if<NexthopGroup>(&d->value)) {
                for (auto& m : g->members)
                    if (!object(m.id.value)) return why = "Invalid nexthop id", EINVAL;
            } else if (down_links.count(std::get<NexthopObject>(d->value).ifindex)) {
                return why = "Nexthop device is not up", ENETDOWN;
            }
            objects[id] = Object{d->value, d->protocol};
            return 0;
        }
        auto kind = peek(req);
        if (kind->family == AF_MPLS) {
            auto r = decode_mpls_route(req);
            if (!r) return why = r.error(), EINVAL;
            auto label = r->value.in_label.value();
            if (h.nlmsg_type == RTM_DELROUTE) return mpls.erase(label) ? 0 : ENOENT;
            if (excl && mpls.count(label)) return EEXIST;
            mpls[label] = r->value;
            return 0;
        }
        auto r = decode_route6(req);
        if (!r) return why = r.error(), EINVAL;
        auto it = routes.find(r->value.prefix);
        if (h.nlmsg_type == RTM_DELROUTE) {
            if (it == routes.end() || it->second.protocol != r->protocol) return ESRCH;
            routes.erase(it);
            return 0;
        }
        if (excl && it != routes.end()) return EEXIST;
        if (!objects.count(r->value.nhid.value)) return why = "Nexthop id does not exist", EINVAL;
        routes[r->value.prefix] = Route{r->value.nhid.value, r->protocol, r->value.metric, r->value.table};
        return 0;
    }

    boost::asio::io_context& io_;
};

}  // namespace isthmus::netlink::test
