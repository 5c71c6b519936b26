#pragma once
// The control commands the running daemon offers. Services add theirs when they start and remove
// them when they stop; matching is done here so every command gets the same abbreviations ("sh bgp
// sum"), argument checks and error texts.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "daemon/control/protocol.hpp"
#include "lib/result.hpp"

namespace isthmus::control {

struct Call {
    std::vector<std::string> args;  // the words after the command
    std::map<std::string, std::string> options;
};

using Handler = std::function<Result<Json, std::string>(const Call&)>;

struct Command {
    std::string name;       // words separated by single spaces: "show bgp neighbor"
    std::string arguments;  // usage of the arguments: "<address>", "[prefix]"
    std::string help;
    std::size_t min_args = 0;
    std::size_t max_args = 0;
    std::vector<std::string> options;  // accepted --options (each takes a value)
    Handler handler;
};

class Registry {
public:
    Status<std::string> add(Command c);
    void remove(const std::string& name);
    Result<Json, std::string> dispatch(const Request& r) const;
    // {"commands": [{"command", "arguments", "help"}...]}, sorted by name.
    Json help() const;
    bool contains(const std::string& name) const { return commands_.count(name) != 0; }

private:
    struct Entry {
        Command command;
        std::vector<std::string> words;
    };
    std::string usage(const Entry& e) const;
    std::vector<std::string> choices(const std::vector<std::string>& head, const std::string& typed) const;
    std::map<std::string, Entry> commands_;
};

}  // namespace isthmus::control
