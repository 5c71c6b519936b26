// Deterministic mutations of every .hex vector: decoding must never
// crash (run under the sanitizers), and whatever decodes must re-encode to a
// fixed point: encode(decode(encode(decode(x)))) == encode(decode(x)).
// Runs in the unit suite; the libFuzzer targets in bgp/fuzz/ go further.
#include <catch2/catch.hpp>
#include <filesystem>

#include "bgp/codec/message.hpp"
#include "bgp_test_util.hpp"

using namespace isthmus;
using namespace isthmus::bgp;

namespace {

std::vector<std::vector<uint8_t>> seeds() {
    std::vector<std::vector<uint8_t>> out;
    for (auto& entry : std::filesystem::directory_iterator(test::data_path("")))
        if (entry.path().extension() == ".hex") out.push_back(test::load_vector(entry.path().filename().string()));
    return out;
}

// Keeps the header length consistent with the mutated size so the body gets exercised.
void fix_length(std::vector<uint8_t>& m) {
    if (m.size() >= 19) {
        m[16] = uint8_t(m.size() >> 8);
        m[17] = uint8_t(m.size());
    }
}

void check_fixed_point(std::span<const uint8_t> bytes, const Context& ctx, std::size_t& decoded, std::size_t& stable) {
    auto m = decode(bytes, ctx);
    if (!m) return;
    ++decoded;
    auto b1 = encode(*m, ctx);
    if (!b1) return;  // e.g. grew past 4096 with AS4_PATH added for a 2-octet peer
    auto m2 = decode(*b1, ctx);
    INFO("re-encoded: " << test::to_hex(*b1));
    REQUIRE(m2);
    auto b2 = encode(*m2, ctx);
    REQUIRE(b2);
    CHECK(*b2 == *b1);
    ++stable;
}

}  // namespace

TEST_CASE("mutated vectors decode cleanly and re-encode to a fixed point", "[bgp][malformed]") {
    auto inputs = seeds();
    REQUIRE(inputs.size() >= 10);
    uint64_t state = 12345;
    auto next = [&](uint32_t bound) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return uint32_t((state >> 33) % bound);
    };
    std::vector<Context> contexts(4);
    contexts[1].four_octet_as = false;
    contexts[1].peer = PeerKind::External;
    contexts[2].add_path.fill(true);
    contexts[3].extended_message = true;
    contexts[3].extended_next_hop.fill(true);

    std::size_t decoded = 0, stable = 0, runs = 0;
    for (auto& seed : inputs) {
        for (int i = 0; i < 600; ++i) {
            auto m = seed;
            int edits = 1 + int(next(4));
            for (int e = 0; e < edits; ++e) {
                uint32_t kind = next(4);
                std::size_t at = 19 + next(uint32_t(m.size() > 19 ? m.size() - 19 : 1));
                if (kind == 0 && at < m.size()) m[at] = uint8_t(next(256));          // replace
                else if (kind == 1 && at < m.size()) m[at] ^= uint8_t(1 << next(8));  // flip a bit
                else if (kind == 2 && at < m.size()) m.erase(m.begin() + std::ptrdiff_t(at));
                else m.insert(m.begin() + std::ptrdiff_t(std::min(at, m.size())), uint8_t(next(256)));
            }
            fix_length(m);
            for (auto& ctx : contexts) {
                ++runs;
                check_fixed_point(m, ctx, decoded, stable);
            }
        }
    }
    INFO("runs " << runs << ", decoded " << decoded << ", stable " << stable);  // 38400 / ~11650 / same
    CHECK(decoded > runs / 10);  // the mutations must not all die at the header
    CHECK(stable == decoded);
}
