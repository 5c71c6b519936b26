// Plays systemd's side of the notify protocol for one isthmusd process: a datagram socket as
// NOTIFY_SOCKET, WatchdogSec of 1 s, then SIGHUP and SIGTERM. Prints every message with its time
// and checks the order and the watchdog cadence the unit file relies on. With "bgp", the daemon
// runs in a network namespace of its own with one BGP neighbor, and STATUS= must count it.
// Usage: notify_probe ISTHMUSD WORKDIR [bgp]
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Message {
    double at_ms;
    std::string text;
};

int failures = 0;
void check(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "PASS" : "FAIL", what.c_str());
    if (!ok) ++failures;
}

// Collects datagrams for `ms` milliseconds.
void collect(int fd, Clock::time_point t0, int ms, std::vector<Message>& out) {
    auto end = Clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
        if (left <= 0) return;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        char buf[4096];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) continue;
        double at = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        // One datagram may carry several assignments, one per line.
        std::string all(buf, static_cast<std::size_t>(n));
        for (std::size_t pos = 0; pos < all.size();) {
            auto nl = all.find('\n', pos);
            std::string line = all.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
            if (!line.empty()) {
                out.push_back({at, line});
                std::printf("  %8.1f ms  %s\n", at, line.c_str());
            }
            if (nl == std::string::npos) break;
            pos = nl + 1;
        }
    }
}

int index_of(const std::vector<Message>& m, const std::string& text, std::size_t from = 0) {
    for (std::size_t i = from; i < m.size(); ++i)
        if (m[i].text == text) return static_cast<int>(i);
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4 || (argc == 4 && std::string(argv[3]) != "bgp")) {
        std::fprintf(stderr, "usage: notify_probe ISTHMUSD WORKDIR [bgp]\n");
        return 2;
    }
    const std::string isthmusd = argv[1], work = argv[2];
    const bool bgp = argc == 4;
    const std::string sock_path = work + "/notify.sock", config = work + "/isthmusd.json";
    std::ofstream(config) << "{ \"version\": 1, \"router-id\": \"192.0.2.9\", \"control-socket\": \"" << work
                          << "/ctl.sock\", \"kernel\": { \"install\": false }"
                          << (bgp ? ", \"bgp\": { \"local-as\": 65000, \"neighbors\": [ { \"address\": \"192.0.2.2\", "
                                    "\"remote-as\": 65000, \"passive\": true, \"families\": [\"ipv6-labeled-unicast\"] } ] }"
                                  : "")
                          << " }\n";

    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock_path.c_str());
    ::unlink(sock_path.c_str());
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::perror("notify socket");
        return 2;
    }

    auto t0 = Clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        // Its own network namespace, so port 179 is free whatever else runs on this machine.
        if (bgp && ::unshare(CLONE_NEWNET) != 0) {
            std::perror("unshare(CLONE_NEWNET)");
            ::_exit(126);
        }
        ::setenv("NOTIFY_SOCKET", sock_path.c_str(), 1);
        ::setenv("WATCHDOG_USEC", "1000000", 1);
        ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
        ::execl(isthmusd.c_str(), isthmusd.c_str(), "--config", config.c_str(), static_cast<char*>(nullptr));
        std::perror("exec isthmusd");
        ::_exit(127);
    }
    std::vector<Message> m;
    collect(fd, t0, 3000, m);
    ::kill(pid, SIGHUP);
    collect(fd, t0, 800, m);
    ::kill(pid, SIGTERM);
    collect(fd, t0, 1000, m);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fd);
    ::unlink(sock_path.c_str());

    int ready = index_of(m, "READY=1");
    check(ready >= 0, "READY=1 is sent");
    int first_watchdog = index_of(m, "WATCHDOG=1");
    check(first_watchdog > ready, "the first WATCHDOG=1 comes after READY=1");
    const std::string want_status = bgp ? "STATUS=running, BGP 0/1 established" : "STATUS=running, no protocols configured";
    check(index_of(m, want_status) > ready, "STATUS= says what runs: \"" + want_status.substr(7) + "\"");

    std::vector<double> pings;
    for (const auto& x : m)
        if (x.text == "WATCHDOG=1") pings.push_back(x.at_ms);
    double max_gap = 0;
    for (std::size_t i = 1; i < pings.size(); ++i) max_gap = std::max(max_gap, pings[i] - pings[i - 1]);
    std::printf("  %zu watchdog pings, largest gap %.0f ms (WatchdogSec 1000 ms)\n", pings.size(), max_gap);
    check(pings.size() >= 5, "at least 5 WATCHDOG=1 in 3.8 s with WatchdogSec=1s");
    check(max_gap < 1000, "no gap between pings reaches WatchdogSec");

    int reloading = index_of(m, "RELOADING=1");
    check(reloading > ready, "SIGHUP sends RELOADING=1");
    check(reloading >= 0 && index_of(m, "READY=1", static_cast<std::size_t>(reloading)) > reloading,
          "then READY=1 again when the reload is done");
    check(index_of(m, "STOPPING=1") > reloading, "SIGTERM sends STOPPING=1");
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "isthmusd exits 0");

    std::printf("notify_probe: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
