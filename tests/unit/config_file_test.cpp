// load_file(): reading problems and document-level errors name the file.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdio>
#include <fstream>

#include "config_test_helpers.hpp"

namespace cfg = isthmus::config;

namespace {

std::vector<std::string> file_errors(const std::string& path) {
    auto r = cfg::load_file(path);
    std::vector<std::string> out;
    if (!r)
        for (const auto& e : r.error()) out.push_back(e.to_string());
    return out;
}

// A file under /tmp for the duration of a test.
struct TempFile {
    std::string path = "/tmp/isthmus-config-test-" + std::to_string(::getpid()) + ".json";
    explicit TempFile(std::string_view text) { std::ofstream(path) << text; }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("config file: a missing file", "[config][file]") {
    CHECK(file_errors("/nonexistent/isthmusd.json") ==
          std::vector<std::string>{"/nonexistent/isthmusd.json: cannot open: No such file or directory"});
}

TEST_CASE("config file: a directory", "[config][file]") {
    CHECK(file_errors("/tmp") == std::vector<std::string>{"/tmp: is a directory, not a config file"});
}

TEST_CASE("config file: syntax errors carry the file name, path errors keep their path", "[config][file]") {
    {
        // nlohmann reports the column where the offending token ends.
        TempFile f("{\n  \"version\": 1\n  \"router-id\": \"192.0.2.1\"\n}\n");
        CHECK(file_errors(f.path) ==
              std::vector<std::string>{f.path +
                                       ": line 3, column 13: syntax error while parsing object - unexpected string "
                                       "literal; expected '}'"});
    }
    {
        TempFile f(R"({"version": 1, "router-id": "192.0.2.1", "log-level": "chatty"})");
        CHECK(file_errors(f.path) ==
              std::vector<std::string>{
                  "log-level: \"chatty\" is not a log level (debug, info, notice, warning, error, critical)"});
    }
}

TEST_CASE("config file: a valid file", "[config][file]") {
    TempFile f(R"({"version": 1, "router-id": "192.0.2.3", "ldp": {"interfaces": [{"name": "eth0"}]}})");
    auto r = cfg::load_file(f.path);
    REQUIRE(r.ok());
    CHECK(r->router_id.to_string() == "192.0.2.3");
}
