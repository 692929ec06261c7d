// The pools themselves and the choice between them.
#include "tests/pg/value_pools.h"

namespace weftkit::policy::pgtest {

const std::vector<long long>& common_integers() {
  static const std::vector<long long> values = {0, 1, 2, 3, 5, 7, 10, 42, 100, -1, -5};
  return values;
}

const std::vector<long long>& edge_integers(ColumnType type) {
  static const std::vector<long long> smallint = {32767, -32768, 32766, 256, -1};
  static const std::vector<long long> integer = {2147483647, -2147483648LL, 2147483646, 46341, 65536, 1000000};
  static const std::vector<long long> bigint = {9223372036854775807LL, -9223372036854775807LL - 1, 2147483648LL,
                                                -2147483649LL, 3037000500LL, 4294967296LL};
  if (type == ColumnType::kSmallint) return smallint;
  if (type == ColumnType::kBigint) return bigint;
  return integer;
}

const std::vector<std::string>& common_texts() {
  static const std::vector<std::string> values = {"alice", "bob", "carol", "tenant-001", "tenant-002",
                                                  "a", "abc", "ABC", "x", ""};
  return values;
}

const std::vector<std::string>& edge_texts() {
  static const std::vector<std::string> values = {"%", "_", "\\", "a%", "a_c", "x\\y", "a\\", "it's",
                                                  " padded ", "NULL", "10", "-1", "2147483648", "Alice",
                                                  "tenant-%", "TENANT-001"};
  return values;
}

const std::vector<std::string>& non_ascii_texts() {
  static const std::vector<std::string> values = {"é", "É", "naïve", "日本語", "Straße", "ÀB", "zé"};
  return values;
}

const std::vector<Value>& common_floats() {
  static const std::vector<Value> values = {Value(0.0), Value(1.0), Value(1.5), Value(-0.5), Value(2.5),
                                            Value(0.1), Value(100.0), Value(42.0), Value(-1.0)};
  return values;
}

const std::vector<Value>& edge_floats(ColumnType type) {
  static const std::vector<Value> real = {Value("NaN"), Value("Infinity"), Value("-Infinity"), Value(3.4028235e38),
                                          Value(-0.0), Value(1e-30), Value(16777217.0), Value(0.3)};
  static const std::vector<Value> double_precision = {
      Value("NaN"), Value("Infinity"), Value("-Infinity"), Value(1.7976931348623157e308), Value(-0.0),
      Value(5e-324), Value(0.30000000000000004), Value(9007199254740993.0), Value(1e20)};
  return type == ColumnType::kReal ? real : double_precision;
}

const std::vector<std::string>& common_timestamps() {
  static const std::vector<std::string> values = {"2024-01-01 00:00:00", "2024-01-01 12:30:00", "2023-12-31 23:59:59",
                                                  "2024-06-30 08:00:00", "2000-01-01 00:00:00"};
  return values;
}

const std::vector<std::string>& edge_timestamps() {
  static const std::vector<std::string> values = {"infinity", "-infinity", "2023-12-31 23:59:59.999999",
                                                  "2000-01-01 00:00:00.5", "4713-01-01 00:00:00 BC",
                                                  "294276-12-31 23:59:59", "2024-02-29 24:00:00"};
  return values;
}

const std::vector<std::string>& uuids() {
  static const std::vector<std::string> values = {
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
      "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12}", "a0eebc999c0b4ef8bb6d6bb9bd380a13"};
  return values;
}

const std::vector<std::string>& common_dates() {
  static const std::vector<std::string> values = {"2024-01-01", "2024-06-30", "2023-12-31", "2000-01-01",
                                                  "2024-02-29"};
  return values;
}

const std::vector<std::string>& edge_dates() {
  static const std::vector<std::string> values = {"infinity", "-infinity", "0001-01-01", "9999-12-31",
                                                  "5874897-12-31", "4714-11-24 BC", "1970-01-01"};
  return values;
}

const std::vector<SettingKind>& setting_kinds() {
  static const std::vector<SettingKind> kinds = {
      {"app.tenant", ColumnType::kText, {"tenant-001", "tenant-002", "alice", "", "TENANT-001"}},
      {"app.level", ColumnType::kInteger, {"0", "1", "5", "10", "-1", "2147483647", "", "high", " 7 ", "99999999999"}},
      {"app.day", ColumnType::kDate, {"2024-01-01", "2023-12-31", "infinity", "someday", ""}},
      {"app.tenant_id", ColumnType::kUuid, {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000", "not-a-uuid", ""}},
  };
  return kinds;
}

std::vector<SettingKind> settings_for(const GeneratorLanguage& language) {
  std::vector<SettingKind> kinds;
  for (const SettingKind& kind : setting_kinds()) {
    if (kind.reads_as == ColumnType::kDate && !language.has(Feature::kDate)) continue;
    if (kind.reads_as == ColumnType::kUuid && !language.has(Feature::kUuid)) continue;
    kinds.push_back(kind);
  }
  return kinds;
}

size_t character_count(const std::string& text) {
  size_t count = 0;
  for (unsigned char byte : text) {
    if ((byte & 0xC0) != 0x80) ++count;
  }
  return count;
}

namespace {

long long random_integer(RandomSource& random, ColumnType type, const GeneratorLanguage& language) {
  if (language.has(Feature::kEdgeValues) && random.chance(0.25)) return random.pick(edge_integers(type));
  return random.pick(common_integers());
}

std::string random_text(RandomSource& random, const GeneratorLanguage& language) {
  if (language.has(Feature::kNonAscii) && random.chance(0.12)) return random.pick(non_ascii_texts());
  if (language.has(Feature::kEdgeValues) && random.chance(0.25)) return random.pick(edge_texts());
  return random.pick(common_texts());
}

std::string random_date(RandomSource& random, const GeneratorLanguage& language) {
  if (language.has(Feature::kEdgeValues) && random.chance(0.2)) return random.pick(edge_dates());
  return random.pick(common_dates());
}

std::string random_timestamp(RandomSource& random, const GeneratorLanguage& language) {
  if (language.has(Feature::kEdgeValues) && random.chance(0.2)) return random.pick(edge_timestamps());
  return random.pick(common_timestamps());
}

Value random_float(RandomSource& random, ColumnType type, const GeneratorLanguage& language) {
  if (language.has(Feature::kEdgeValues) && random.chance(0.25)) return random.pick(edge_floats(type));
  if (random.chance(0.2)) return Value(random.pick(common_integers()));  // whole numbers as JSON integers
  return random.pick(common_floats());
}

// varchar(n) rejects longer values on INSERT, so data must fit; cut at a character boundary.
std::string fit_varchar(const std::string& text, int length) {
  std::string fitted;
  size_t characters = 0;
  for (size_t index = 0; index < text.size(); ++index) {
    unsigned char byte = static_cast<unsigned char>(text[index]);
    if ((byte & 0xC0) != 0x80 && characters++ == static_cast<size_t>(length)) break;
    fitted += text[index];
  }
  return fitted;
}

}  // namespace

Value random_value(RandomSource& random, const Column& column, const GeneratorLanguage& language, double null_chance) {
  if (random.chance(null_chance)) return Value(nullptr);
  switch (column.type) {
    case ColumnType::kBoolean: return Value(random.chance(0.5));
    case ColumnType::kSmallint:
    case ColumnType::kInteger:
    case ColumnType::kBigint: return Value(random_integer(random, column.type, language));
    case ColumnType::kText: return Value(random_text(random, language));
    case ColumnType::kVarchar: return Value(fit_varchar(random_text(random, language), column.varchar_length));
    case ColumnType::kDate: return Value(random_date(random, language));
    case ColumnType::kReal:
    case ColumnType::kDouble: return random_float(random, column.type, language);
    case ColumnType::kTimestamp: return Value(random_timestamp(random, language));
    case ColumnType::kUuid: return Value(random.pick(uuids()));
  }
  return Value(nullptr);
}

}  // namespace weftkit::policy::pgtest
