#include "daemon/ctl/args.hpp"

namespace isthmus::ctl {

Result<Args, std::string> parse_args(const std::vector<std::string>& argv, const std::string& env_socket) {
    Args a;
    if (!env_socket.empty()) a.socket = env_socket;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& w = argv[i];
        if (w == "--json" || w == "-j") {
            a.json = true;
        } else if (w == "--help" || w == "-h") {
            a.help = true;
        } else if (w == "--socket" || w == "-s") {
            if (i + 1 >= argv.size()) return err(w + " needs a path");
            a.socket = argv[++i];
        } else if (w.size() > 2 && w.compare(0, 2, "--") == 0) {
            // An option of the command (e.g. --family ipv6): the daemon checks which it accepts.
            if (i + 1 >= argv.size()) return err(w + " needs a value");
            a.request.options[w.substr(2)] = argv[++i];
        } else {
            a.request.words.push_back(w);
        }
    }
    if (a.request.words.empty() && !a.help) return err("no command given (try \"isthmusctl help\")");
    return a;
}

std::string usage() {
    return "usage: isthmusctl [--socket PATH] [--json] COMMAND [ARGUMENTS] [--OPTION VALUE]\n"
           "Talks to a running isthmusd over its control socket (default " +
           std::string(kDefaultSocket) +
           ",\nor $ISTHMUS_CONTROL_SOCKET). \"isthmusctl help\" lists the daemon's commands; words may be\n"
           "abbreviated while unambiguous (\"isthmusctl sh bgp sum\").\n"
           "Exit status: 0 done, 1 the daemon refused the command, 2 bad usage, 3 no daemon to talk to.\n";
}

}  // namespace isthmus::ctl
