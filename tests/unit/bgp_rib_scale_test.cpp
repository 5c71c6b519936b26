// A scale run of the RIB, hidden from the default run (tag [.rib-scale]): N CE prefixes in, ten
// 6PE peers in one update group out. Prints figures; asserts only correctness.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "bgp_rib_fixture.hpp"

using namespace isthmus;
using namespace isthmus::bgp;
using namespace isthmus::bgp::rib;
using namespace isthmus::bgp::rib::test;

TEST_CASE("scale: RIB, CE prefixes into 6PE toward ten peers", "[.rib-scale]") {
    std::size_t n = 100000;
    if (const char* e = std::getenv("ISTHMUS_RIB_SCALE")) n = std::strtoul(e, nullptr, 10);
    auto cfg = base_config();
    cfg.label_mode = config::LabelMode::per_prefix;
    Fixture fx(cfg);
    auto c1 = ce(1);
    fx.up(1, c1);
    for (uint32_t i = 2; i < 12; ++i) fx.up(i, pe(int(i)));
    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    auto k0 = std::clock();
    // 100 prefixes per attribute set, 1000 per UPDATE as a CE would send them.
    for (std::size_t base = 0; base < n; base += 1000) {
        Update u;
        u.attrs = attrs_with({65101, uint32_t(base / 100 % 60000 + 1)});
        MpReach r;
        r.family = Family::Ipv6Unicast;
        r.next_hop = Ipv6NextHop{c1.address.v6(), std::nullopt};
        for (std::size_t i = base; i < std::min(n, base + 1000); ++i) {
            Ipv6Address::Bytes b{0x20, 0x01, 0x0d, 0xb8, uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)};
            r.v6.push_back({Ipv6Prefix::make(Ipv6Address(b), 56), 0, {}});
        }
        u.mp_reach = r;
        fx.rib->receive(PeerId{1}, u);
    }
    auto t1 = clock::now();
    auto k1 = std::clock();
    fx.rib->flush();
    auto t2 = clock::now();
    auto k2 = std::clock();
    std::size_t msgs = 0, bytes = 0;
    for (uint32_t i = 2; i < 12; ++i)
        for (auto& m : fx.rib->take_output(PeerId{i})) {
            ++msgs;
            bytes += m.size();
        }
    auto t3 = clock::now();
    CHECK(fx.rib->loc_rib_size() == n);
    CHECK(fx.rib->adj_rib_out_size(PeerId{2}) == n);
    // Per-prefix labels until the bgp range (40,000 by default) runs out, explicit null after.
    auto range = std::size_t(fx.alloc.range(LabelClient::bgp).size());
    CHECK(fx.alloc.used(LabelClient::bgp) == std::min(n, range));
    CHECK(fx.rib->counters().labels_exhausted == (n > range ? n - range : 0));
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    auto cpu = [](std::clock_t a, std::clock_t b) { return 1000.0 * double(b - a) / CLOCKS_PER_SEC; };
    std::printf("rib scale: %zu prefixes, %zu attribute sets interned: receive+decide %.0f ms (cpu %.0f), "
                "flush, packed once for the group %.0f ms (cpu %.0f), take_output x10 %.0f ms, "
                "%zu messages / %zu bytes to 10 peers\n",
                n, fx.rib->interned_attribute_sets(), ms(t1 - t0), cpu(k0, k1), ms(t2 - t1), cpu(k1, k2),
                ms(t3 - t2), msgs, bytes);
}
