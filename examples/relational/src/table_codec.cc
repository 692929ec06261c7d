// Row encoding: "WKR1", u32 column count, u64 row count, then per cell a tag byte (0 NULL,
// 1 integer-like: 8 bytes little endian, 2 text: u32 length + bytes).
#include "table_codec.h"

#include <cstring>

namespace relational {
namespace {

void put_u32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void put_u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }

struct Reader {
  std::string_view bytes;
  bool take(void* out, size_t n) {
    if (bytes.size() < n) return false;
    std::memcpy(out, bytes.data(), n);
    bytes.remove_prefix(n);
    return true;
  }
};

Value::Kind stored_kind(ColumnType type) {
  switch (type) {
    case ColumnType::kBoolean: return Value::Kind::kBoolean;
    case ColumnType::kText: return Value::Kind::kText;
    case ColumnType::kDate: return Value::Kind::kDate;
    case ColumnType::kTimestamptz: return Value::Kind::kTimestamp;
    default: return Value::Kind::kInteger;
  }
}

}  // namespace

std::string encode_rows(const TableSchema& table, const std::vector<Row>& rows) {
  std::string out = "WKR1";
  put_u32(out, static_cast<uint32_t>(table.columns.size()));
  put_u64(out, rows.size());
  for (const Row& row : rows) {
    for (const Value& value : row) {
      if (value.is_null()) {
        out += '\0';
      } else if (value.kind == Value::Kind::kText || value.kind == Value::Kind::kUnknown) {
        out += '\2';
        put_u32(out, static_cast<uint32_t>(value.text.size()));
        out += value.text;
      } else {
        out += '\1';
        put_u64(out, static_cast<uint64_t>(value.integer));
      }
    }
  }
  return out;
}

SqlResult<std::vector<Row>> decode_rows(const TableSchema& table, std::string_view bytes) {
  const SqlError corrupt = internal_error("stored data of table \"" + table.name + "\" is damaged");
  if (bytes.substr(0, 4) != "WKR1") return corrupt;
  Reader reader{bytes.substr(4)};
  uint32_t columns = 0;
  uint64_t count = 0;
  if (!reader.take(&columns, 4) || !reader.take(&count, 8)) return corrupt;
  if (columns != table.columns.size()) return internal_error("stored data of table \"" + table.name + "\" has another column count than its definition");
  std::vector<Row> rows;
  for (uint64_t r = 0; r < count; ++r) {
    Row row(columns);
    for (uint32_t c = 0; c < columns; ++c) {
      char tag = 0;
      if (!reader.take(&tag, 1)) return corrupt;
      if (tag == 0) continue;
      Value& value = row[c];
      value.kind = stored_kind(table.columns[c].type);
      if (tag == 1) {
        uint64_t bits = 0;
        if (!reader.take(&bits, 8)) return corrupt;
        value.integer = static_cast<int64_t>(bits);
      } else if (tag == 2) {
        uint32_t length = 0;
        if (!reader.take(&length, 4) || reader.bytes.size() < length) return corrupt;
        value.text = std::string(reader.bytes.substr(0, length));
        reader.bytes.remove_prefix(length);
      } else {
        return corrupt;
      }
    }
    rows.push_back(std::move(row));
  }
  if (!reader.bytes.empty()) return corrupt;
  return rows;
}

}  // namespace relational
