// JSON Lines → typed rows.
#include "tools/weftkit-policyc/json_rows.h"

#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::cli {
namespace {

const char* json_kind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a fractional number";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

// Converts one JSON value to the column's type; throws SqlError (PostgreSQL's message) or
// std::invalid_argument (a JSON value of the wrong kind).
Value convert(const nlohmann::json& json, const ColumnDefinition& column) {
  const TypeId type = column.type.id;
  if (json.is_null()) return Value::null_of(type);
  auto wrong_kind = [&](const char* expected) -> Value {
    throw std::invalid_argument("column \"" + column.name + "\" (" + type_display_name(column.type) + ") expects " +
                                expected + ", found " + json_kind(json));
  };
  switch (type) {
    case TypeId::kBool:
      if (!json.is_boolean()) wrong_kind("true or false");
      return Value::boolean(json.get<bool>());
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: {
      if (json.is_number_unsigned()) {
        uint64_t value = json.get<uint64_t>();
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          raise_sql_error("value \"" + json.dump() + "\" is out of range for type " + std::string(type_name(type)));
        }
        return parse_value(std::to_string(value), type);
      }
      if (!json.is_number_integer()) wrong_kind("an integer");
      return parse_value(std::to_string(json.get<int64_t>()), type);
    }
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      if (json.is_string()) {
        const std::string& text = json.get_ref<const std::string&>();
        if (text != "NaN" && text != "Infinity" && text != "-Infinity") wrong_kind("a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
        return parse_value(text, type);
      }
      if (!json.is_number()) wrong_kind("a number");
      // The JSON text of the number, read as PostgreSQL reads a float literal.
      return parse_value(json.dump(), type);
    case TypeId::kText:
      if (!json.is_string()) wrong_kind("a string");
      // Storing into varchar(n) raises "value too long", as an INSERT does.
      return cast_value(Value::text_of(json.get<std::string>()), column.type, CastMode::kAssignment);
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz:
    case TypeId::kUuid:
      if (!json.is_string()) wrong_kind("a string");
      return parse_value(json.get<std::string>(), type);
    default: break;
  }
  wrong_kind("a supported value");
  return Value::null_of(type);
}

}  // namespace

JsonRows read_json_rows(const std::string& path, const TableDefinition& table) {
  JsonRows result;
  std::ifstream stream(path);
  if (!stream) {
    result.errors.push_back(path + ": cannot read file");
    return result;
  }
  std::string line;
  for (size_t line_number = 1; std::getline(stream, line); ++line_number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string where = path + ":" + std::to_string(line_number) + ": ";
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
      result.errors.push_back(where + "malformed JSON: " + error.what());
      continue;
    }
    if (!object.is_object()) {
      result.errors.push_back(where + "expected a JSON object of column values, found " + json_kind(object));
      continue;
    }
    std::vector<Value> row;
    for (const ColumnDefinition& column : table.columns) row.push_back(Value::null_of(column.type.id));
    bool ok = true;
    for (const auto& [key, value] : object.items()) {
      std::optional<uint32_t> index = table.column_index(key);
      if (!index) {
        result.errors.push_back(where + "unknown column \"" + key + "\" for table \"" + table.name.table + "\"");
        ok = false;
        continue;
      }
      try {
        row[*index] = convert(value, table.columns[*index]);
      } catch (const SqlError& error) {
        result.errors.push_back(where + "column \"" + key + "\": " + error.what());
        ok = false;
      } catch (const std::invalid_argument& error) {
        result.errors.push_back(where + error.what());
        ok = false;
      }
    }
    if (ok) result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace weftkit::policy::cli
