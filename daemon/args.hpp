#pragma once
// isthmusd's command line, parsed into a value so it can be tested without a process.
#include <string>
#include <vector>

#include "lib/result.hpp"

namespace isthmus::daemon {

inline constexpr const char* kDefaultConfigPath = "/etc/isthmus/isthmusd.json";

struct Args {
    enum class Mode { run, check_config, help, version } mode = Mode::run;
    std::string config_path = kDefaultConfigPath;
};

Result<Args, std::string> parse_args(const std::vector<std::string>& argv);
std::string usage();

}  // namespace isthmus::daemon
