// The values cases are made of, shared by row data and policy literals so that policies
// often compare equal to what the rows hold. Edge values (limits of each integer type,
// infinite and extreme dates, LIKE metacharacters, non-ASCII text) are kept apart so that
// features can switch them off.
#pragma once

#include <string>
#include <vector>

#include "tests/pg/generator_language.h"
#include "tests/pg/policy_case.h"
#include "tests/pg/random_source.h"

namespace weftkit::policy::pgtest {

// Integers that fit every integer type; the most common ones in data and literals.
const std::vector<long long>& common_integers();
// The limits and overflow-prone values of one integer column type.
const std::vector<long long>& edge_integers(ColumnType type);

const std::vector<std::string>& common_texts();    // user and tenant names, short words
const std::vector<std::string>& edge_texts();      // %, _, backslashes, quotes, '', numbers as text
const std::vector<std::string>& non_ascii_texts();  // multi-byte UTF-8

// Floating-point values; the edge ones include "NaN", "Infinity", "-Infinity" as strings.
const std::vector<Value>& common_floats();
const std::vector<Value>& edge_floats(ColumnType type);

const std::vector<std::string>& common_dates();  // ISO dates
const std::vector<std::string>& edge_dates();    // infinity, -infinity, the first and last dates
const std::vector<std::string>& common_timestamps();
const std::vector<std::string>& edge_timestamps();
const std::vector<std::string>& uuids();  // also in upper case, braces, without hyphens

// The setting names a principal may have, and values for each.
struct SettingKind {
  std::string name;
  ColumnType reads_as;  // the type policies usually cast it to
  std::vector<std::string> values;
};
const std::vector<SettingKind>& setting_kinds();

// A value for a column of `column`'s type (null with probability `null_chance`).
Value random_value(RandomSource& random, const Column& column, const GeneratorLanguage& language, double null_chance);
// The settings a principal may have under `language` (app.day needs dates, app.tenant_id uuids).
std::vector<SettingKind> settings_for(const GeneratorLanguage& language);

// Number of characters (code points) of UTF-8 text, as varchar(n) counts them.
size_t character_count(const std::string& text);

}  // namespace weftkit::policy::pgtest
