#pragma once
// Adj-RIB-Out of one update group and family: what was last sent per prefix, and the changes
// since the last flush, packed into UPDATEs once for every member of the group (issue 6 item 2).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "bgp/codec/family.hpp"
#include "bgp/codec/next_hop.hpp"
#include "bgp/codec/packing.hpp"
#include "bgp/rib/types.hpp"
#include "lib/mpls_label.hpp"
#include "lib/prefix.hpp"

namespace isthmus::bgp::rib {

struct OutRoute {
    Attrs attrs;  // interned: equal sets are the same pointer
    NextHop next_hop;
    LabelStack labels;
    bool operator==(const OutRoute& o) const {
        return attrs == o.attrs && next_hop == o.next_hop && labels == o.labels;
    }
};

class AdjRibOut {
public:
    explicit AdjRibOut(Family f) : family_(f) {}

    // What the group should now advertise for p (nullopt: nothing); recorded as a change when it differs.
    void set(const Ipv6Prefix& p, std::optional<OutRoute> r);
    // The same without recording a change: the initial state of a new group.
    void load(const Ipv6Prefix& p, OutRoute r) { routes_.insert_or_assign(p, std::move(r)); }
    bool has_changes() const { return !changed_.empty(); }
    void clear() {
        routes_.clear();
        changed_.clear();
        withdrawn_.clear();
    }

    // The changes since the last call, withdrawals first, then announcements packed by
    // attribute set and next hop. Clears the change set.
    Messages take_changes(const Context& ctx);
    // The whole table as announcements (a new member, or a ROUTE-REFRESH).
    Messages full_table(const Context& ctx) const;
    // End-of-RIB marker of this family (RFC 4724 2).
    std::vector<uint8_t> end_of_rib(const Context& ctx) const;

    std::size_t size() const { return routes_.size(); }
    const OutRoute* find(const Ipv6Prefix& p) const;
    Family family() const { return family_; }

private:
    Messages announce(const std::vector<std::pair<Ipv6Prefix, const OutRoute*>>& routes, const Context& ctx) const;

    Family family_;
    std::map<Ipv6Prefix, OutRoute> routes_;
    std::set<Ipv6Prefix> changed_;     // announced or withdrawn since the last take
    std::set<Ipv6Prefix> withdrawn_;   // of changed_, those to withdraw
};

}  // namespace isthmus::bgp::rib
