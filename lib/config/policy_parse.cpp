// "prefix-lists" and "policies": the named routing policies of schema v1.
#include <charconv>

#include "sections.hpp"

namespace isthmus::config::detail {

namespace {

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        auto start = i;
        while (i < s.size() && s[i] != ' ') ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

// "2001:db8::/32", "2001:db8::/32 le 48", "10.0.0.0/8 ge 24 le 32" (IOS prefix-list style:
// "ge N" alone accepts N up to the family's maximum).
std::optional<PrefixMatch> parse_prefix_match(const Node& n) {
    auto s = n.text();
    if (!s) return std::nullopt;
    auto w = words(*s);
    if (w.empty()) {
        n.error(quote(*s) + " is not a prefix");
        return std::nullopt;
    }
    PrefixMatch m;
    int length = 0, max = 0;
    if (w[0].find(':') != std::string_view::npos) {
        auto p = Ipv6Prefix::parse_strict(w[0]);
        if (!p) {
            n.error(p.error());
            return std::nullopt;
        }
        m.prefix = *p;
        length = p->length();
        max = Ipv6Prefix::kMaxLength;
    } else {
        auto p = Ipv4Prefix::parse_strict(w[0]);
        if (!p) {
            n.error(p.error());
            return std::nullopt;
        }
        m.prefix = *p;
        length = p->length();
        max = Ipv4Prefix::kMaxLength;
    }
    std::optional<int> ge, le;
    for (std::size_t i = 1; i < w.size(); i += 2) {
        bool is_ge = w[i] == "ge" && !ge && !le;  // ge comes first, each once
        bool is_le = w[i] == "le" && !le;
        if ((!is_ge && !is_le) || i + 1 == w.size()) {
            n.error(quote(*s) + ": expected \"ge N\" and/or \"le N\" after the prefix");
            return std::nullopt;
        }
        int v = -1;
        auto t = w[i + 1];
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size() || v < 0 || v > max) {
            n.error(quote(*s) + ": " + std::string(t) + " is not a prefix length (0.." + std::to_string(max) + ")");
            return std::nullopt;
        }
        (is_ge ? ge : le) = v;
    }
    m.ge = ge.value_or(length);
    m.le = le.value_or(ge ? max : m.ge);
    if (m.ge < length) {
        n.error(quote(*s) + ": ge " + std::to_string(m.ge) + " is less than the prefix length " +
                std::to_string(length));
        return std::nullopt;
    }
    if (m.le < m.ge) {
        n.error(quote(*s) + ": le " + std::to_string(m.le) + " is less than " +
                (ge ? "ge " + std::to_string(m.ge) : "the prefix length " + std::to_string(length)));
        return std::nullopt;
    }
    return m;
}

template <class T, class F>
std::vector<T> parse_list(const ObjectNode& o, std::string_view key, F parse_one) {
    std::vector<T> out;
    auto node = o.get(key);
    if (!node) return out;
    auto items = node->array();
    if (!items) return out;
    if (items->empty()) node->error("must not be empty (leave the key out to match any route)");
    for (const auto& item : *items)
        if (auto v = parse_one(item)) out.push_back(std::move(*v));
    return out;
}

PolicyMatch parse_match(const Node& n) {
    PolicyMatch m;
    auto o = ObjectNode::open(n, {"prefixes", "prefix-list", "protocols", "neighbors", "communities",
                                  "large-communities", "as-path-contains", "origin-as"});
    if (!o) return m;
    m.prefixes = parse_list<PrefixMatch>(*o, "prefixes", parse_prefix_match);
    if (auto pl = o->get("prefix-list")) {
        m.prefix_list = pl->text();
        if (m.prefix_list) n.ctx().prefix_list_refs.push_back({pl->path(), *m.prefix_list});
    }
    m.protocols = parse_list<RouteSource>(*o, "protocols", [](const Node& i) { return i.one_of(kRouteSourceNames); });
    m.neighbors = parse_list<IpAddress>(*o, "neighbors", [](const Node& i) {
        auto a = i.parsed(IpAddress::parse);
        if (a) i.ctx().neighbor_refs.push_back({i.path(), *a});
        return a;
    });
    m.communities = parse_list<Community>(*o, "communities", parse_community);
    m.large_communities = parse_list<LargeCommunity>(*o, "large-communities", parse_large_community);
    m.as_path_contains = parse_list<Asn>(*o, "as-path-contains", parse_asn);
    m.origin_as = parse_list<Asn>(*o, "origin-as", parse_asn);
    return m;
}

PolicySet parse_set(const Node& n) {
    PolicySet s;
    auto o = ObjectNode::open(n, {"local-preference", "med", "add-communities", "remove-communities",
                                  "add-large-communities", "remove-large-communities", "prepend"});
    if (!o) return s;
    o->read_int("local-preference", s.local_preference, 0, 0xFFFFFFFFu);
    o->read_int("med", s.med, 0, 0xFFFFFFFFu);
    // Empty lists are harmless here, so they are not an error as they are in a match.
    auto lists = [&](std::string_view key, auto& out, auto parse_one) {
        for (const auto& item : array_items(*o, key))
            if (auto v = parse_one(item)) out.push_back(*v);
    };
    lists("add-communities", s.add_communities, parse_community);
    lists("remove-communities", s.remove_communities, parse_community);
    lists("add-large-communities", s.add_large_communities, parse_large_community);
    lists("remove-large-communities", s.remove_large_communities, parse_large_community);
    o->read_int("prepend", s.prepend, 1, 10);
    return s;
}

Policy parse_policy(const Node& n) {
    Policy p;
    auto o = ObjectNode::open(n, {"terms", "default-action"});
    if (!o) return p;
    std::vector<std::pair<std::string, std::string>> names;  // term name, path of its term
    for (const auto& item : array_items(*o, "terms")) {
        PolicyTerm t;
        t.name = "#" + std::to_string(p.terms.size());
        auto to = ObjectNode::open(item, {"name", "match", "set", "action"});
        if (to) {
            if (auto nm = to->get("name"); nm && to->read("name", t.name)) {
                if (check_name(*nm, t.name, "term")) {
                    for (const auto& [other, where] : names)
                        if (other == t.name) nm->error(quote(t.name) + " is already the name of " + where);
                    names.emplace_back(t.name, item.path());
                }
            }
            if (auto m = to->get("match")) t.match = parse_match(*m);
            if (auto s = to->get("set")) t.set = parse_set(*s);
            if (auto a = to->require("action")) {
                if (auto v = a->one_of(kTermActionNames)) t.action = *v;
                if (t.action == TermAction::reject && to->has("set"))
                    to->get("set")->error("has no effect when \"action\" is \"reject\"");
            }
        }
        p.terms.push_back(std::move(t));
    }
    o->read_enum("default-action", p.default_action, kDefaultActionNames);
    return p;
}

}  // namespace

namespace {

// A JSON object of named definitions ("name" -> value), each parsed by `one`.
template <class T, class ParseOne>
std::map<std::string, T, std::less<>> parse_named(const Node& n, std::string_view what, std::string_view shape,
                                                  ParseOne one) {
    std::map<std::string, T, std::less<>> out;
    if (!n.json().is_object()) {
        n.error("expected an object (" + std::string(shape) + "), got " + describe(n.json()));
        return out;
    }
    for (const auto& [name, value] : n.json().items()) {
        Node def(value, join_path(n.path(), name), n.ctx());
        check_name(def, name, what);
        // Kept even when invalid, so references to it don't add noise.
        out[name] = one(def);
    }
    return out;
}

}  // namespace

std::map<std::string, PrefixList, std::less<>> parse_prefix_lists(const Node& n) {
    return parse_named<PrefixList>(n, "prefix-list", "prefix-list name -> list of prefixes", [](const Node& list) {
        PrefixList entries;
        for (const auto& item : list.array().value_or(std::vector<Node>{}))
            if (auto m = parse_prefix_match(item)) entries.push_back(*m);
        return entries;
    });
}

std::map<std::string, Policy, std::less<>> parse_policies(const Node& n) {
    return parse_named<Policy>(n, "policy", "policy name -> policy", parse_policy);
}

}  // namespace isthmus::config::detail
