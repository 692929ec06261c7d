// Edge and common values of every native type (see random_values.h).
#include "tests/codegen/llvm/random_values.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>

#include "codegen/native/predicate_abi.h"
#include "compiler/values/datetime.h"

namespace weftkit::policy::jittest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

const std::vector<int64_t>& edge_integers(TypeId type) {
  // The limits, one step inside them, and operands whose square or sum leaves the type.
  static const std::vector<int64_t> kInt2 = {INT16_MIN, INT16_MIN + 1, INT16_MAX, INT16_MAX - 1, 181, 182, -182,
                                             16384,     -16384,        255,       -1,            0,   1,   2};
  static const std::vector<int64_t> kInt4 = {INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1, 46340, 46341,
                                             -46341,    65536,         32767,     32768,         -32769, -1, 0, 1, 2};
  static const std::vector<int64_t> kInt8 = {INT64_MIN,
                                             INT64_MIN + 1,
                                             INT64_MAX,
                                             INT64_MAX - 1,
                                             3037000499,
                                             3037000500,
                                             -3037000500,
                                             4294967296,
                                             int64_t{INT32_MAX} + 1,
                                             int64_t{INT32_MIN} - 1,
                                             9007199254740993,  // 2^53 + 1: not a double
                                             -1,
                                             0,
                                             1,
                                             2};
  return type == TypeId::kInt2 ? kInt2 : type == TypeId::kInt4 ? kInt4 : kInt8;
}

const std::vector<double>& edge_doubles() {
  static const std::vector<double> kValues = {
      0.0, -0.0, kNaN, kInfinity, -kInfinity, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN,
      std::numeric_limits<double>::denorm_min(), 1e300, -1e300, 1e-300, 1e200, 1e-200,
      3.5e38,                  // beyond real
      1e-46, -1e-46,           // below real's smallest denormal: underflows as real
      1e-40,                   // a real denormal
      0.5, 1.5, 2.5, -2.5,     // rint rounds half to even
      32767.5, -32768.5, 2147483647.4, 2147483647.5, -2147483648.5, -2147483649.0,
      9223372036854775807.0,   // 2^63: beyond bigint
      -9223372036854775808.0,  // -2^63: the smallest bigint
      9223372036854774784.0,   // the largest double below 2^63
      0.1, -1.0, 1.0};
  return kValues;
}

const std::vector<float>& edge_floats() {
  static const std::vector<float> kValues = {
      0.0f, -0.0f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
      -std::numeric_limits<float>::infinity(), FLT_MAX, -FLT_MAX, FLT_MIN, -FLT_MIN,
      std::numeric_limits<float>::denorm_min(), 1e30f, -1e30f, 1e-30f, 1e20f, 1e-20f,
      0.5f, 1.5f, 2.5f, -2.5f, 32767.5f, -32768.5f,
      2147483520.0f,    // the largest real below 2^31
      2147483648.0f,    // 2^31: beyond integer
      -2147483648.0f,   // the smallest integer
      9223372036854775808.0f,  // 2^63: beyond bigint
      -9223372036854775808.0f, 0.1f, -1.0f, 1.0f};
  return kValues;
}

// PostgreSQL's first and last timestamps, as microseconds since 2000-01-01.
constexpr int64_t kFirstTimestamp = kDateRangeBegin * kMicrosecondsPerDay;
constexpr int64_t kLastTimestamp = kTimestampRangeEnd * kMicrosecondsPerDay - 1;

const std::vector<int64_t>& edge_dates() {
  static const std::vector<int64_t> kValues = {kDateNegativeInfinity, kDatePositiveInfinity, kDateRangeBegin,
                                               kDateRangeEnd - 1,     kTimestampRangeEnd - 1, kTimestampRangeEnd,
                                               kTimestampRangeEnd + 1, -1, 0, 1, -10957};
  return kValues;
}

const std::vector<int64_t>& edge_timestamps() {
  static const std::vector<int64_t> kValues = {kTimestampNegativeInfinity, kTimestampPositiveInfinity,
                                               kFirstTimestamp,            kLastTimestamp,
                                               kFirstTimestamp + 1,        kLastTimestamp - 1,
                                               -1,                         0,
                                               1,                          kMicrosecondsPerDay,
                                               -kMicrosecondsPerDay,       (kTimestampRangeEnd - 1) * kMicrosecondsPerDay,
                                               // The last timestamp Arrow's timestamp[us] since 1970 holds,
                                               // and the first it does not (row function only).
                                               INT64_MAX - native::kArrowEpochMicros - 1,
                                               INT64_MAX - native::kArrowEpochMicros};
  return kValues;
}

const std::vector<std::string>& edge_texts() {
  static const std::vector<std::string> kValues = {
      "",  " ",   "%",    "_",    "\\",   "a\\",  "a%",  "%a", "a_c", "A_C",  "!",     "a!",   "!%",
      "é", "É",   "éa",   "日本", "z",    "\x7f", "~",   "ab", "aB",  "abcd", "abc\\", "\\\\", "%%",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
  return kValues;
}

// Also text that reads as some type (casts from text succeed) and text that almost does.
const std::vector<std::string>& common_texts() {
  static const std::vector<std::string> kValues = {"a", "b",  "abc",        "ABC", "alice", "bob", "x",    "abd", "ab",
                                                   "1", "0",  " 2 ",        "-1",  "1.5",   "t",   "off",  "NaN",
                                                   "2000-01-01", "2000-01-02 12:00", "-infinity", "1e400", "32768",
                                                   "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-02-30", "9223372036854775808"};
  return kValues;
}

// Numerics: rounding ties, values just past each integer type, NaN and the infinities, scales.
const std::vector<std::string>& edge_numerics() {
  static const std::vector<std::string> kValues = {
      "NaN", "Infinity", "-Infinity", "0", "0.000", "-0.5", "0.5", "1.5", "2.5", "-2.5", "32767.4", "32767.5",
      "-32768.5", "2147483647.5", "-2147483648.4", "9223372036854775807.5", "-9223372036854775808.49",
      "123456789012345678901234567890.123456789", "0.000000000000000000000000000001", "1e-400", "3.5e38", "1e308",
      "1e309", "-1e-46", "100000000000000000000"};
  return kValues;
}

const std::vector<std::string>& uuids() {
  static const std::vector<std::string> kValues = {
      "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12",
      "00000000-0000-0000-0000-000000000001", "80000000-0000-0000-0000-000000000000"};
  return kValues;
}

Value random_integer(RandomSource& random, TypeId type, double edge_chance) {
  if (random.chance(edge_chance)) {
    // The limits most often: with -1, 0 or 1 of the other operand they overflow.
    if (random.chance(0.3)) return Value::integer_of(type, edge_integers(type)[static_cast<size_t>(random.between(0, 3))]);
    return Value::integer_of(type, random.pick(edge_integers(type)));
  }
  if (random.chance(0.8)) return Value::integer_of(type, random.between(-4, 4));
  return Value::integer_of(type, random.between(-1000, 1000));
}

Value random_real(RandomSource& random, TypeId type, double edge_chance) {
  if (random.chance(edge_chance)) {
    if (type == TypeId::kFloat4) return Value::real_of(type, random.pick(edge_floats()));
    return Value::real_of(type, random.pick(edge_doubles()));
  }
  // Halves and small integers: exact in both widths, often equal, sometimes zero.
  double value = static_cast<double>(random.between(-8, 8)) / 2.0;
  if (random.chance(0.1)) value = static_cast<double>(random.between(-1000000, 1000000)) / 1024.0;
  return Value::real_of(type, type == TypeId::kFloat4 ? static_cast<double>(static_cast<float>(value)) : value);
}

}  // namespace

const std::vector<TypeId>& native_types() {
  static const std::vector<TypeId> kTypes = {TypeId::kBool,   TypeId::kInt2, TypeId::kInt4,      TypeId::kInt8,
                                             TypeId::kFloat4, TypeId::kFloat8, TypeId::kText,    TypeId::kDate,
                                             TypeId::kTimestamp, TypeId::kTimestamptz, TypeId::kNumeric, TypeId::kUuid};
  return kTypes;
}

Value random_value(RandomSource& random, TypeId type, double edge_chance) {
  switch (type) {
    case TypeId::kBool: return Value::boolean(random.chance(0.5));
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: return random_integer(random, type, edge_chance);
    case TypeId::kFloat4:
    case TypeId::kFloat8: return random_real(random, type, edge_chance);
    case TypeId::kText:
      return Value::text_of(random.chance(edge_chance) ? random.pick(edge_texts()) : random.pick(common_texts()));
    case TypeId::kDate:
      if (random.chance(edge_chance)) return Value::date(static_cast<int32_t>(random.pick(edge_dates())));
      return Value::date(static_cast<int32_t>(random.between(-3, 3)));
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz:
      if (random.chance(edge_chance)) return Value::timestamp(type, random.pick(edge_timestamps()));
      // Midnights (equal to the common dates) and a few instants between them.
      return Value::timestamp(type, random.between(-3, 3) * kMicrosecondsPerDay +
                                        (random.chance(0.7) ? 0 : random.between(-1, 1) * 3600'000'000));
    case TypeId::kNumeric:
      if (random.chance(edge_chance)) return parse_value(random.pick(edge_numerics()), type);
      // Small values with a few scales: 1 = 1.0 = 1.00 but they print differently.
      return parse_value(std::to_string(random.between(-4, 4)) + random.pick(std::vector<std::string>{"", ".0", ".50", ".25"}),
                         type);
    case TypeId::kUuid: {
      const std::vector<std::string>& values = uuids();
      return parse_value(random.chance(edge_chance) ? random.pick(values) : values[static_cast<size_t>(random.between(2, 3))],
                         type);
    }
    default: return Value::null_of(type);
  }
}

std::string random_like_pattern(RandomSource& random) {
  static const std::vector<std::string> kPatterns = {
      "%",   "a%",   "%c",   "_",     "a_c",  "%b%", "A%",   "\\%",  "a\\",  "%\\", "!%",  "a!",  "é%",
      "_%_", "",     "abc",  "%%",    "\\\\%", "a!%", "%!",   "_b_",  "%a%b", "a%%", "A_C", "%É%", "!_%",
      "__",  "a\\_", "%\\_", "alice", "b%",   "%\\"};
  if (random.chance(0.75)) return random.pick(kPatterns);
  return random_value(random, TypeId::kText, 0.5).text;
}

std::string random_like_escape(RandomSource& random) {
  static const std::vector<std::string> kEscapes = {"", "!", "\\", "a", "%", "_", "é", "ab", "!!"};
  return random.pick(kEscapes);
}

std::vector<ColumnProfile> random_profiles(RandomSource& random, const TableDefinition& table) {
  static const std::vector<double> kNullChances = {0.0, 0.05, 0.2, 0.5, 1.0};
  std::vector<ColumnProfile> profiles;
  for (size_t index = 0; index < table.columns.size(); ++index) {
    ColumnProfile profile;
    profile.null_chance = random.chance(0.05) ? 1.0 : random.pick(kNullChances);
    if (profile.null_chance == 1.0 && random.chance(0.7)) profile.null_chance = 0.2;  // all-NULL columns are rarer
    profile.edge_chance = random.chance(0.2) ? 0.0 : random.chance(0.5) ? 0.3 : 0.7;
    profiles.push_back(profile);
  }
  return profiles;
}

std::vector<std::vector<Value>> random_rows(RandomSource& random, const TableDefinition& table,
                                            const std::vector<ColumnProfile>& profiles, size_t count) {
  std::vector<std::vector<Value>> rows(count);
  for (std::vector<Value>& row : rows) {
    for (size_t index = 0; index < table.columns.size(); ++index) {
      TypeId type = table.columns[index].type.id;
      bool null = random.chance(profiles[index].null_chance);
      row.push_back(null ? Value::null_of(type) : random_value(random, type, profiles[index].edge_chance));
    }
  }
  return rows;
}

const std::vector<SettingKind>& setting_kinds() {
  static const std::vector<SettingKind> kKinds = {
      {"app.n", TypeId::kInt4},         {"app.big", TypeId::kInt8},     {"app.f", TypeId::kFloat8},
      {"app.flag", TypeId::kBool},      {"app.day", TypeId::kDate},     {"app.ts", TypeId::kTimestamptz},
      {"app.name", TypeId::kText},      {"app.amount", TypeId::kNumeric}, {"app.id", TypeId::kUuid},
      {"app.unset", TypeId::kUnknown}};  // never set
  return kKinds;
}

semantics::SessionValues random_session(RandomSource& random) {
  static const std::vector<std::string> kUsers = {"alice", "bob", "Alice", "a%", "é"};
  // What each setting may hold: what reads as its type, and (drawn less often) what does not.
  struct SettingValues {
    std::vector<std::string> readable;
    std::vector<std::string> unreadable;
  };
  static const std::vector<SettingValues> kValues = {
      {{"0", "1", "-1", "2", "42", " 7 "}, {"abc", "", "2147483648", "1.5"}},
      {{"0", "3", "-9223372036854775808", "9223372036854775807"}, {"9223372036854775808", "x"}},
      {{"0", "1.5", "-2", "NaN", "Infinity", "-Infinity", "3.5e38"}, {"1e400", "1e-400", "one"}},
      {{"true", "f", "yes", "off", "1"}, {"maybe"}},
      {{"2000-01-01", "2000-01-02", "1999-12-31", "infinity", "-infinity"}, {"2024-02-30", "soon"}},
      {{"2000-01-01 00:00:00", "2000-01-01 01:00:00+00", "infinity", "-infinity", "1999-12-31T23:00:00Z"}, {"later"}},
      {{"a", "abc", "", "alice", "é", "%"}, {}},
      {{"0", "1.50", "-2.5", "NaN", "Infinity", "123456789012345678901234567890.5"}, {"1,5", "ten"}},
      {{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{00000000-0000-0000-0000-000000000000}"}, {"a0eebc99", "x"}},
      {{}, {}}};
  semantics::SessionValues session;
  session.current_user = random.pick(kUsers);
  session.session_user = random.pick(kUsers);
  const std::vector<SettingKind>& kinds = setting_kinds();
  for (size_t index = 0; index < kinds.size(); ++index) {
    const SettingValues& values = kValues[index];
    if (values.readable.empty() || random.chance(0.05)) continue;  // unset: current_setting raises or is NULL
    bool unreadable = !values.unreadable.empty() && random.chance(0.2);
    session.set(kinds[index].name, random.pick(unreadable ? values.unreadable : values.readable));
  }
  return session;
}

std::string describe_value(const Value& value) {
  std::string type(type_name(value.type));
  if (value.is_null) return "NULL " + type;
  switch (value.type) {
    case TypeId::kText: return type + " '" + value.text + "'";
    case TypeId::kNumeric:
    case TypeId::kUuid: return type + " " + format_value(value);
    case TypeId::kFloat4:
    case TypeId::kFloat8: {
      char bits[32];
      std::snprintf(bits, sizeof bits, "%a", value.real);
      return type + " " + format_value(value) + " (" + bits + ")";
    }
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz: return type + " " + format_value(value) + " (" + std::to_string(value.integer) + ")";
    default: return type + " " + format_value(value);
  }
}

}  // namespace weftkit::policy::jittest
