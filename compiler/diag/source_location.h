// Where in an input file something came from: the anchor of every diagnostic and every
// "decided by" line that explain prints.
#pragma once

#include <cstdint>
#include <string>

namespace weftkit::policy {

struct SourceLocation {
  std::string file;   // path as the user gave it
  uint32_t line = 0;  // 1-based; 0 means "no position" (e.g. a whole-file problem)
  uint32_t column = 0;  // 1-based

  bool known() const { return line != 0; }
  // "file:line:col", or just "file" when there is no position.
  std::string to_string() const;
};

}  // namespace weftkit::policy
