// The malformed-input corpus (tests/data/bgp/malformed.txt): every case must
// fail cleanly with exactly the NOTIFICATION code/subcode and RFC 7606 action listed.
#include <catch2/catch.hpp>
#include <sstream>

#include "bgp/codec/message.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

namespace {

struct Case {
    std::string name;
    Context ctx;
    std::vector<uint8_t> bytes;
    int code = 0;
    int subcode = 0;
    ErrorAction action = ErrorAction::SessionReset;
};

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t");
    auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string part;
    while (std::getline(ss, part, sep)) out.push_back(trim(part));
    return out;
}

Context parse_context(const std::string& text) {
    Context ctx;
    for (auto& opt : split(text, ',')) {
        if (opt == "-") continue;
        if (opt == "as2") ctx.four_octet_as = false;
        else if (opt == "ebgp") ctx.peer = PeerKind::External;
        else if (opt == "extmsg") ctx.extended_message = true;
        else if (opt == "ap4") ctx.add_path[std::size_t(Family::Ipv4Unicast)] = true;
        else if (opt == "ap6") ctx.add_path[std::size_t(Family::Ipv6Unicast)] = true;
        else if (opt == "ap6lu") ctx.add_path[std::size_t(Family::Ipv6Labeled)] = true;
        else if (opt == "enh4") ctx.extended_next_hop[std::size_t(Family::Ipv4Unicast)] = true;
        else throw std::invalid_argument("unknown context " + opt);
    }
    return ctx;
}

ErrorAction parse_action(const std::string& a) {
    if (a == "discard") return ErrorAction::AttributeDiscard;
    if (a == "withdraw") return ErrorAction::TreatAsWithdraw;
    if (a == "afisafi") return ErrorAction::AfiSafiDisable;
    if (a == "reset") return ErrorAction::SessionReset;
    throw std::invalid_argument("unknown action " + a);
}

std::vector<Case> load_corpus() {
    std::vector<Case> cases;
    std::stringstream in(test::read_text("malformed.txt"));
    std::string line;
    while (std::getline(in, line)) {
        if (trim(line).empty() || trim(line)[0] == '#') continue;
        auto f = split(line, '|');
        if (f.size() != 5) throw std::invalid_argument("bad corpus line: " + line);
        Case c;
        c.name = f[0];
        c.ctx = parse_context(f[1]);
        auto body = test::hex(f[3]);
        c.bytes = f[2] == "raw" ? body : test::message(uint8_t(std::stoi(f[2])), body);
        auto expect = split(f[4], ' ');
        c.code = std::stoi(expect.at(0));
        c.subcode = std::stoi(expect.at(1));
        c.action = parse_action(expect.at(2));
        cases.push_back(std::move(c));
    }
    return cases;
}

}  // namespace

TEST_CASE("malformed corpus: each case gives its exact error and action", "[bgp][malformed]") {
    auto cases = load_corpus();
    REQUIRE(cases.size() >= 40);
    for (auto& c : cases) {
        INFO("case " << c.name << ": " << test::to_hex(c.bytes));
        auto m = decode(c.bytes, c.ctx);
        const DecodeError* e = nullptr;
        if (c.action == ErrorAction::SessionReset) {
            REQUIRE_FALSE(m);
            e = &m.error();
        } else {
            INFO((m ? std::string() : "unexpected failure: " + m.error().to_string()));
            REQUIRE(m);
            REQUIRE(std::holds_alternative<Update>(*m));
            e = std::get<Update>(*m).worst_error();
            REQUIRE(e);
        }
        INFO("got " << e->to_string());
        CHECK(int(e->code) == c.code);
        CHECK(int(e->subcode) == c.subcode);
        CHECK(e->action == c.action);
        CHECK(e->offset < c.bytes.size());  // points into the message
        if (e->action == ErrorAction::AfiSafiDisable) CHECK(e->afi_safi);
    }
}

TEST_CASE("malformed corpus: every prefix of every case fails cleanly", "[bgp][malformed]") {
    // Truncations at every length exercise each bounds check; none may crash or be accepted
    // as a different message type. Run under the sanitizers.
    for (auto& c : load_corpus()) {
        for (std::size_t n = 0; n < c.bytes.size(); ++n) {
            std::span<const uint8_t> part(c.bytes.data(), n);
            auto h = frame(part, c.ctx);
            auto m = decode(part, c.ctx);
            if (n < kHeaderSize) {
                CHECK(h);
                CHECK_FALSE(m);
            }
        }
    }
}
