#pragma once
// Appends network-order fields to a growing buffer. Length fields of nested
// TLVs are reserved first and filled in when the nested part is done.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace isthmus {

class ByteWriter {
public:
    // A reserved length field: where it sits and how wide it is (1, 2 or 4 bytes).
    struct LengthMark {
        std::size_t at;
        std::size_t width;
    };

    ByteWriter() = default;
    explicit ByteWriter(std::vector<uint8_t> initial) : buf_(std::move(initial)) {}

    void u8(uint8_t v) { buf_.push_back(v); }
    void u16(uint16_t v) { be(v, 2); }
    void u24(uint32_t v) { be(v, 3); }
    void u32(uint32_t v) { be(v, 4); }
    void u64(uint64_t v) { be(v, 8); }
    void bytes(std::span<const uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
    void zeros(std::size_t n) { buf_.insert(buf_.end(), n, 0); }

    LengthMark begin_length(std::size_t width);
    // Writes the number of bytes written after the mark; false if it does not fit the width.
    bool end_length(LengthMark m);
    // Overwrite a 16-bit field written earlier (a header length, say).
    void patch_u16(std::size_t at, uint16_t v);

    std::size_t size() const { return buf_.size(); }
    const std::vector<uint8_t>& data() const { return buf_; }
    std::vector<uint8_t> take() { return std::move(buf_); }
    void truncate(std::size_t n) { buf_.resize(n); }  // roll back a part that did not fit

private:
    void be(uint64_t v, std::size_t n) {
        for (std::size_t i = n; i-- > 0;) buf_.push_back(uint8_t(v >> (8 * i)));
    }
    std::vector<uint8_t> buf_;
};

}  // namespace isthmus
