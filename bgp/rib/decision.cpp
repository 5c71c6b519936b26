#include "bgp/rib/decision.hpp"

#include <algorithm>
#include <functional>

namespace isthmus::bgp::rib {

namespace {

// <0 when x < y: "lower is better" for numbers.
template <class T>
int lower(const T& x, const T& y) {
    return x < y ? -1 : (y < x ? 1 : 0);
}

uint32_t local_pref(const Candidate& c) { return c.attrs->local_pref.value_or(kDefaultLocalPref); }
std::size_t path_length(const Candidate& c) { return c.attrs->as_path ? c.attrs->as_path->length() : 0; }

}  // namespace

int compare_next_hop_usable(const Candidate& a, const Candidate& b) {
    return lower(!a.next_hop_usable, !b.next_hop_usable);
}
int compare_local_origin(const Candidate& a, const Candidate& b) { return lower(!a.local, !b.local); }
int compare_local_pref(const Candidate& a, const Candidate& b) { return lower(local_pref(b), local_pref(a)); }
int compare_as_path_length(const Candidate& a, const Candidate& b) { return lower(path_length(a), path_length(b)); }
int compare_origin(const Candidate& a, const Candidate& b) {
    // A missing ORIGIN (only possible for our own routes) counts as IGP.
    return lower(uint8_t(a.attrs->origin.value_or(Origin::Igp)), uint8_t(b.attrs->origin.value_or(Origin::Igp)));
}
int compare_med(const Candidate& a, const Candidate& b, bool always_compare_med) {
    if (!always_compare_med && a.neighbor_as != b.neighbor_as) return 0;
    return lower(a.attrs->med.value_or(0), b.attrs->med.value_or(0));
}
int compare_ebgp_over_ibgp(const Candidate& a, const Candidate& b) { return lower(!a.from_ebgp, !b.from_ebgp); }
int compare_igp_cost(const Candidate& a, const Candidate& b) { return lower(a.igp_cost, b.igp_cost); }
int compare_router_id(const Candidate& a, const Candidate& b) { return lower(a.router_id, b.router_id); }
int compare_cluster_list_length(const Candidate& a, const Candidate& b) {
    return lower(a.attrs->cluster_list.size(), b.attrs->cluster_list.size());
}
int compare_peer_address(const Candidate& a, const Candidate& b) { return lower(a.peer_address, b.peer_address); }

namespace {

using Step = std::function<int(const Candidate&, const Candidate&)>;

// Keeps the candidates no other remaining candidate beats at this step.
void eliminate(std::span<const Candidate> c, std::vector<std::size_t>& set, const Step& step) {
    std::vector<std::size_t> kept;
    for (auto i : set) {
        bool beaten = std::any_of(set.begin(), set.end(), [&](std::size_t j) { return step(c[j], c[i]) < 0; });
        if (!beaten) kept.push_back(i);
    }
    set = std::move(kept);
}

}  // namespace

std::vector<std::size_t> select(std::span<const Candidate> c, const DecisionOptions& opt) {
    std::vector<std::size_t> set;
    for (std::size_t i = 0; i < c.size(); ++i)
        if (c[i].next_hop_usable) set.push_back(i);
    const Step up_to_igp[] = {
        compare_local_origin, compare_local_pref, compare_as_path_length, compare_origin,
        [&](const Candidate& a, const Candidate& b) { return compare_med(a, b, opt.always_compare_med); },
        compare_ebgp_over_ibgp, compare_igp_cost,
    };
    for (const auto& step : up_to_igp) eliminate(c, set, step);
    // The rest only orders the multipath set; these three steps form a total order.
    std::sort(set.begin(), set.end(), [&](std::size_t x, std::size_t y) {
        if (int r = compare_router_id(c[x], c[y])) return r < 0;
        if (int r = compare_cluster_list_length(c[x], c[y])) return r < 0;
        if (int r = compare_peer_address(c[x], c[y])) return r < 0;
        return x < y;
    });
    if (set.size() > std::max<std::size_t>(opt.max_paths, 1)) set.resize(std::max<std::size_t>(opt.max_paths, 1));
    return set;
}

}  // namespace isthmus::bgp::rib
