// "labels": the sub-ranges of the one label allocator (DECISIONS item 1).
#include <array>

#include "sections.hpp"

namespace isthmus::config::detail {

namespace {

std::optional<LabelRange> parse_range(const Node& n) {
    auto o = ObjectNode::open(n, {"first", "last"});
    if (!o) return std::nullopt;
    // 0-15 are reserved (RFC 3032); 20 bits.
    std::optional<uint32_t> first, last;
    if (auto f = o->require("first")) first = f->integer(MplsLabel::kFirstUnreserved, MplsLabel::kMaxValue);
    if (auto l = o->require("last")) last = l->integer(MplsLabel::kFirstUnreserved, MplsLabel::kMaxValue);
    if (!first || !last) return std::nullopt;
    if (*first > *last) {
        n.error("first " + std::to_string(*first) + " is greater than last " + std::to_string(*last));
        return std::nullopt;
    }
    return LabelRange{label_constant(*first), label_constant(*last)};
}

}  // namespace

void parse_labels(const Node& n, LabelRanges& out) {
    auto o = ObjectNode::open(n, {"ldp", "bgp", "recirculation"});
    if (!o) return;
    struct Client {
        std::string_view key;
        LabelRange* range;
        bool configured = false;
        bool valid = true;
    };
    std::array<Client, 3> clients{{{"ldp", &out.ldp}, {"bgp", &out.bgp}, {"recirculation", &out.recirculation}}};
    for (auto& c : clients) {
        auto node = o->get(c.key);
        if (!node) continue;
        c.configured = true;
        auto r = parse_range(*node);
        if (r)
            *c.range = *r;
        else
            c.valid = false;
    }
    // Report each overlap once, at a range the user wrote (defaults never overlap each other).
    for (std::size_t i = 0; i < clients.size(); ++i) {
        for (std::size_t j = i + 1; j < clients.size(); ++j) {
            auto& a = clients[i];
            auto& b = clients[j];
            if (!a.valid || !b.valid || !a.range->overlaps(*b.range)) continue;
            auto& here = b.configured ? b : a;
            auto& other = b.configured ? a : b;
            n.ctx().error(join_path(n.path(), here.key), here.range->to_string() + " overlaps labels." +
                                                             std::string(other.key) + " (" + other.range->to_string() +
                                                             (other.configured ? ")" : ", the default)"));
        }
    }
}

}  // namespace isthmus::config::detail
