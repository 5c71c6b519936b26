#include "json_text.hpp"

#include <set>

namespace isthmus::config::detail {

namespace {

// Follows the parser's events to know the path of each key, for duplicate-key errors.
class DuplicateKeyFinder {
public:
    explicit DuplicateKeyFinder(Context& ctx) : ctx_(ctx) {}

    bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
        using E = Json::parse_event_t;
        switch (event) {
            case E::object_start:
            case E::array_start: stack_.push_back({event == E::array_start, 0, {}, {}, child_path()}); break;
            case E::key: {
                auto& top = stack_.back();
                top.key = parsed.get<std::string>();
                if (!top.seen.insert(top.key).second) ctx_.error(join_path(top.path, top.key), "duplicate key");
                break;
            }
            case E::object_end:
            case E::array_end:
                stack_.pop_back();
                next_element();
                break;
            case E::value: next_element(); break;
        }
        return true;
    }

private:
    struct Frame {
        bool is_array;
        std::size_t index;
        std::string key;
        std::set<std::string> seen;
        std::string path;
    };

    std::string child_path() const {
        if (stack_.empty()) return "";
        const auto& top = stack_.back();
        if (top.is_array) return top.path + "[" + std::to_string(top.index) + "]";
        return join_path(top.path, top.key);
    }
    void next_element() {
        if (!stack_.empty() && stack_.back().is_array) ++stack_.back().index;
    }

    Context& ctx_;
    std::vector<Frame> stack_;
};

}  // namespace

std::optional<Json> parse_json_text(std::string_view text, Context& ctx) {
    DuplicateKeyFinder finder(ctx);
    try {
        return Json::parse(text, std::ref(finder));
    } catch (const Json::parse_error& e) {
        // nlohmann says "[json.exception.parse_error.101] parse error at line 3, column 5: ...";
        // keep what follows "at ", which starts with the position.
        std::string what = e.what();
        auto at = what.find(" at line ");
        ctx.error("", at == std::string::npos ? what : what.substr(at + 4));
        return std::nullopt;
    }
}

}  // namespace isthmus::config::detail
