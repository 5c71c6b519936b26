#pragma once
// Internal to lib/config. Walks the parsed document while carrying each
// value's JSON path, so the section parsers report "<path>: <message>" and
// collect every error in one pass without building paths or checking JSON
// types themselves.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "lib/ip_address.hpp"
#include "names.hpp"

namespace isthmus::config::detail {

// Ordered so that errors come in the order the file is written.
using Json = nlohmann::ordered_json;

struct NameRef {
    std::string path;
    std::string name;
};
struct AddressRef {
    std::string path;
    IpAddress address;
};

// What one pass accumulates: the errors, and references that can only be
// checked once the whole file has been read.
struct Context {
    std::vector<Error> errors;
    std::vector<NameRef> policy_refs;
    std::vector<NameRef> prefix_list_refs;
    std::vector<AddressRef> neighbor_refs;

    void error(std::string path, std::string message) { errors.push_back({std::move(path), std::move(message)}); }
};

std::string quote(std::string_view s);  // as a JSON string literal
std::string describe(const Json& j);    // "string \"x\"", "integer 5", "an array", ...
std::string join_path(std::string_view parent, std::string_view key);
std::string join_names(std::span<const std::string_view> names);  // "a, b, c"
// The candidate closest to `word` if it is close enough to be a typo.
std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> candidates);

class Node {
public:
    Node(const Json& j, std::string path, Context& ctx) : json_(&j), path_(std::move(path)), ctx_(&ctx) {}

    const Json& json() const { return *json_; }
    const std::string& path() const { return path_; }
    Context& ctx() const { return *ctx_; }
    void error(std::string message) const { ctx_->error(path_, std::move(message)); }

    // Each reader reports a wrong type or range at this node and returns nullopt.
    std::optional<bool> boolean() const;
    std::optional<std::string> text() const;
    std::optional<uint64_t> integer(uint64_t min, uint64_t max) const;
    std::optional<std::vector<Node>> array() const;

    // A string handed to one of lib's parse functions; their messages already quote the value.
    template <class F>
    auto parsed(F parse) const -> std::optional<std::remove_cvref_t<decltype(*parse(std::string_view{}))>> {
        auto s = text();
        if (!s) return std::nullopt;
        auto r = parse(std::string_view(*s));
        if (!r) {
            error(r.error());
            return std::nullopt;
        }
        return std::move(*r);
    }

    template <class E, std::size_t N>
    std::optional<E> one_of(const NameTable<E, N>& table) const {
        auto s = text();
        if (!s) return std::nullopt;
        std::vector<std::string_view> names;
        for (const auto& [name, value] : table) {
            if (name == *s) return value;
            names.push_back(name);
        }
        unknown_word(*s, names);
        return std::nullopt;
    }

private:
    void unknown_word(const std::string& word, std::span<const std::string_view> names) const;

    const Json* json_;
    std::string path_;
    Context* ctx_;
};

// A JSON object with a fixed set of keys. Opening it reports a non-object or
// any key outside `allowed` (with a "did you mean" for near misses).
class ObjectNode {
public:
    static std::optional<ObjectNode> open(const Node& n, std::initializer_list<std::string_view> allowed);

    const Node& node() const { return node_; }
    const std::string& path() const { return node_.path(); }
    Context& ctx() const { return node_.ctx(); }
    bool has(std::string_view key) const;
    std::optional<Node> get(std::string_view key) const;
    std::optional<Node> require(std::string_view key) const;  // reports a missing key

    // Shortcuts: assign `out` when the key is present and valid, and say so.
    bool read(std::string_view key, bool& out) const;
    bool read(std::string_view key, std::string& out) const;
    template <class Out>
    bool read_int(std::string_view key, Out& out, uint64_t min, uint64_t max) const {
        auto n = get(key);
        if (!n) return false;
        auto v = n->integer(min, max);
        if (v) out = static_cast<std::remove_cvref_t<decltype(assign_target(out))>>(*v);
        return v.has_value();
    }
    template <class Out, class F>
    bool read_parsed(std::string_view key, Out& out, F parse) const {
        auto n = get(key);
        if (!n) return false;
        auto v = n->parsed(parse);
        if (v) out = std::move(*v);
        return v.has_value();
    }
    template <class Out, class E, std::size_t N>
    bool read_enum(std::string_view key, Out& out, const NameTable<E, N>& table) const {
        auto n = get(key);
        if (!n) return false;
        auto v = n->one_of(table);
        if (v) out = *v;
        return v.has_value();
    }

private:
    explicit ObjectNode(Node n) : node_(std::move(n)) {}
    // The value type behind `out`, whether it is T or std::optional<T>.
    template <class T>
    static T& assign_target(T& t) {
        return t;
    }
    template <class T>
    static T& assign_target(std::optional<T>& t) {
        return *t;
    }

    Node node_;
};

// The elements of an optional array key, each with its path; empty when absent or not an array.
std::vector<Node> array_items(const ObjectNode& o, std::string_view key);

}  // namespace isthmus::config::detail
