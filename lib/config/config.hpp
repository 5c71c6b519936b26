#pragma once
// isthmusd's JSON config, schema v1 (docs/config.md): parse once into typed
// structs, every error named by its JSON path.
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "lib/result.hpp"
#include "types.hpp"

namespace isthmus::config {

// One validation pass over the whole document: all errors are collected, in
// file order within a section; on success every default is filled in.
Result<Config, std::vector<Error>> parse(std::string_view json_text);

// parse() of a file's contents. An unreadable file is one Error whose path is
// the file name; errors about the document as a whole (JSON syntax) get the
// file name as their path too.
Result<Config, std::vector<Error>> load_file(const std::string& path);

// What this config makes the router: "PE", "P", "route reflector", ... (inferred).
std::string role(const Config& c);

// Multi-line human summary for `isthmusd --check-config`. Never prints passwords.
std::string summary(const Config& c);

}  // namespace isthmus::config
