#include "daemon/control/registry.hpp"

#include <algorithm>
#include <sstream>

namespace isthmus::control {

namespace {

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string join(const std::vector<std::string>& words, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && i < words.size(); ++i) out += (i ? " " : "") + words[i];
    return out;
}

bool starts_with(const std::string& full, const std::string& typed) {
    return full.size() >= typed.size() && full.compare(0, typed.size(), typed) == 0;
}

}  // namespace

Status<std::string> Registry::add(Command c) {
    auto words = split_words(c.name);
    if (words.empty()) return err(std::string("a control command needs a name"));
    std::string name = join(words, words.size());
    if (commands_.count(name)) return err("control command \"" + name + "\" is already registered");
    c.name = name;
    commands_.emplace(name, Entry{std::move(c), std::move(words)});
    return ok_unit;
}

void Registry::remove(const std::string& name) { commands_.erase(name); }

std::string Registry::usage(const Entry& e) const {
    std::string u = e.command.name;
    if (!e.command.arguments.empty()) u += " " + e.command.arguments;
    for (const auto& o : e.command.options) u += " [--" + o + " <value>]";
    return u;
}

// The distinct words at position k of commands whose first k words are `head`, that `typed`
// abbreviates; an exact match wins alone, so "show lsp" is never ambiguous with a longer word.
std::vector<std::string> Registry::choices(const std::vector<std::string>& head, const std::string& typed) const {
    std::vector<std::string> out;
    const std::size_t k = head.size();
    for (const auto& [_, e] : commands_) {
        if (e.words.size() <= k || !std::equal(head.begin(), head.end(), e.words.begin())) continue;
        if (e.words[k] == typed) return {typed};
        if (starts_with(e.words[k], typed) && (out.empty() || out.back() != e.words[k])) out.push_back(e.words[k]);
    }
    return out;
}

Result<Json, std::string> Registry::dispatch(const Request& r) const {
    // Resolve word by word; the longest command reached is the one, the rest are its arguments.
    std::vector<std::string> head;
    const Entry* best = nullptr;
    for (const auto& typed : r.words) {
        auto words = choices(head, typed);
        if (words.empty()) break;
        if (words.size() > 1) {
            std::string names;
            for (const auto& w : words) names += " " + join(head, head.size()) + (head.empty() ? "" : " ") + w + ",";
            names.pop_back();
            return err("\"" + join(r.words, r.words.size()) + "\" is ambiguous:" + names);
        }
        head.push_back(words[0]);
        auto it = commands_.find(join(head, head.size()));
        if (it != commands_.end()) best = &it->second;
    }
    const std::string typed = join(r.words, r.words.size());
    // Every word was a command word but no command ends there (or a longer prefix matched only part).
    if (!best || (head.size() == r.words.size() && best->words.size() < head.size())) {
        std::string names;
        for (const auto& [name, e] : commands_)
            if (!head.empty() && head.size() == r.words.size() && e.words.size() > head.size() &&
                std::equal(head.begin(), head.end(), e.words.begin()))
                names += "\n  " + usage(e);
        if (!names.empty()) return err("\"" + typed + "\" is incomplete; it could be:" + names);
        return err("unknown command \"" + typed + "\" (\"help\" lists the commands)");
    }

    Call call;
    call.args.assign(r.words.begin() + static_cast<std::ptrdiff_t>(best->words.size()), r.words.end());
    const Command& c = best->command;
    if (call.args.size() < c.min_args || call.args.size() > c.max_args) return err("usage: " + usage(*best));
    for (const auto& [name, value] : r.options) {
        bool known = false;
        for (const auto& o : c.options) known |= o == name;
        if (!known) return err("\"" + c.name + "\" takes no option --" + name + "; usage: " + usage(*best));
        call.options[name] = value;
    }
    return c.handler(call);
}

Json Registry::help() const {
    Json rows = Json::array();
    for (const auto& [name, e] : commands_) {
        Json row;
        row["command"] = usage(e);
        row["help"] = e.command.help;
        rows.push_back(row);
    }
    Json out;
    out["commands"] = rows;
    return out;
}

}  // namespace isthmus::control
