#pragma once
// Messages as one line of text, for logs and isthmusctl.
#include <string>

#include "ldp/codec/message.hpp"

namespace isthmus::ldp {

// "Label Mapping #13 fec=1.1.1.1/32 label=implicit-null"
std::string describe(const Message& m);

}  // namespace isthmus::ldp
