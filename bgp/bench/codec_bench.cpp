// Decode and encode a stream of UPDATEs carrying N 6PE prefixes (issue 4, item 7).
// Prints prefixes/s (one thread, so per core) and bytes allocated per prefix,
// counted by replacing the global operator new. Asserts nothing about speed.
// Usage: bgp_codec_bench [PREFIXES=1000000] [label-per-prefix: 0|1] [extended message: 0|1]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "bgp/codec/message.hpp"
#include "bgp/codec/packing.hpp"

namespace {
std::size_t g_bytes = 0;
std::size_t g_count = 0;
}  // namespace

void* operator new(std::size_t n) {
    g_bytes += n;
    ++g_count;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace isthmus;
using namespace isthmus::bgp;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
    bool label_per_prefix = argc > 2 && argv[2][0] == '1';
    Context ctx;
    ctx.extended_message = argc > 3 && argv[3][0] == '1';

    std::vector<Ipv6Nlri> routes;
    routes.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Ipv6Address::Bytes b{0x20, 0x01, 0x0d, 0xb8, uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)};
        auto l = label_per_prefix ? MplsLabel::checked(uint32_t(16 + i % 1000000)) : MplsLabel::implicit_null();
        routes.push_back({Ipv6Prefix::make(Ipv6Address(b), 56), 0, {l}});
    }
    PathAttributes attrs;
    attrs.origin = Origin::Igp;
    attrs.as_path = AsPath{};
    attrs.local_pref = 100;
    attrs.communities = {Community::make(65001, 6)};

    // Encode: with one label for all, a BGP speaker packs everything in one call.
    std::size_t bytes0 = g_bytes, count0 = g_count;
    auto t0 = Clock::now();
    auto msgs = pack_announcements(attrs, Family::Ipv6Labeled, MappedNextHop{Ipv4Address::from_uint(0xc0000201)}, routes, ctx);
    auto t1 = Clock::now();
    if (!msgs) {
        std::fprintf(stderr, "encode failed: %s\n", msgs.error().reason.c_str());
        return 1;
    }
    std::size_t enc_bytes = g_bytes - bytes0, enc_count = g_count - count0;
    std::size_t wire = 0;
    for (auto& m : *msgs) wire += m.size();

    // Decode every message, as a session would, keeping nothing.
    bytes0 = g_bytes, count0 = g_count;
    std::size_t seen = 0;
    auto t2 = Clock::now();
    for (auto& m : *msgs) {
        auto d = decode(m, ctx);
        if (!d) {
            std::fprintf(stderr, "decode failed: %s\n", d.error().to_string().c_str());
            return 1;
        }
        seen += std::get<Update>(*d).mp_reach->v6.size();
    }
    auto t3 = Clock::now();
    std::size_t dec_bytes = g_bytes - bytes0, dec_count = g_count - count0;
    if (seen != n) {
        std::fprintf(stderr, "decoded %zu of %zu prefixes\n", seen, n);
        return 1;
    }
    auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
    std::printf("%zu 6PE prefixes (/56, %s), %zu UPDATEs of up to %zu bytes, %.1f bytes/prefix on the wire\n", n,
                label_per_prefix ? "a label per prefix" : "one label", msgs->size(), ctx.max_message_size(),
                double(wire) / double(n));
    std::printf("encode: %.3f s, %.2f M prefixes/s, %.1f bytes allocated/prefix (%zu allocations)\n", secs(t1 - t0),
                double(n) / secs(t1 - t0) / 1e6, double(enc_bytes) / double(n), enc_count);
    std::printf("decode: %.3f s, %.2f M prefixes/s, %.1f bytes allocated/prefix (%zu allocations)\n", secs(t3 - t2),
                double(n) / secs(t3 - t2) / 1e6, double(dec_bytes) / double(n), dec_count);
    return 0;
}
