// A SQL value of the policy language: a type, a null flag and the payload for that type.
// Deliberately plain (one field per payload kind) — it serves the reference evaluator and
// constant folding, where obviousness beats compactness.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/values/sql_type.h"
#include "compiler/values/decimal.h"

namespace weftkit::policy {

struct Value {
  TypeId type = TypeId::kUnknown;
  bool is_null = true;
  int64_t integer = 0;  // bool (0 or 1), smallint/integer/bigint, date (days), timestamps (µs)
  double real = 0;      // real (always a value representable as float) and double precision
  Decimal decimal;      // numeric
  std::string text;     // text; an unknown-typed literal; the 16 bytes of a uuid

  static Value null_of(TypeId type) { return Value{type, true, 0, 0, {}, {}}; }
  static Value boolean(bool value) { return Value{TypeId::kBool, false, value ? 1 : 0, 0, {}, {}}; }
  static Value integer_of(TypeId type, int64_t value) { return Value{type, false, value, 0, {}, {}}; }
  static Value real_of(TypeId type, double value) { return Value{type, false, 0, value, {}, {}}; }
  static Value numeric(Decimal value) { return Value{TypeId::kNumeric, false, 0, 0, value, {}}; }
  static Value text_of(std::string value) { return Value{TypeId::kText, false, 0, 0, {}, std::move(value)}; }
  static Value unknown_literal(std::string value) { return Value{TypeId::kUnknown, false, 0, 0, {}, std::move(value)}; }
  static Value date(int32_t days) { return Value{TypeId::kDate, false, days, 0, {}, {}}; }
  static Value timestamp(TypeId type, int64_t micros) { return Value{type, false, micros, 0, {}, {}}; }
  static Value uuid(std::string bytes) { return Value{TypeId::kUuid, false, 0, 0, {}, std::move(bytes)}; }

  bool truth() const { return !is_null && integer != 0; }  // for booleans
};

// PostgreSQL's input function of `type` (what a string literal of that type means); raises
// SqlError with PostgreSQL's message on bad input.
Value parse_value(std::string_view text, TypeId type);

// PostgreSQL's output function (what `anything || text` prints): booleans are "t"/"f".
std::string format_value(const Value& value);

// The shortest text that reads back to the same float, in PostgreSQL 15's layout.
std::string format_float8(double value);
std::string format_float4(float value);

// Number of characters (UTF-8 code points) in a string.
int64_t character_count(std::string_view text);

}  // namespace weftkit::policy
