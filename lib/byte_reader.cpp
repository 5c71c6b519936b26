#include "byte_reader.hpp"

namespace isthmus {

std::string ReadError::to_string() const {
    return "truncated at byte " + std::to_string(offset) + ": needed " + std::to_string(wanted) + ", " +
           std::to_string(available) + " left";
}

Result<uint64_t, ReadError> ByteReader::be(std::size_t n) {
    if (remaining() < n) return err(short_by(n));
    uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = v << 8 | data_[pos_ + i];
    pos_ += n;
    return v;
}

Result<uint8_t, ReadError> ByteReader::u8() {
    auto v = be(1);
    if (!v) return err(v.error());
    return uint8_t(*v);
}

Result<uint16_t, ReadError> ByteReader::u16() {
    auto v = be(2);
    if (!v) return err(v.error());
    return uint16_t(*v);
}

Result<uint32_t, ReadError> ByteReader::u24() {
    auto v = be(3);
    if (!v) return err(v.error());
    return uint32_t(*v);
}

Result<uint32_t, ReadError> ByteReader::u32() {
    auto v = be(4);
    if (!v) return err(v.error());
    return uint32_t(*v);
}

Result<uint64_t, ReadError> ByteReader::u64() { return be(8); }

Result<std::span<const uint8_t>, ReadError> ByteReader::bytes(std::size_t n) {
    if (remaining() < n) return err(short_by(n));
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
}

Result<ByteReader, ReadError> ByteReader::sub(std::size_t n) {
    std::size_t start = offset();
    auto s = bytes(n);
    if (!s) return err(s.error());
    return ByteReader(*s, start);
}

Result<uint8_t, ReadError> ByteReader::peek_u8() const {
    if (remaining() < 1) return err(short_by(1));
    return data_[pos_];
}

Status<ReadError> ByteReader::skip(std::size_t n) {
    if (remaining() < n) return err(short_by(n));
    pos_ += n;
    return ok_unit;
}

}  // namespace isthmus
