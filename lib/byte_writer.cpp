#include "byte_writer.hpp"

#include <stdexcept>

namespace isthmus {

ByteWriter::LengthMark ByteWriter::begin_length(std::size_t width) {
    if (width != 1 && width != 2 && width != 4) throw std::invalid_argument("length field width must be 1, 2 or 4");
    LengthMark m{buf_.size(), width};
    zeros(width);
    return m;
}

bool ByteWriter::end_length(LengthMark m) {
    std::size_t len = buf_.size() - m.at - m.width;
    if (m.width < 4 && len >> (8 * m.width)) return false;
    for (std::size_t i = 0; i < m.width; ++i) buf_[m.at + i] = uint8_t(len >> (8 * (m.width - 1 - i)));
    return true;
}

void ByteWriter::patch_u16(std::size_t at, uint16_t v) {
    buf_.at(at) = uint8_t(v >> 8);
    buf_.at(at + 1) = uint8_t(v);
}

}  // namespace isthmus
