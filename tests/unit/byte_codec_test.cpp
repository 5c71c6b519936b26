#include <catch2/catch.hpp>
#include <vector>

#include "lib/byte_reader.hpp"
#include "lib/byte_writer.hpp"

using namespace isthmus;

TEST_CASE("reader decodes network order", "[bytes]") {
    std::vector<uint8_t> buf{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
    ByteReader r(buf);
    CHECK(*r.u8() == 0x01);
    CHECK(*r.u16() == 0x0203);
    CHECK(*r.u24() == 0x040506);
    CHECK(*r.u32() == 0x0708090a);
    CHECK(r.empty());
    CHECK(r.offset() == 10);
}

TEST_CASE("reader refuses to run past the end and says where", "[bytes]") {
    std::vector<uint8_t> buf{0xaa, 0xbb, 0xcc};
    ByteReader r(buf);
    REQUIRE(r.u8());
    auto v = r.u32();
    REQUIRE_FALSE(v);
    CHECK(v.error() == ReadError{1, 4, 2});
    CHECK(v.error().to_string() == "truncated at byte 1: needed 4, 2 left");
    // A failed read does not move the cursor.
    CHECK(*r.u16() == 0xbbcc);
    CHECK_FALSE(r.u8());
    CHECK_FALSE(r.peek_u8());
    CHECK_FALSE(r.skip(1));
    CHECK(r.skip(0));
    CHECK_FALSE(ByteReader({}).u64());
}

TEST_CASE("sub-readers bound nested parts and keep absolute offsets", "[bytes]") {
    std::vector<uint8_t> buf{0x00, 0x02, 0x11, 0x22, 0x33};
    ByteReader r(buf);
    auto len = r.u16();
    REQUIRE(len);
    auto inner = r.sub(*len);
    REQUIRE(inner);
    CHECK(inner->remaining() == 2);
    CHECK(*inner->peek_u8() == 0x11);
    CHECK(*inner->u16() == 0x1122);
    auto e = inner->u8();
    REQUIRE_FALSE(e);
    CHECK(e.error().offset == 4);  // absolute, not relative to the nested part
    CHECK(*r.u8() == 0x33);
    ByteReader r2(buf);
    CHECK(r2.sub(6).error() == ReadError{0, 6, 5});
    auto b = r2.bytes(2);
    REQUIRE(b);
    CHECK(b->size() == 2);
    CHECK(r2.rest().size() == 3);
    CHECK(*r2.u64().error().to_string().begin() == 't');
}

TEST_CASE("writer encodes network order and nested lengths", "[bytes]") {
    ByteWriter w;
    w.u8(1);
    w.u16(0x0203);
    auto m = w.begin_length(2);
    w.u24(0x040506);
    w.u32(0x0708090a);
    REQUIRE(w.end_length(m));
    std::vector<uint8_t> extra{0xee};
    w.bytes(extra);
    w.zeros(2);
    CHECK(w.data() == std::vector<uint8_t>{1, 2, 3, 0, 7, 4, 5, 6, 7, 8, 9, 10, 0xee, 0, 0});
    w.patch_u16(1, 0xbeef);
    CHECK(w.data()[1] == 0xbe);
    CHECK(w.data()[2] == 0xef);
    w.truncate(3);
    CHECK(w.size() == 3);
}

TEST_CASE("writer reports a nested part too long for its length field", "[bytes]") {
    ByteWriter w;
    auto m = w.begin_length(1);
    w.zeros(256);
    CHECK_FALSE(w.end_length(m));
    ByteWriter w2;
    auto m2 = w2.begin_length(1);
    w2.zeros(255);
    CHECK(w2.end_length(m2));
    CHECK(w2.data()[0] == 255);
    CHECK_THROWS_AS(w2.begin_length(3), std::invalid_argument);
}

TEST_CASE("reader and writer round trip", "[bytes]") {
    ByteWriter w;
    w.u64(0x0102030405060708ull);
    w.u32(0xdeadbeef);
    auto data = w.take();
    ByteReader r(data);
    CHECK(*r.u64() == 0x0102030405060708ull);
    CHECK(*r.u32() == 0xdeadbeef);
    CHECK(r.empty());
}
