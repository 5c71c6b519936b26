#include "message_builder.hpp"

#include <linux/netlink.h>

#include <cstring>

namespace isthmus::netlink {

namespace {
void put_u16_at(std::vector<uint8_t>& out, std::size_t at, uint16_t v) { std::memcpy(out.data() + at, &v, 2); }
}  // namespace

MessageBuilder::MessageBuilder(std::vector<uint8_t>& out, uint16_t type, uint16_t flags)
    : out_(out), start_(out.size()) {
    nlmsghdr h{};
    h.nlmsg_len = sizeof h;
    h.nlmsg_type = type;
    h.nlmsg_flags = uint16_t(flags | NLM_F_REQUEST);
    raw(&h, sizeof h);
}

void MessageBuilder::pad() { out_.resize(start_ + align4(out_.size() - start_), 0); }

void MessageBuilder::raw(const void* data, std::size_t len) {
    auto at = out_.size();
    out_.resize(at + len);
    if (len) std::memcpy(out_.data() + at, data, len);
    pad();
}

void MessageBuilder::attr(uint16_t type, const void* data, std::size_t len) {
    nlattr a{uint16_t(NLA_HDRLEN + len), type};
    auto at = out_.size();
    out_.resize(at + NLA_HDRLEN + len);
    std::memcpy(out_.data() + at, &a, sizeof a);
    if (len) std::memcpy(out_.data() + at + NLA_HDRLEN, data, len);
    pad();
}

std::size_t MessageBuilder::begin_nest(uint16_t type, bool nested_flag) {
    auto at = out_.size();
    attr(nested_flag ? uint16_t(type | NLA_F_NESTED) : type, nullptr, 0);
    return at;
}

void MessageBuilder::end_nest(std::size_t token) { put_u16_at(out_, token, uint16_t(out_.size() - token)); }

std::size_t MessageBuilder::begin_sized(const void* data, std::size_t len) {
    auto at = out_.size();
    raw(data, len);
    return at;
}

void MessageBuilder::end_sized(std::size_t token) { put_u16_at(out_, token, uint16_t(out_.size() - token)); }

std::span<const uint8_t> MessageBuilder::finish() {
    uint32_t len = uint32_t(out_.size() - start_);
    std::memcpy(out_.data() + start_, &len, sizeof len);
    return {out_.data() + start_, len};
}

}  // namespace isthmus::netlink
