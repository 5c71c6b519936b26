#pragma once
// Internal to lib/config: one parser per top-level section, and the small
// value parsers they share. Each reports into the Context and returns what it
// could read; parse() decides whether the whole file is valid.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "json_walk.hpp"
#include "types.hpp"

namespace isthmus::config::detail {

// Sections.
void parse_labels(const Node& n, LabelRanges& out);
void parse_kernel(const Node& n, Kernel& out);
std::vector<StaticRoute> parse_static_routes(const Node& n);
std::map<std::string, PrefixList, std::less<>> parse_prefix_lists(const Node& n);
std::map<std::string, Policy, std::less<>> parse_policies(const Node& n);
// `router_id` is the default transport address (unset when it was invalid).
std::optional<Ldp> parse_ldp(const Node& n, std::optional<RouterId> router_id);
std::optional<Bgp> parse_bgp(const Node& n);

// Shared value parsers.
std::optional<Asn> parse_asn(const Node& n);  // 65000 or "1.10"
std::optional<std::string> parse_interface_name(const Node& n);
std::optional<std::string> parse_password(const Node& n);  // never echoes the value
// Policy and prefix-list names: they appear in JSON paths and isthmusctl output.
bool check_name(const Node& where, std::string_view name, std::string_view what);
std::optional<Community> parse_community(const Node& n);
std::optional<LargeCommunity> parse_large_community(const Node& n);
// A policy name; records the reference for the check once all policies are known.
std::optional<std::string> parse_policy_ref(const Node& n);

}  // namespace isthmus::config::detail
