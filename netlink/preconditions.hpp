#pragma once
// What the kernel must offer before isthmusd programs it, checked at start: each finding says
// exactly what to run to fix it. Reads /proc/sys and /sys only, through a reader that unit tests
// replace with a map.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lib/result.hpp"

namespace isthmus::netlink {

struct PreconditionInput {
    std::vector<std::string> core_interfaces;  // where labelled packets arrive / 6PE routes leave
    bool provider_edge = true;                 // a PE also needs IPv6 on its core links and forwarding
    uint32_t highest_label = 0;                // the highest label we will install (0: don't check the range)
};

struct Finding {
    enum class Severity { error, warning };
    Severity severity = Severity::error;
    std::string problem;
    std::string fix;  // a command line
    std::string to_string() const;  // "error: <problem>; fix: <fix>"
};

// Reads a file (a /proc/sys or /sys path) trimmed of its newline; nullopt when it does not exist.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;
std::optional<std::string> read_system_file(const std::string& path);

std::vector<Finding> check_preconditions(const PreconditionInput& in, const FileReader& read = read_system_file);

// Writes a sysctl (sysctl(8) key syntax: dots between levels); the error names the key.
Status<std::string> write_sysctl(const std::string& key, const std::string& value);
// Applies a finding's fix when it is "sysctl -w KEY=VALUE" (kernel.set-sysctls); nullopt when the
// fix is something else (a modprobe: isthmusd may not load modules).
std::optional<Status<std::string>> apply_fix(const Finding& f);

}  // namespace isthmus::netlink
