#include "bgp/policy/policy.hpp"

#include <algorithm>

namespace isthmus::bgp::policy {

namespace {
template <class Prefix>
bool family_matches(const config::PrefixMatch& m, const Prefix& p) {
    // An entry of the other family never matches (docs/config.md).
    const auto* same = std::get_if<Prefix>(&m.prefix);
    if (!same) return false;
    return same->contains(p) && p.length() >= m.ge && p.length() <= m.le;
}
}  // namespace

bool prefix_matches(const config::PrefixMatch& m, const Ipv6Prefix& p) { return family_matches(m, p); }
bool prefix_matches(const config::PrefixMatch& m, const Ipv4Prefix& p) { return family_matches(m, p); }

std::optional<Asn> origin_as(const AsPath& path) {
    if (path.segments.empty()) return std::nullopt;
    const auto& last = path.segments.back();
    if (last.type != AsPathSegment::Type::Sequence || last.asns.empty()) return std::nullopt;
    return last.asns.back();
}

namespace {

bool any_prefix(const std::vector<config::PrefixMatch>& list, const Ipv6Prefix& p) {
    return std::any_of(list.begin(), list.end(), [&](const auto& m) { return prefix_matches(m, p); });
}

bool path_contains(const std::optional<AsPath>& path, Asn asn) {
    if (!path) return false;
    for (const auto& seg : path->segments)
        if (std::find(seg.asns.begin(), seg.asns.end(), asn) != seg.asns.end()) return true;
    return false;
}

}  // namespace

bool matches(const config::PolicyMatch& m, const RouteFacts& route, const PathAttributes& attrs,
             const Environment& env) {
    if (!m.prefixes.empty() && !any_prefix(m.prefixes, route.prefix)) return false;
    if (m.prefix_list) {
        // Config validation guarantees the name exists; a missing list matches nothing.
        if (!env.prefix_lists) return false;
        auto it = env.prefix_lists->find(*m.prefix_list);
        if (it == env.prefix_lists->end() || !any_prefix(it->second, route.prefix)) return false;
    }
    if (!m.protocols.empty() &&
        std::find(m.protocols.begin(), m.protocols.end(), route.source) == m.protocols.end())
        return false;
    if (!m.neighbors.empty() &&
        (!route.neighbor || std::find(m.neighbors.begin(), m.neighbors.end(), *route.neighbor) == m.neighbors.end()))
        return false;
    if (!m.communities.empty() &&
        std::none_of(m.communities.begin(), m.communities.end(), [&](const config::Community& c) {
            return std::find(attrs.communities.begin(), attrs.communities.end(), Community{c.value}) !=
                   attrs.communities.end();
        }))
        return false;
    if (!m.large_communities.empty() &&
        std::none_of(m.large_communities.begin(), m.large_communities.end(), [&](const config::LargeCommunity& c) {
            return std::find(attrs.large_communities.begin(), attrs.large_communities.end(),
                             LargeCommunity{c.global_admin, c.local1, c.local2}) != attrs.large_communities.end();
        }))
        return false;
    if (!m.as_path_contains.empty() &&
        std::none_of(m.as_path_contains.begin(), m.as_path_contains.end(),
                     [&](Asn a) { return path_contains(attrs.as_path, a); }))
        return false;
    if (!m.origin_as.empty()) {
        auto o = attrs.as_path ? origin_as(*attrs.as_path) : std::nullopt;
        if (!o || std::find(m.origin_as.begin(), m.origin_as.end(), *o) == m.origin_as.end()) return false;
    }
    return true;
}

void apply_set(const config::PolicySet& s, Direction dir, const Environment& env, PathAttributes& attrs) {
    if (s.local_preference) attrs.local_pref = *s.local_preference;
    if (s.med) attrs.med = *s.med;
    for (auto c : s.remove_communities)
        std::erase(attrs.communities, Community{c.value});
    for (auto c : s.add_communities)
        if (std::find(attrs.communities.begin(), attrs.communities.end(), Community{c.value}) ==
            attrs.communities.end())
            attrs.communities.push_back(Community{c.value});
    for (auto c : s.remove_large_communities)
        std::erase(attrs.large_communities, LargeCommunity{c.global_admin, c.local1, c.local2});
    for (auto c : s.add_large_communities) {
        LargeCommunity lc{c.global_admin, c.local1, c.local2};
        if (std::find(attrs.large_communities.begin(), attrs.large_communities.end(), lc) ==
            attrs.large_communities.end())
            attrs.large_communities.push_back(lc);
    }
    if (s.prepend > 0 && dir == Direction::export_) {
        if (!attrs.as_path) attrs.as_path = AsPath{};
        auto& segs = attrs.as_path->segments;
        if (segs.empty() || segs.front().type != AsPathSegment::Type::Sequence)
            segs.insert(segs.begin(), AsPathSegment{AsPathSegment::Type::Sequence, {}});
        auto& front = segs.front().asns;
        front.insert(front.begin(), std::size_t(s.prepend), env.local_as);
    }
}

Outcome evaluate(const config::Policy& policy, Direction dir, const RouteFacts& route, PathAttributes attrs,
                 const Environment& env) {
    for (const auto& term : policy.terms) {
        if (!matches(term.match, route, attrs, env)) continue;
        if (term.action == config::TermAction::reject) return {false, std::move(attrs), term.name};
        apply_set(term.set, dir, env, attrs);
        if (term.action == config::TermAction::accept) return {true, std::move(attrs), term.name};
    }
    return {policy.default_action == config::TermAction::accept, std::move(attrs), "default-action"};
}

}  // namespace isthmus::bgp::policy
