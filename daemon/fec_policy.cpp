#include "daemon/fec_policy.hpp"

#include <algorithm>

#include "bgp/policy/policy.hpp"

namespace isthmus::daemon {

namespace {

bool only_prefix_conditions(const config::PolicyMatch& m) {
    return m.protocols.empty() && m.neighbors.empty() && m.communities.empty() && m.large_communities.empty() &&
           m.as_path_contains.empty() && m.origin_as.empty();
}

using PrefixLists = std::map<std::string, config::PrefixList, std::less<>>;

bool term_matches(const config::PolicyMatch& m, const PrefixLists& lists, const Ipv4Prefix& p) {
    if (!only_prefix_conditions(m)) return false;
    auto any = [&](const std::vector<config::PrefixMatch>& list) {
        return std::any_of(list.begin(), list.end(), [&](const auto& e) { return bgp::policy::prefix_matches(e, p); });
    };
    if (!m.prefixes.empty() && !any(m.prefixes)) return false;
    if (m.prefix_list) {
        auto it = lists.find(*m.prefix_list);
        if (it == lists.end() || !any(it->second)) return false;
    }
    return true;
}

}  // namespace

std::function<bool(const Ipv4Prefix&)> fec_filter(const config::Config& cfg, std::vector<std::string>& warnings) {
    if (!cfg.ldp || !cfg.ldp->fec_policy) return {};
    auto it = cfg.policies.find(*cfg.ldp->fec_policy);
    if (it == cfg.policies.end()) return {};  // the config validation refuses this
    for (const auto& t : it->second.terms)
        if (!only_prefix_conditions(t.match))
            warnings.push_back("ldp: fec-policy \"" + *cfg.ldp->fec_policy + "\" term \"" + t.name +
                               "\" tests more than the prefix and never matches a kernel route");
    // The snapshot is kept whole: the filter outlives the config reference it was built from.
    auto policy = it->second;
    auto lists = cfg.prefix_lists;
    return [policy = std::move(policy), lists = std::move(lists)](const Ipv4Prefix& p) {
        for (const auto& t : policy.terms) {
            if (!term_matches(t.match, lists, p)) continue;
            if (t.action == config::TermAction::accept) return true;
            if (t.action == config::TermAction::reject) return false;
        }
        return policy.default_action == config::TermAction::accept;
    };
}

}  // namespace isthmus::daemon
