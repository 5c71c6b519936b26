#pragma once
// The control socket's wire format (docs/control.md): one JSON object per line each way.
//   request:  {"words": ["show", "bgp", "neighbor", "192.0.2.2"], "options": {"family": "ipv6"}}
//   response: {"ok": true, "data": {...}}  or  {"ok": false, "error": "..."}
// The words are the command line as typed; the daemon's registry decides what is a command and what
// an argument, so isthmusctl needs no copy of the command list.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/result.hpp"

namespace isthmus::control {

// Insertion-ordered, so tables keep the column order their producer chose.
using Json = nlohmann::ordered_json;

// A request line longer than this is refused (and the connection closed): no command needs it.
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

struct Request {
    std::vector<std::string> words;
    std::map<std::string, std::string> options;
};

Result<Request, std::string> parse_request(std::string_view line);
std::string encode_request(const Request& r);

std::string encode_ok(const Json& data);
std::string encode_error(std::string_view message);

struct Response {
    bool ok = false;
    Json data;          // when ok
    std::string error;  // when not
};
Result<Response, std::string> parse_response(std::string_view line);

}  // namespace isthmus::control
