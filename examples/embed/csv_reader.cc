// The CSV reader (see csv_reader.h): one pass over the characters, a field at a time.
#include "examples/embed/csv_reader.h"

#include <fstream>
#include <sstream>

namespace weftkit::embed {
namespace {

Status csv_error(const std::string& display_name, int line, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, display_name + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

StatusOr<CsvFile> parse_csv(const std::string& content, const std::string& display_name) {
  std::vector<CsvRecord> rows;
  CsvRecord record;
  std::optional<std::string> field;  // nullopt until the field has a character or quotes
  int line = 1;
  record.line = 1;
  size_t index = 0;
  auto end_record = [&] {
    // A line with nothing on it is skipped, not read as one NULL field.
    bool blank = record.fields.empty() && !field;
    if (!blank) {
      record.fields.push_back(std::move(field));
      rows.push_back(std::move(record));
    }
    record = CsvRecord{};
    field.reset();
  };
  while (index < content.size()) {
    char c = content[index];
    if (c == '"') {
      if (field) return csv_error(display_name, line, "a quote inside an unquoted field");
      field.emplace();
      int quote_line = line;
      for (++index;; ++index) {
        if (index >= content.size()) return csv_error(display_name, quote_line, "unterminated quoted field");
        if (content[index] == '"') {
          if (index + 1 < content.size() && content[index + 1] == '"') {
            field->push_back('"');
            ++index;
            continue;
          }
          break;
        }
        if (content[index] == '\n') ++line;
        field->push_back(content[index]);
      }
      ++index;
      if (index < content.size() && content[index] != ',' && content[index] != '\n' && content[index] != '\r') {
        return csv_error(display_name, line, "characters after a closing quote");
      }
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.reset();
    } else if (c == '\n') {
      end_record();
      record.line = ++line;
    } else if (c != '\r') {
      if (!field) field.emplace();
      field->push_back(c);
    }
    ++index;
  }
  end_record();

  if (rows.empty()) return csv_error(display_name, 1, "no header row");
  CsvFile file;
  for (std::optional<std::string>& name : rows.front().fields) {
    if (!name || name->empty()) return csv_error(display_name, rows.front().line, "an empty column name in the header");
    file.header.push_back(std::move(*name));
  }
  for (size_t row = 1; row < rows.size(); ++row) {
    if (rows[row].fields.size() != file.header.size()) {
      return csv_error(display_name, rows[row].line,
                       std::to_string(rows[row].fields.size()) + " fields, but the header has " +
                           std::to_string(file.header.size()));
    }
    file.records.push_back(std::move(rows[row]));
  }
  return file;
}

StatusOr<CsvFile> read_csv_file(const std::string& path, const std::string& display_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, display_name + ": cannot open " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return parse_csv(content.str(), display_name);
}

}  // namespace weftkit::embed
