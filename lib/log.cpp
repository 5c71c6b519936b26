#include "log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace isthmus::log {

namespace {

Level g_level = Level::info;
bool g_journal = false;

constexpr std::array<std::pair<std::string_view, Level>, 6> kNames{{{"debug", Level::debug},
                                                                    {"info", Level::info},
                                                                    {"notice", Level::notice},
                                                                    {"warning", Level::warning},
                                                                    {"error", Level::error},
                                                                    {"critical", Level::critical}}};

// JOURNAL_STREAM is "dev:ino" of the stream systemd connected; it must still be our stderr.
bool stderr_is_journal() {
    const char* js = std::getenv("JOURNAL_STREAM");
    struct stat st{};
    if (!js || fstat(STDERR_FILENO, &st) != 0) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(js, "%llu:%llu", &dev, &ino) != 2) return false;
    return dev == st.st_dev && ino == st.st_ino;
}

}  // namespace

Result<Level, std::string> parse_level(std::string_view text) {
    for (auto [name, l] : kNames)
        if (name == text) return l;
    return err("\"" + std::string(text) + "\" is not a log level (debug, info, notice, warning, error, critical)");
}

std::string_view level_name(Level l) {
    for (auto [name, lv] : kNames)
        if (lv == l) return name;
    return "?";
}

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }
bool enabled(Level l) { return int(l) <= int(g_level); }
void init_from_environment() { g_journal = stderr_is_journal(); }

void write(Level l, std::string_view message) {
    std::string line;
    if (g_journal) {
        line = fmt::format("<{}>{}\n", int(l), message);
    } else {
        auto now = std::chrono::system_clock::now();
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        std::time_t secs = std::time_t(ms / 1000);
        std::tm tm{};
        localtime_r(&secs, &tm);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
        line = fmt::format("{}.{:03} {:<7} {}\n", stamp, ms % 1000, level_name(l), message);
    }
    // One write per line so concurrent writers do not interleave within a line.
    ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace isthmus::log
