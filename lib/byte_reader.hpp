#pragma once
// Bounds-checked cursor over packet bytes. Every read either returns a value
// or a ReadError naming where it ran out; nothing is overlaid on raw memory.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "result.hpp"

namespace isthmus {

struct ReadError {
    std::size_t offset;     // where the failed read started, from the outermost buffer
    std::size_t wanted;     // bytes the read needed
    std::size_t available;  // bytes that were left
    std::string to_string() const;
    bool operator==(const ReadError&) const = default;
};

class ByteReader {
public:
    explicit ByteReader(std::span<const uint8_t> data, std::size_t base_offset = 0)
        : data_(data), base_(base_offset) {}

    Result<uint8_t, ReadError> u8();
    Result<uint16_t, ReadError> u16();  // network byte order
    Result<uint32_t, ReadError> u24();
    Result<uint32_t, ReadError> u32();
    Result<uint64_t, ReadError> u64();
    Result<std::span<const uint8_t>, ReadError> bytes(std::size_t n);
    // A reader over the next n bytes (a nested TLV or attribute); this one skips past them.
    Result<ByteReader, ReadError> sub(std::size_t n);
    // Look ahead without moving.
    Result<uint8_t, ReadError> peek_u8() const;
    Status<ReadError> skip(std::size_t n);

    std::size_t remaining() const { return data_.size() - pos_; }
    bool empty() const { return remaining() == 0; }
    // Offset of the cursor from the start of the outermost buffer (for error data).
    std::size_t offset() const { return base_ + pos_; }
    std::span<const uint8_t> rest() const { return data_.subspan(pos_); }

private:
    Result<uint64_t, ReadError> be(std::size_t n);
    ReadError short_by(std::size_t n) const { return {offset(), n, remaining()}; }

    std::span<const uint8_t> data_;
    std::size_t base_;
    std::size_t pos_ = 0;
};

}  // namespace isthmus
