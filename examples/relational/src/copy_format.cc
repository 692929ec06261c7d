// COPY TO line formatting (see copy_format.h).
#include "copy_format.h"

namespace relational {
namespace {

void append_text_field(std::string& line, const std::string& value, char delimiter) {
  for (char c : value) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      case '\t': line += c == delimiter ? "\\t" : "\t"; break;
      default:
        if (c == delimiter) line += '\\';
        line += c;
    }
  }
}

// Quoted when it holds the delimiter, a quote or a line break, or is empty (an unquoted empty
// field is NULL in CSV); quotes doubled inside.
void append_csv_field(std::string& line, const std::string& value, char delimiter) {
  const bool quote = value.empty() || value.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos ||
                     value == "\\.";
  if (!quote) {
    line += value;
    return;
  }
  line += '"';
  for (char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

}  // namespace

std::string copy_line(const std::vector<std::optional<std::string>>& values, const CopyOptions& options) {
  const bool csv = options.format == CopyOptions::Format::kCsv;
  std::string line;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) line += options.delimiter;
    if (!values[i]) {
      if (!csv) line += "\\N";
      continue;
    }
    if (csv) append_csv_field(line, *values[i], options.delimiter);
    else append_text_field(line, *values[i], options.delimiter);
  }
  return line + '\n';
}

std::string copy_header_line(const std::vector<std::string>& names, const CopyOptions& options) {
  std::vector<std::optional<std::string>> values(names.begin(), names.end());
  return copy_line(values, options);
}

}  // namespace relational
