// Values as NativeDatums and back (see native_values.h).
#include "codegen/native/native_values.h"

#include <cstring>

#include "compiler/values/sql_error.h"

namespace weftkit::policy::native {

Decimal decimal_of_text(std::string_view text) {
  if (text.empty()) return Decimal::make_nan();  // what NULL lanes hold: skip the exception
  try {
    return parse_decimal(text);
  } catch (const SqlError&) {
    return Decimal::make_nan();
  }
}

NativeDatum datum_of_value(const Value& value, std::deque<std::string>& storage) {
  NativeDatum datum;
  datum.is_null = value.is_null ? 1 : 0;
  if (value.is_null) return datum;
  switch (value.type) {
    case TypeId::kFloat8: std::memcpy(&datum.bits, &value.real, sizeof datum.bits); break;
    case TypeId::kFloat4: {
      float single = static_cast<float>(value.real);
      uint32_t bits;
      std::memcpy(&bits, &single, sizeof bits);
      datum.bits = bits;
      break;
    }
    case TypeId::kNumeric: {
      const std::string& text = storage.emplace_back(format_decimal(value.decimal));
      datum.data = text.c_str();
      datum.length = static_cast<int64_t>(text.size());
      break;
    }
    case TypeId::kText:
    case TypeId::kUnknown:
    case TypeId::kUuid:
      datum.data = value.text.c_str();
      datum.length = static_cast<int64_t>(value.text.size());
      break;
    default: datum.bits = value.integer; break;
  }
  return datum;
}

Value value_of_datum(const NativeDatum& datum, TypeId type) {
  if (datum.is_null) return Value::null_of(type);
  std::string_view bytes(datum.data, static_cast<size_t>(datum.length));
  switch (type) {
    case TypeId::kFloat8: {
      double real;
      std::memcpy(&real, &datum.bits, sizeof real);
      return Value::real_of(type, real);
    }
    case TypeId::kFloat4: {
      float single;
      uint32_t low = static_cast<uint32_t>(datum.bits);
      std::memcpy(&single, &low, sizeof single);
      return Value::real_of(type, single);
    }
    case TypeId::kText: return Value::text_of(std::string(bytes));
    case TypeId::kNumeric: return Value::numeric(decimal_of_text(bytes));
    case TypeId::kUuid: return Value::uuid(std::string(bytes));
    case TypeId::kBool: return Value::boolean(datum.bits != 0);
    case TypeId::kUnknown: return Value::unknown_literal(std::string(bytes));
    default: return Value::integer_of(type, datum.bits);
  }
}

}  // namespace weftkit::policy::native
