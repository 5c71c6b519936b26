// The "session-protection" key of "ldp": a boolean, or {"enabled", "duration"}.
#include <catch2/catch.hpp>

#include "lib/config/config.hpp"

using namespace isthmus;

namespace {

std::string with_protection(const std::string& value) {
    return R"({"version": 1, "router-id": "192.0.2.3", "ldp": {"interfaces": [{"name": "eth0"}], "session-protection": )" +
           value + "}}";
}

}  // namespace

TEST_CASE("ldp session-protection: boolean or object", "[ldp][protection][config]") {
    auto off = config::parse(R"({"version": 1, "router-id": "192.0.2.3", "ldp": {"interfaces": [{"name": "eth0"}]}})");
    REQUIRE(off.ok());
    CHECK_FALSE(off->ldp->session_protection);

    auto on = config::parse(with_protection("true"));
    REQUIRE(on.ok());
    CHECK(on->ldp->session_protection);
    CHECK_FALSE(on->ldp->session_protection_duration);

    auto timed = config::parse(with_protection(R"({"duration": 600})"));
    REQUIRE(timed.ok());
    CHECK(timed->ldp->session_protection);
    CHECK(timed->ldp->session_protection_duration == std::chrono::seconds(600));

    auto disabled = config::parse(with_protection(R"({"enabled": false, "duration": 600})"));
    REQUIRE(disabled.ok());
    CHECK_FALSE(disabled->ldp->session_protection);

    CHECK_FALSE(config::parse(with_protection(R"({"duration": 0})")).ok());
    CHECK_FALSE(config::parse(with_protection(R"({"time": 5})")).ok());
    CHECK_FALSE(config::parse(with_protection(R"("yes")")).ok());
}
