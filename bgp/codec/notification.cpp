#include "notification.hpp"

#include <algorithm>

#include "bgp/codec/header.hpp"

namespace isthmus::bgp {

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = uint8_t(s[i]);
        std::size_t n = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            auto cc = uint8_t(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = cp << 6 | (cc & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

std::optional<std::string> Notification::shutdown_communication() const {
    if (code != uint8_t(ErrorCode::Cease) ||
        (subcode != cease::kAdministrativeShutdown && subcode != cease::kAdministrativeReset) || data.empty())
        return std::nullopt;
    std::size_t len = data[0];
    if (len + 1 > data.size()) return std::nullopt;
    std::string text(data.begin() + 1, data.begin() + 1 + std::ptrdiff_t(len));
    if (!is_valid_utf8(text)) return std::nullopt;
    return text;
}

Notification to_notification(const DecodeError& e) { return {uint8_t(e.code), e.subcode, e.data}; }

Notification make_shutdown(uint8_t cease_subcode, std::string_view text) {
    std::size_t len = text.size() < kMaxShutdownCommunication ? text.size() : kMaxShutdownCommunication;
    while (len > 0 && len < text.size() && (uint8_t(text[len]) & 0xc0) == 0x80) --len;  // keep whole characters
    Notification n{uint8_t(ErrorCode::Cease), cease_subcode, std::vector<uint8_t>(len + 1)};
    n.data[0] = uint8_t(len);
    std::copy(text.begin(), text.begin() + std::ptrdiff_t(len), n.data.begin() + 1);
    return n;
}

Result<Notification, DecodeError> decode_notification(ByteReader body) {
    auto code = body.u8();
    auto subcode = body.u8();
    if (!subcode)
        return err(truncated(subcode.error(), ErrorCode::MessageHeader, header_error::kBadMessageLength,
                             ErrorAction::SessionReset, "NOTIFICATION shorter than 21 bytes"));
    auto rest = body.rest();
    return Notification{*code, *subcode, {rest.begin(), rest.end()}};
}

Status<EncodeError> encode(const Notification& n, ByteWriter& w, std::size_t max_size) {
    std::size_t start = begin_message(w, MessageType::Notification);
    w.u8(n.code);
    w.u8(n.subcode);
    w.bytes(n.data);
    return end_message(w, start, max_size);
}

}  // namespace isthmus::bgp
