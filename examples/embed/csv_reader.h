// A minimal CSV reader for the example's data files: a header row of column names, then one
// record per line; fields separated by commas, optionally double-quoted ("" is a quote inside
// quotes, and quotes may hold commas and line breaks). As in PostgreSQL's COPY ... CSV, an
// unquoted empty field is NULL and a quoted empty field ("") is the empty string.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <weftkit/status.h>

namespace weftkit::embed {

struct CsvRecord {
  int line = 0;  // where the record starts, for messages
  std::vector<std::optional<std::string>> fields;
};

struct CsvFile {
  std::vector<std::string> header;
  std::vector<CsvRecord> records;
};

// Errors name `display_name` and the line: "orders.csv:4: unterminated quoted field".
StatusOr<CsvFile> parse_csv(const std::string& content, const std::string& display_name);
StatusOr<CsvFile> read_csv_file(const std::string& path, const std::string& display_name);

}  // namespace weftkit::embed
