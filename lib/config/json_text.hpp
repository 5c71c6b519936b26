#pragma once
// Internal to lib/config: JSON text to a document. Syntax errors carry the
// line and column; a key repeated in one object is an error too (plain JSON
// parsers silently keep the last one, which hides typos in long files).
#include <optional>
#include <string_view>

#include "json_walk.hpp"

namespace isthmus::config::detail {

std::optional<Json> parse_json_text(std::string_view text, Context& ctx);

}  // namespace isthmus::config::detail
