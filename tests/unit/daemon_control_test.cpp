// The control socket: request/response format, command matching, isthmusctl's arguments and text
// rendering, and a real Unix socket served on an io_context.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <thread>
#include <unistd.h>

#include "daemon/control/protocol.hpp"
#include "daemon/control/registry.hpp"
#include "daemon/control/server.hpp"
#include "daemon/ctl/args.hpp"
#include "daemon/ctl/client.hpp"
#include "daemon/ctl/render.hpp"

using namespace isthmus;
using control::Json;

namespace {

control::Request words(std::vector<std::string> w, std::map<std::string, std::string> o = {}) {
    return {std::move(w), std::move(o)};
}

// Handlers that echo what they were called with, so matching and argument splitting are visible.
control::Handler echo(std::string name) {
    return [name](const control::Call& c) -> Result<Json, std::string> {
        Json j;
        j["command"] = name;
        j["args"] = c.args;
        Json o = Json::object();
        for (const auto& [k, v] : c.options) o[k] = v;
        j["options"] = o;
        return j;
    };
}

control::Registry sample_registry() {
    control::Registry r;
    REQUIRE(r.add({"show bgp summary", "", "sessions", 0, 0, {}, echo("show bgp summary")}).ok());
    REQUIRE(r.add({"show bgp neighbor", "<address>", "one session", 1, 1, {}, echo("show bgp neighbor")}).ok());
    REQUIRE(r.add({"show bgp routes", "[prefix]", "routes", 0, 1, {"family"}, echo("show bgp routes")}).ok());
    REQUIRE(r.add({"show ldp neighbors", "", "", 0, 0, {}, echo("show ldp neighbors")}).ok());
    REQUIRE(r.add({"show lsp", "", "", 0, 0, {}, echo("show lsp")}).ok());
    REQUIRE(r.add({"clear bgp", "<neighbor> [soft [in|out]]", "", 1, 3, {}, echo("clear bgp")}).ok());
    REQUIRE(r.add({"reload", "", "", 0, 0, {}, echo("reload")}).ok());
    return r;
}

}  // namespace

TEST_CASE("control requests parse, and bad ones get a specific error", "[control]") {
    auto ok = control::parse_request(R"({"words":["show","bgp","summary"],"options":{"family":"ipv6"}})");
    REQUIRE(ok.ok());
    CHECK(ok->words == std::vector<std::string>{"show", "bgp", "summary"});
    CHECK(ok->options.at("family") == "ipv6");
    auto round = control::parse_request(control::encode_request(*ok));
    REQUIRE(round.ok());
    CHECK(round->words == ok->words);

    CHECK(control::parse_request("show bgp").error() == "request is not valid JSON");
    CHECK(control::parse_request("[1]").error() == "request must be a JSON object");
    CHECK(control::parse_request(R"({"words":"show"})").error() == "\"words\" must be an array of strings");
    CHECK(control::parse_request(R"({"words":["a",1]})").error() == "\"words\" must be an array of strings");
    CHECK(control::parse_request(R"({"words":["a"],"options":{"x":1}})").error() == "option \"x\" must be a string");
    CHECK(control::parse_request(R"({"words":["a"],"verb":1})").error() ==
          "unknown request key \"verb\" (expected \"words\" and \"options\")");
    CHECK(control::parse_request(R"({"words":[]})").error() == "empty command (try \"help\")");
}

TEST_CASE("responses round trip, and invalid UTF-8 in data does not break them", "[control]") {
    auto r = control::parse_response(control::encode_ok(Json{{"name", std::string("eth\xff")}}));
    REQUIRE(r.ok());
    CHECK(r->ok);
    CHECK(r->data["name"].get<std::string>().rfind("eth", 0) == 0);
    auto e = control::parse_response(control::encode_error("no such neighbor"));
    REQUIRE(e.ok());
    CHECK_FALSE(e->ok);
    CHECK(e->error == "no such neighbor");
    CHECK_FALSE(control::parse_response("{\"data\":1}").ok());
}

TEST_CASE("commands match whole or abbreviated words; the rest are arguments", "[control]") {
    auto r = sample_registry();
    auto full = r.dispatch(words({"show", "bgp", "neighbor", "192.0.2.2"}));
    REQUIRE(full.ok());
    CHECK((*full)["command"] == "show bgp neighbor");
    CHECK((*full)["args"] == Json::array({"192.0.2.2"}));

    auto abbrev = r.dispatch(words({"sh", "b", "sum"}));
    REQUIRE(abbrev.ok());
    CHECK((*abbrev)["command"] == "show bgp summary");

    auto exact_wins = r.dispatch(words({"show", "lsp"}));
    REQUIRE(exact_wins.ok());
    CHECK((*exact_wins)["command"] == "show lsp");

    auto clear = r.dispatch(words({"clear", "bgp", "192.0.2.2", "soft", "in"}));
    REQUIRE(clear.ok());
    CHECK((*clear)["args"] == Json::array({"192.0.2.2", "soft", "in"}));

    auto opt = r.dispatch(words({"show", "bgp", "routes"}, {{"family", "ipv6-labeled-unicast"}}));
    REQUIRE(opt.ok());
    CHECK((*opt)["options"]["family"] == "ipv6-labeled-unicast");
}

TEST_CASE("unknown, ambiguous, incomplete and misused commands say exactly what is wrong", "[control]") {
    auto r = sample_registry();
    CHECK(r.dispatch(words({"frobnicate"})).error() == "unknown command \"frobnicate\" (\"help\" lists the commands)");
    CHECK(r.dispatch(words({"show", "l"})).error() == "\"show l\" is ambiguous: show ldp, show lsp");
    CHECK(r.dispatch(words({"show", "bgp"})).error() ==
          "\"show bgp\" is incomplete; it could be:\n  show bgp neighbor <address>\n"
          "  show bgp routes [prefix] [--family <value>]\n  show bgp summary");
    CHECK(r.dispatch(words({"show", "bgp", "neighbor"})).error() == "usage: show bgp neighbor <address>");
    CHECK(r.dispatch(words({"reload", "now"})).error() == "usage: reload");
    CHECK(r.dispatch(words({"show", "lsp"}, {{"family", "x"}})).error() ==
          "\"show lsp\" takes no option --family; usage: show lsp");
    CHECK(r.add({"show lsp", "", "", 0, 0, {}, echo("dup")}).error() == "control command \"show lsp\" is already registered");
    r.remove("show lsp");
    CHECK(r.dispatch(words({"show", "lsp"})).error() == "unknown command \"show lsp\" (\"help\" lists the commands)");
}

TEST_CASE("isthmusctl arguments: own options, command words and command options", "[control]") {
    auto a = ctl::parse_args({"isthmusctl", "--json", "show", "bgp", "routes", "--family", "ipv6", "2001:db8::/48"}, "");
    REQUIRE(a.ok());
    CHECK(a->json);
    CHECK(a->socket == ctl::kDefaultSocket);
    CHECK(a->request.words == std::vector<std::string>{"show", "bgp", "routes", "2001:db8::/48"});
    CHECK(a->request.options.at("family") == "ipv6");
    auto env = ctl::parse_args({"isthmusctl", "show", "lsp"}, "/tmp/x.sock");
    CHECK(env->socket == "/tmp/x.sock");
    auto flag = ctl::parse_args({"isthmusctl", "--socket", "/tmp/y.sock", "show", "lsp"}, "/tmp/x.sock");
    CHECK(flag->socket == "/tmp/y.sock");
    CHECK(ctl::parse_args({"isthmusctl"}, "").error() == "no command given (try \"isthmusctl help\")");
    CHECK(ctl::parse_args({"isthmusctl", "show", "--family"}, "").error() == "--family needs a value");
    CHECK(ctl::parse_args({"isthmusctl", "--socket"}, "").error() == "--socket needs a path");
}

TEST_CASE("any answer renders as text: fields, tables in the producer's column order, sections", "[control]") {
    Json summary;
    summary["router-id"] = "192.0.2.1";
    summary["established"] = 2;
    Json rows = Json::array();
    rows.push_back(Json{{"neighbor", "192.0.2.2"}, {"as", 65000}, {"state", "Established"}});
    rows.push_back(Json{{"neighbor", "2001:db8::10"}, {"as", 65010}, {"state", "Idle"}});
    summary["neighbors"] = rows;
    CHECK(ctl::render(summary) ==
          "router-id:   192.0.2.1\n"
          "established: 2\n"
          "neighbors:\n"
          "  neighbor      as     state\n"
          "  192.0.2.2     65000  Established\n"
          "  2001:db8::10  65010  Idle\n");
    CHECK(ctl::render(Json{{"routes", rows}}) ==
          "neighbor      as     state\n192.0.2.2     65000  Established\n2001:db8::10  65010  Idle\n");
    CHECK(ctl::render(Json{{"routes", Json::array()}}) == "(none)\n");
    CHECK(ctl::render(Json{{"labels", Json::array({16, 17})}, {"up", true}, {"peer", nullptr}}) ==
          "labels: 16, 17\nup:     yes\npeer:   -\n");
}

TEST_CASE("the control server answers over a real Unix socket and refuses a second daemon", "[control]") {
    auto dir = std::filesystem::temp_directory_path() / ("isthmus-ctl-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "sub" / "isthmusd.sock").string();
    boost::asio::io_context io;
    auto registry = sample_registry();
    control::Server server(io, registry);
    REQUIRE(server.open(path).ok());  // creates the missing directories
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
           std::filesystem::perms::group_read | std::filesystem::perms::group_write));

    Result<control::Response, ctl::ClientError> good = err(ctl::ClientError{});
    Result<control::Response, ctl::ClientError> bad = err(ctl::ClientError{});
    std::thread client([&] {
        good = ctl::call(path, words({"sh", "bgp", "nei", "192.0.2.2"}));
        bad = ctl::call(path, words({"show", "bgp"}));
        io.stop();
    });
    io.run();
    client.join();
    REQUIRE(good.ok());
    CHECK(good->ok);
    CHECK(good->data["args"] == Json::array({"192.0.2.2"}));
    REQUIRE(bad.ok());
    CHECK_FALSE(bad->ok);
    CHECK(bad->error.rfind("\"show bgp\" is incomplete", 0) == 0);

    // A second daemon on the same path must not steal the socket while the first listens.
    boost::asio::io_context io2;
    control::Registry r2;
    control::Server second(io2, r2);
    auto refused = second.open(path);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() == "control socket " + path + " is in use: another isthmusd is running with it");

    server.close();
    CHECK_FALSE(std::filesystem::exists(path));
    auto none = ctl::call(path, words({"show", "lsp"}));
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().connect_failed);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a stale socket file from a crashed daemon is replaced", "[control]") {
    auto dir = std::filesystem::temp_directory_path() / ("isthmus-stale-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "isthmusd.sock").string();
    {
        // Bound and closed without unlinking: what a killed daemon leaves.
        boost::asio::io_context io;
        boost::asio::local::stream_protocol::acceptor a(io, boost::asio::local::stream_protocol::endpoint(path));
    }
    REQUIRE(std::filesystem::exists(path));
    boost::asio::io_context io;
    control::Registry r;
    control::Server server(io, r);
    CHECK(server.open(path).ok());
    server.close();
    std::filesystem::remove_all(dir);
}
