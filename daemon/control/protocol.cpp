#include "daemon/control/protocol.hpp"

namespace isthmus::control {

Result<Request, std::string> parse_request(std::string_view line) {
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return err(std::string("request is not valid JSON"));
    if (!j.is_object()) return err(std::string("request must be a JSON object"));
    Request r;
    for (const auto& [key, value] : j.items()) {
        if (key == "words") {
            if (!value.is_array()) return err(std::string("\"words\" must be an array of strings"));
            for (const auto& w : value) {
                if (!w.is_string()) return err(std::string("\"words\" must be an array of strings"));
                r.words.push_back(w.get<std::string>());
            }
        } else if (key == "options") {
            if (!value.is_object()) return err(std::string("\"options\" must be an object of strings"));
            for (const auto& [name, v] : value.items()) {
                if (!v.is_string()) return err("option \"" + name + "\" must be a string");
                r.options[name] = v.get<std::string>();
            }
        } else {
            return err("unknown request key \"" + key + "\" (expected \"words\" and \"options\")");
        }
    }
    if (r.words.empty()) return err(std::string("empty command (try \"help\")"));
    return r;
}

std::string encode_request(const Request& r) {
    Json j;
    j["words"] = r.words;
    Json opts = Json::object();
    for (const auto& [k, v] : r.options) opts[k] = v;
    j["options"] = opts;
    return j.dump() + "\n";
}

std::string encode_ok(const Json& data) {
    Json j;
    j["ok"] = true;
    j["data"] = data;
    // Invalid UTF-8 in a name (an interface, a peer's description) must not kill the reply.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string encode_error(std::string_view message) {
    Json j;
    j["ok"] = false;
    j["error"] = message;
    return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<Response, std::string> parse_response(std::string_view line) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("ok") || !j["ok"].is_boolean())
        return err(std::string("the daemon sent a malformed response"));
    Response r;
    r.ok = j["ok"].get<bool>();
    if (r.ok) {
        r.data = j.value("data", Json::object());
    } else {
        if (!j.contains("error") || !j["error"].is_string()) return err(std::string("the daemon sent a malformed error"));
        r.error = j["error"].get<std::string>();
    }
    return r;
}

}  // namespace isthmus::control
