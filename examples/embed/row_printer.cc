// Aligned output: numbers to the right, everything else to the left, no trailing blanks.
#include "examples/embed/row_printer.h"

#include <algorithm>
#include <string>

#include "examples/embed/value_text.h"

namespace weftkit::embed {
namespace {

bool is_number(ColumnType type) { return type == ColumnType::kInteger || type == ColumnType::kBigint; }

void print_line(std::ostream& out, const std::vector<std::string>& fields, const std::vector<size_t>& widths,
                const std::vector<bool>& right_aligned) {
  std::string line;
  for (size_t index = 0; index < fields.size(); ++index) {
    std::string padding(widths[index] - fields[index].size(), ' ');
    line += index == 0 ? " " : " | ";
    line += right_aligned[index] ? padding + fields[index] : fields[index] + padding;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out << line << '\n';
}

}  // namespace

void print_rows(std::ostream& out, const Table& table, const std::vector<int64_t>& rows) {
  const std::vector<ColumnSchema>& columns = table.schema().columns;
  std::vector<std::string> header;
  std::vector<size_t> widths;
  std::vector<bool> right_aligned;
  for (const ColumnSchema& column : columns) {
    header.push_back(column.name);
    widths.push_back(column.name.size());
    right_aligned.push_back(false);
  }
  std::vector<std::vector<std::string>> lines;
  for (int64_t row : rows) {
    std::vector<Cell> cells = table.row(row);
    std::vector<std::string> fields;
    for (size_t index = 0; index < columns.size(); ++index) {
      fields.push_back(format_value(columns[index], cells[index]));
      // Width in bytes: the example's data is ASCII.
      widths[index] = std::max(widths[index], fields.back().size());
    }
    lines.push_back(std::move(fields));
  }
  print_line(out, header, widths, right_aligned);
  std::string rule;
  for (size_t index = 0; index < widths.size(); ++index) rule += (index == 0 ? "" : "+") + std::string(widths[index] + 2, '-');
  out << rule << '\n';
  for (size_t index = 0; index < columns.size(); ++index) right_aligned[index] = is_number(columns[index].type);
  for (const std::vector<std::string>& fields : lines) print_line(out, fields, widths, right_aligned);
  out << "(" << rows.size() << (rows.size() == 1 ? " row)" : " rows)") << '\n';
}

}  // namespace weftkit::embed
