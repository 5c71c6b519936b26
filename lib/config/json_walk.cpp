#include "json_walk.hpp"

#include <algorithm>
#include <cctype>

namespace isthmus::config::detail {

std::string quote(std::string_view s) {
    return Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string describe(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::boolean: return j.get<bool>() ? "boolean true" : "boolean false";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned: return "integer " + j.dump();
        case Json::value_t::number_float: return "number " + j.dump();
        case Json::value_t::string: return "string " + quote(j.get_ref<const std::string&>());
        case Json::value_t::array: return "an array";
        case Json::value_t::object: return "an object";
        default: return "a binary value";
    }
}

std::string join_path(std::string_view parent, std::string_view key) {
    // Keys that would make the path ambiguous (a user's policy named "a.b", or "") are quoted.
    bool plain = !key.empty() && std::all_of(key.begin(), key.end(),
                                             [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
    if (!plain) return std::string(parent) + "[" + quote(key) + "]";
    if (parent.empty()) return std::string(key);
    return std::string(parent) + "." + std::string(key);
}

std::string join_names(std::span<const std::string_view> names) {
    std::string out;
    for (auto n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

namespace {

// Optimal string alignment distance: Levenshtein plus swaps of adjacent letters ("brid" -> "bird").
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> candidates) {
    // Up to a third of the word may be wrong (at most 3 edits): catches typos and
    // singular/plural slips without suggesting unrelated keys.
    std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
    std::optional<std::string_view> best;
    std::size_t best_distance = limit + 1;
    for (auto c : candidates) {
        auto d = edit_distance(word, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    if (best) return best;
    // An abbreviation ("local-pref") of exactly one candidate.
    if (word.size() < 3) return std::nullopt;
    for (auto c : candidates) {
        if (!c.starts_with(word)) continue;
        if (best) return std::nullopt;
        best = c;
    }
    return best;
}

std::optional<bool> Node::boolean() const {
    if (json_->is_boolean()) return json_->get<bool>();
    error("expected a boolean, got " + describe(*json_));
    return std::nullopt;
}

std::optional<std::string> Node::text() const {
    if (json_->is_string()) return json_->get<std::string>();
    error("expected a string, got " + describe(*json_));
    return std::nullopt;
}

std::optional<uint64_t> Node::integer(uint64_t min, uint64_t max) const {
    if (!json_->is_number_integer()) {
        error("expected an integer, got " + describe(*json_));
        return std::nullopt;
    }
    auto range = " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")";
    if (json_->is_number_unsigned()) {
        auto v = json_->get<uint64_t>();
        if (v >= min && v <= max) return v;
        error(std::to_string(v) + range);
    } else {
        error(std::to_string(json_->get<int64_t>()) + range);
    }
    return std::nullopt;
}

std::optional<std::vector<Node>> Node::array() const {
    if (!json_->is_array()) {
        error("expected an array, got " + describe(*json_));
        return std::nullopt;
    }
    std::vector<Node> items;
    for (std::size_t i = 0; i < json_->size(); ++i)
        items.emplace_back((*json_)[i], path_ + "[" + std::to_string(i) + "]", *ctx_);
    return items;
}

void Node::unknown_word(const std::string& word, std::span<const std::string_view> names) const {
    auto message = quote(word) + " is not one of " + join_names(names);
    if (auto guess = closest(word, names)) message += " (did you mean " + quote(*guess) + "?)";
    error(std::move(message));
}

std::optional<ObjectNode> ObjectNode::open(const Node& n, std::initializer_list<std::string_view> allowed) {
    if (!n.json().is_object()) {
        n.error("expected an object, got " + describe(n.json()));
        return std::nullopt;
    }
    std::span<const std::string_view> keys(allowed.begin(), allowed.size());
    for (const auto& [key, value] : n.json().items()) {
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        auto path = join_path(n.path(), key);
        if (auto guess = closest(key, keys))
            n.ctx().error(path, "unknown key (did you mean " + quote(*guess) + "?)");
        else
            n.ctx().error(path, "unknown key (expected one of " + join_names(keys) + ")");
    }
    return ObjectNode(n);
}

bool ObjectNode::has(std::string_view key) const { return node_.json().contains(key); }

std::optional<Node> ObjectNode::get(std::string_view key) const {
    auto it = node_.json().find(key);
    if (it == node_.json().end()) return std::nullopt;
    return Node(*it, join_path(node_.path(), key), node_.ctx());
}

std::optional<Node> ObjectNode::require(std::string_view key) const {
    auto n = get(key);
    if (!n) ctx().error(join_path(node_.path(), key), "required key is missing");
    return n;
}

bool ObjectNode::read(std::string_view key, bool& out) const {
    auto n = get(key);
    if (!n) return false;
    auto v = n->boolean();
    if (v) out = *v;
    return v.has_value();
}

bool ObjectNode::read(std::string_view key, std::string& out) const {
    auto n = get(key);
    if (!n) return false;
    auto v = n->text();
    if (v) out = std::move(*v);
    return v.has_value();
}

std::vector<Node> array_items(const ObjectNode& o, std::string_view key) {
    auto n = o.get(key);
    if (!n) return {};
    return n->array().value_or(std::vector<Node>{});
}

}  // namespace isthmus::config::detail
