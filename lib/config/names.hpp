#pragma once
// The config's spelling of each enum, one table per enum, so the parser and
// summary() (and later isthmusctl) agree on the words.
#include <array>
#include <string_view>
#include <utility>

#include "types.hpp"

namespace isthmus::config {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<std::string_view, E>, N>;

inline constexpr NameTable<Family, 2> kFamilyNames{{
    {"ipv6-unicast", Family::ipv6_unicast},
    {"ipv6-labeled-unicast", Family::ipv6_labeled_unicast},
}};

inline constexpr NameTable<LabelMode, 4> kLabelModeNames{{
    {"explicit-null", LabelMode::explicit_null},
    {"per-prefix", LabelMode::per_prefix},
    {"per-nexthop", LabelMode::per_nexthop},
    {"per-table", LabelMode::per_table},
}};

inline constexpr NameTable<GracefulRestartMode, 3> kGracefulRestartModeNames{{
    {"off", GracefulRestartMode::off},
    {"helper", GracefulRestartMode::helper},
    {"full", GracefulRestartMode::full},
}};

inline constexpr NameTable<MaxPrefixes::Action, 2> kMaxPrefixActionNames{{
    {"warn", MaxPrefixes::Action::warn},
    {"teardown", MaxPrefixes::Action::teardown},
}};

inline constexpr NameTable<LdpEgressLabel, 2> kLdpEgressLabelNames{{
    {"implicit-null", LdpEgressLabel::implicit_null},
    {"explicit-null", LdpEgressLabel::explicit_null},
}};

inline constexpr NameTable<LdpControlMode, 2> kLdpControlModeNames{{
    {"ordered", LdpControlMode::ordered},
    {"independent", LdpControlMode::independent},
}};

inline constexpr NameTable<ForwardingMode, 2> kForwardingModeNames{{
    {"flat", ForwardingMode::flat},
    {"hierarchical", ForwardingMode::hierarchical},
}};

inline constexpr NameTable<RouteSource, 4> kRouteSourceNames{{
    {"bgp", RouteSource::bgp},
    {"static", RouteSource::static_route},
    {"connected", RouteSource::connected},
    {"kernel", RouteSource::kernel},
}};

inline constexpr NameTable<TermAction, 3> kTermActionNames{{
    {"accept", TermAction::accept},
    {"reject", TermAction::reject},
    {"next-term", TermAction::next_term},
}};

inline constexpr NameTable<TermAction, 2> kDefaultActionNames{{
    {"accept", TermAction::accept},
    {"reject", TermAction::reject},
}};

// Names of well-known route protocol ids (iproute2's rt_protos) for
// bgp.redistribute.kernel-protocols. "kernel" (2) is left out on purpose: those
// are connected routes, selected by "connected".
inline constexpr NameTable<uint8_t, 14> kKernelProtocolNames{{
    {"boot", 3},
    {"static", 4},
    {"ra", 9},
    {"zebra", 11},
    {"bird", 12},
    {"dhcp", 16},
    {"keepalived", 18},
    {"babel", 42},
    {"openr", 99},
    {"bgp", 186},
    {"isis", 187},
    {"ospf", 188},
    {"rip", 189},
    {"eigrp", 192},
}};

template <class E, std::size_t N>
constexpr std::string_view name_of(const NameTable<E, N>& table, E value) {
    for (const auto& [name, v] : table)
        if (v == value) return name;
    return "?";
}

}  // namespace isthmus::config
