#include <catch2/catch.hpp>

#include "daemon/args.hpp"

using namespace isthmus::daemon;

TEST_CASE("isthmusd runs the default config without arguments", "[daemon]") {
    auto a = parse_args({"isthmusd"});
    REQUIRE(a);
    CHECK(a->mode == Args::Mode::run);
    CHECK(a->config_path == kDefaultConfigPath);
}

TEST_CASE("isthmusd command line", "[daemon]") {
    CHECK(parse_args({"isthmusd", "-c", "/tmp/x.json"})->config_path == "/tmp/x.json");
    CHECK(parse_args({"isthmusd", "--config", "/tmp/x.json"})->mode == Args::Mode::run);
    auto check = parse_args({"isthmusd", "--check-config", "/tmp/y.json"});
    REQUIRE(check);
    CHECK(check->mode == Args::Mode::check_config);
    CHECK(check->config_path == "/tmp/y.json");
    CHECK(parse_args({"isthmusd", "--version"})->mode == Args::Mode::version);
    CHECK(parse_args({"isthmusd", "-h"})->mode == Args::Mode::help);
}

TEST_CASE("isthmusd rejects bad command lines", "[daemon]") {
    CHECK(parse_args({"isthmusd", "--config"}).error() == "--config needs a file name");
    CHECK(parse_args({"isthmusd", "--check-config"}).error() == "--check-config needs a file name");
    CHECK(parse_args({"isthmusd", "-x"}).error() == "unknown argument \"-x\" (see --help)");
}
