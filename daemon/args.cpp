#include "args.hpp"

namespace isthmus::daemon {

Result<Args, std::string> parse_args(const std::vector<std::string>& argv) {
    Args a;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        auto value = [&](const std::string& name) -> Result<std::string, std::string> {
            if (i + 1 >= argv.size()) return err(name + " needs a file name");
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") {
            a.mode = Args::Mode::help;
        } else if (arg == "-V" || arg == "--version") {
            a.mode = Args::Mode::version;
        } else if (arg == "-c" || arg == "--config" || arg == "--check-config") {
            auto v = value(arg);
            if (!v) return err(v.error());
            a.config_path = *v;
            if (arg == "--check-config") a.mode = Args::Mode::check_config;
        } else {
            return err("unknown argument \"" + arg + "\" (see --help)");
        }
    }
    return a;
}

std::string usage() {
    return "usage: isthmusd [-c|--config FILE]    run with FILE (default " + std::string(kDefaultConfigPath) +
           ")\n"
           "       isthmusd --check-config FILE   validate FILE, print a summary, touch nothing\n"
           "       isthmusd --version | --help\n"
           "signals: SIGTERM/SIGINT stop cleanly, SIGHUP re-reads and validates the config file\n";
}

}  // namespace isthmus::daemon
