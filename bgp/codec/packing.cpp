#include "packing.hpp"

#include <type_traits>

#include "bgp/codec/update.hpp"

namespace isthmus::bgp {

namespace {

template <class Prefix>
std::vector<BasicNlri<Prefix>>& slot(Update& u, bool mp, bool withdraw) {
    if constexpr (std::is_same_v<Prefix, Ipv6Prefix>) {
        return withdraw ? u.mp_unreach->v6 : u.mp_reach->v6;
    } else {
        if (mp) return withdraw ? u.mp_unreach->v4 : u.mp_reach->v4;
        return withdraw ? u.withdrawn : u.nlri;
    }
}

// base holds everything but the prefixes; fills messages greedily, the size of
// each computed ahead so that every message is encoded exactly once.
template <class Prefix>
Result<Messages, EncodeError> pack(Update base, Family f, bool mp, bool withdraw,
                                   std::span<const BasicNlri<Prefix>> routes, const Context& ctx) {
    ByteWriter w;
    if (auto s = encode(base, ctx, w); !s) return err(s.error());
    const std::size_t base_size = w.size();
    const std::size_t mp_base = !mp ? 0 : withdraw ? 3 : mp_reach_base_length(*base.mp_reach);
    const NlriCoding coding = mp ? nlri_coding(f, ctx, withdraw) : NlriCoding{ctx.has_add_path(f), false, false};
    const std::size_t max = ctx.max_message_size();

    Messages out;
    std::size_t i = 0;
    while (i < routes.size()) {
        std::size_t size = base_size, value = mp_base, n = 0;
        for (; i + n < routes.size(); ++n) {
            std::size_t s = encoded_size(routes[i + n], coding);
            // The MP attribute's length octet becomes two past 255 bytes.
            std::size_t grow = mp && value <= 255 && value + s > 255 ? 1 : 0;
            if (size + s + grow > max) break;
            size += s + grow;
            value += s;
        }
        if (n == 0) return err(EncodeError{"prefix " + routes[i].prefix.to_string() + " does not fit a message"});
        auto& list = slot<Prefix>(base, mp, withdraw);
        list.assign(routes.begin() + std::ptrdiff_t(i), routes.begin() + std::ptrdiff_t(i + n));
        w.truncate(0);
        if (auto s = encode(base, ctx, w); !s) return err(s.error());
        out.push_back(w.data());
        i += n;
    }
    return out;
}

template <class Prefix>
Result<Messages, EncodeError> announce(const PathAttributes& attrs, Family f, const NextHop& nh,
                                       std::span<const BasicNlri<Prefix>> routes, const Context& ctx) {
    if (is_ipv6(f) != std::is_same_v<Prefix, Ipv6Prefix>)
        return err(EncodeError{"prefixes do not belong to AFI/SAFI " + afi_safi_of(f).to_string()});
    Update base;
    base.attrs = attrs;
    base.attrs.next_hop.reset();
    bool mp = !(f == Family::Ipv4Unicast && std::holds_alternative<Ipv4Address>(nh));
    if (mp)
        base.mp_reach = MpReach{f, nh, {}, {}};
    else
        base.attrs.next_hop = std::get<Ipv4Address>(nh);
    return pack<Prefix>(std::move(base), f, mp, false, routes, ctx);
}

template <class Prefix>
Result<Messages, EncodeError> withdraw(Family f, std::span<const BasicNlri<Prefix>> routes, const Context& ctx) {
    if (is_ipv6(f) != std::is_same_v<Prefix, Ipv6Prefix>)
        return err(EncodeError{"prefixes do not belong to AFI/SAFI " + afi_safi_of(f).to_string()});
    Update base;
    bool mp = f != Family::Ipv4Unicast;
    if (mp) base.mp_unreach = MpUnreach{f, {}, {}};
    return pack<Prefix>(std::move(base), f, mp, true, routes, ctx);
}

}  // namespace

Result<Messages, EncodeError> pack_announcements(const PathAttributes& attrs, Family f, const NextHop& nh,
                                                 std::span<const Ipv4Nlri> routes, const Context& ctx) {
    return announce<Ipv4Prefix>(attrs, f, nh, routes, ctx);
}
Result<Messages, EncodeError> pack_announcements(const PathAttributes& attrs, Family f, const NextHop& nh,
                                                 std::span<const Ipv6Nlri> routes, const Context& ctx) {
    return announce<Ipv6Prefix>(attrs, f, nh, routes, ctx);
}
Result<Messages, EncodeError> pack_withdrawals(Family f, std::span<const Ipv4Nlri> routes, const Context& ctx) {
    return withdraw<Ipv4Prefix>(f, routes, ctx);
}
Result<Messages, EncodeError> pack_withdrawals(Family f, std::span<const Ipv6Nlri> routes, const Context& ctx) {
    return withdraw<Ipv6Prefix>(f, routes, ctx);
}

}  // namespace isthmus::bgp
