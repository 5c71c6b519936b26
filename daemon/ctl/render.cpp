#include "daemon/ctl/render.hpp"

#include <algorithm>

namespace isthmus::ctl {

using control::Json;

namespace {

std::string scalar(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "-";
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_array()) {
        std::string out;
        for (const auto& x : v) out += (out.empty() ? "" : ", ") + scalar(x);
        return out.empty() ? "-" : out;
    }
    if (v.is_object()) return v.dump();
    return v.dump();
}

bool is_table(const Json& v) {
    return v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const Json& x) { return x.is_object(); });
}

std::string table(const Json& rows, const std::string& indent) {
    std::vector<std::string> columns;
    for (const auto& row : rows)
        for (const auto& [k, _] : row.items())
            if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> width;
    for (const auto& c : columns) width.push_back(c.size());
    for (const auto& row : rows) {
        auto& line = cells.emplace_back();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            line.push_back(row.contains(columns[i]) ? scalar(row[columns[i]]) : "");
            width[i] = std::max(width[i], line.back().size());
        }
    }
    auto emit = [&](const std::vector<std::string>& line) {
        std::string out = indent;
        for (std::size_t i = 0; i < line.size(); ++i) {
            out += line[i];
            if (i + 1 < line.size()) out += std::string(width[i] - line[i].size() + 2, ' ');
        }
        return out + "\n";
    };
    std::string out = emit(columns);
    for (const auto& line : cells) out += emit(line);
    return out;
}

std::string section(const Json& obj, const std::string& indent) {
    std::size_t key_width = 0;
    for (const auto& [k, v] : obj.items())
        if (!v.is_object() && !is_table(v)) key_width = std::max(key_width, k.size());
    std::string out;
    for (const auto& [k, v] : obj.items()) {
        if (v.is_object()) {
            out += indent + k + ":\n" + section(v, indent + "  ");
        } else if (is_table(v)) {
            out += indent + k + ":\n" + table(v, indent + "  ");
        } else {
            out += indent + k + ":" + std::string(key_width - k.size() + 1, ' ') + scalar(v) + "\n";
        }
    }
    return out;
}

}  // namespace

std::string render(const Json& data) {
    if (is_table(data)) return table(data, "");
    if (data.is_array() && data.empty()) return "(none)\n";
    if (!data.is_object()) return scalar(data) + "\n";
    // A single table answer prints without a title line.
    if (data.size() == 1 && is_table(data.begin().value())) return table(data.begin().value(), "");
    if (data.size() == 1 && data.begin().value().is_array() && data.begin().value().empty()) return "(none)\n";
    return section(data, "");
}

}  // namespace isthmus::ctl
