// isthmusd: 6PE routing daemon (MP-BGP + LDP, kernel MPLS forwarding).
#include <cstdio>
#include <iostream>

#include "daemon/args.hpp"
#include "daemon/daemon.hpp"
#include "lib/config/config.hpp"
#include "lib/log.hpp"

using namespace isthmus;

namespace {

// Exit codes: 0 ok, 1 bad configuration, 2 bad command line (sysexits-like, kept simple).
constexpr int kExitBadConfig = 1;
constexpr int kExitUsage = 2;

int report_config_errors(const std::string& path, const std::vector<config::Error>& errors) {
    std::cerr << "isthmusd: " << path << ": " << errors.size() << " configuration error(s):\n";
    for (const auto& e : errors) std::cerr << "  " << e.to_string() << "\n";
    return kExitBadConfig;
}

}  // namespace

int main(int argc, char** argv) {
    auto args = daemon::parse_args(std::vector<std::string>(argv, argv + argc));
    if (!args) {
        std::cerr << "isthmusd: " << args.error() << "\n";
        return kExitUsage;
    }
    switch (args->mode) {
        case daemon::Args::Mode::help: std::cout << daemon::usage(); return 0;
        case daemon::Args::Mode::version: std::cout << "isthmusd " << ISTHMUS_VERSION << "\n"; return 0;
        default: break;
    }

    // Validation happens before anything else: a bad file never reaches the kernel.
    auto cfg = config::load_file(args->config_path);
    if (!cfg) return report_config_errors(args->config_path, cfg.error());
    if (args->mode == daemon::Args::Mode::check_config) {
        std::cout << args->config_path << ": configuration is valid\n" << config::summary(*cfg);
        return 0;
    }

    log::init_from_environment();
    log::set_level(cfg->log_level);
    daemon::Daemon d(args->config_path, std::move(cfg).value());
    return d.run();
}
