#pragma once
// A config error: where (a JSON path such as "bgp.neighbors[1].address", or a
// file name, or "" for the document itself) and what is wrong.
#include <string>

namespace isthmus::config {

struct Error {
    std::string path;
    std::string message;

    // "<path>: <message>", or just the message when there is no path.
    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
    bool operator==(const Error&) const = default;
};

}  // namespace isthmus::config
