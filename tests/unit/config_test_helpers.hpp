#pragma once
// Shared by the config_*.cpp unit tests: a small valid PE config that each
// bad-config test breaks in one place, and helpers that turn a parse into
// the error strings the user would see.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/config/config.hpp"

namespace config_test {

using Json = nlohmann::ordered_json;

inline const char* const kBasePe = R"({
  "version": 1,
  "router-id": "192.0.2.1",
  "ldp": { "interfaces": [{ "name": "core0" }] },
  "bgp": {
    "local-as": 65000,
    "neighbors": [
      { "address": "192.0.2.2", "remote-as": 65000 },
      { "address": "2001:db8:c1::2", "remote-as": 65101, "import-policy": "from-ce", "export-policy": "to-ce" }
    ]
  },
  "policies": {
    "from-ce": { "terms": [{ "match": { "prefixes": ["2001:db8:a::/48 le 64"] }, "action": "accept" }] },
    "to-ce": { "default-action": "accept" }
  }
})";

// Every error of a parse as "<path>: <message>"; empty when the text is valid.
inline std::vector<std::string> errors_of(std::string_view text) {
    auto r = isthmus::config::parse(text);
    std::vector<std::string> out;
    if (!r)
        for (const auto& e : r.error()) out.push_back(e.to_string());
    return out;
}

// The errors of the base PE after `change` has been applied to it.
inline std::vector<std::string> errors_after(const std::function<void(Json&)>& change) {
    auto j = Json::parse(kBasePe);
    change(j);
    return errors_of(j.dump(2));
}

inline std::vector<std::string> one(std::string s) { return {std::move(s)}; }

}  // namespace config_test
