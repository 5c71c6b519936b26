#pragma once
// Evaluation of config::Policy (docs/config.md "prefix-lists and policies") on one BGP route.
// Pure: a policy, a route and its attributes in; accept/reject and the modified attributes out.
#include <map>
#include <optional>
#include <string>

#include "bgp/codec/attributes.hpp"
#include "lib/asn.hpp"
#include "lib/config/types.hpp"
#include "lib/ip_address.hpp"
#include "lib/prefix.hpp"

namespace isthmus::bgp::policy {

// Where a policy is applied: prepend only acts on export (docs/config.md).
enum class Direction { import, export_ };

// What a policy may look at besides the attributes.
struct RouteFacts {
    Ipv6Prefix prefix;
    config::RouteSource source = config::RouteSource::bgp;
    std::optional<IpAddress> neighbor;  // the BGP peer the route came from; none for local routes
};

// Named prefix lists and the local AS (for prepend).
struct Environment {
    const std::map<std::string, config::PrefixList, std::less<>>* prefix_lists = nullptr;
    Asn local_as{0};
};

struct Outcome {
    bool accepted = false;
    PathAttributes attrs;         // with the set actions of every matched term applied
    std::string decided_by;       // term name, or "default-action", for logs
};

// Single conditions, exposed for tests.
bool prefix_matches(const config::PrefixMatch& m, const Ipv6Prefix& p);
bool prefix_matches(const config::PrefixMatch& m, const Ipv4Prefix& p);  // LDP's fec-policy
bool matches(const config::PolicyMatch& m, const RouteFacts& route, const PathAttributes& attrs,
             const Environment& env);
// origin AS: the last ASN of the last AS_SEQUENCE segment (none when the path ends with a set or is empty).
std::optional<Asn> origin_as(const AsPath& path);
void apply_set(const config::PolicySet& s, Direction dir, const Environment& env, PathAttributes& attrs);

// Terms in order: a matching term applies its set; accept/reject stop, next-term goes on.
// When no term stops, default_action decides (the sets applied so far are kept on accept).
Outcome evaluate(const config::Policy& policy, Direction dir, const RouteFacts& route, PathAttributes attrs,
                 const Environment& env);

}  // namespace isthmus::bgp::policy
