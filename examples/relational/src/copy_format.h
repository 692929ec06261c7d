// COPY TO's lines, as PostgreSQL writes them: text format (delimiter-separated, \N for NULL,
// backslash escapes) or CSV (NULL as nothing, fields quoted when they must be).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql_ast.h"

namespace relational {

std::string copy_line(const std::vector<std::optional<std::string>>& values, const CopyOptions& options);
// CSV's HEADER line: the column names.
std::string copy_header_line(const std::vector<std::string>& names, const CopyOptions& options);

}  // namespace relational
