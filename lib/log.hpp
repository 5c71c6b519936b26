#pragma once
// Logging to stderr. Under systemd (JOURNAL_STREAM names our stderr) each line
// starts with a syslog priority "<N>" that journald turns into the entry's
// level; on a terminal lines carry a timestamp and a level word instead.
#include <fmt/format.h>

#include <string_view>

#include "result.hpp"

namespace isthmus::log {

enum class Level { debug = 7, info = 6, notice = 5, warning = 4, error = 3, critical = 2 };

Result<Level, std::string> parse_level(std::string_view text);  // "debug".."critical"
std::string_view level_name(Level l);

void set_level(Level l);
Level level();
bool enabled(Level l);
// Decide the line format from the environment; called once at start-up.
void init_from_environment();
void write(Level l, std::string_view message);

template <class... Args>
void at(Level l, fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(l)) write(l, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... a) { at(Level::debug, f, std::forward<Args>(a)...); }
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... a) { at(Level::info, f, std::forward<Args>(a)...); }
template <class... Args>
void notice(fmt::format_string<Args...> f, Args&&... a) { at(Level::notice, f, std::forward<Args>(a)...); }
template <class... Args>
void warning(fmt::format_string<Args...> f, Args&&... a) { at(Level::warning, f, std::forward<Args>(a)...); }
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... a) { at(Level::error, f, std::forward<Args>(a)...); }
template <class... Args>
void critical(fmt::format_string<Args...> f, Args&&... a) { at(Level::critical, f, std::forward<Args>(a)...); }

}  // namespace isthmus::log
