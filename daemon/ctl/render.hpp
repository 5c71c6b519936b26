#pragma once
// Human output of a command's data. Every command answers JSON; this turns any answer into text by
// one rule set, so a new daemon command needs no isthmusctl change:
//   scalars -> "name: value" lines; an array of objects -> a table (columns in the producer's order);
//   an array of scalars -> a comma-separated line; a nested object -> an indented section.
#include <string>

#include "daemon/control/protocol.hpp"

namespace isthmus::ctl {

std::string render(const control::Json& data);

}  // namespace isthmus::ctl
