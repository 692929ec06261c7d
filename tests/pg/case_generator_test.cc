// The random generator: deterministic per seed, well-formed cases, and type-correct SQL
// (PostgreSQL accepts every policy it writes), with every kind of answer reached.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/pg/case_generator.h"
#include "tests/pg/case_report.h"
#include "tests/pg/case_sql.h"
#include "tests/pg/expression_generator.h"
#include "tests/pg/pg_connection.h"
#include "tests/pg/pg_oracle.h"
#include "tests/pg/pg_test_environment.h"
#include "tests/pg/random_source.h"
#include "tests/pg/value_pools.h"

namespace weftkit::policy::pgtest {
namespace {

GeneratorLanguage valid_only() {
  GeneratorLanguage language = GeneratorLanguage::everything();
  language.disable(Feature::kInvalidPolicies);
  return language;
}

TEST(CaseGenerator, SameSeedGivesTheSameCase) {
  for (uint64_t seed : {1ULL, 2ULL, 0xdeadbeefULL}) {
    EXPECT_EQ(describe_case(generate_case(seed, GeneratorLanguage::everything())),
              describe_case(generate_case(seed, GeneratorLanguage::everything())));
  }
  EXPECT_NE(describe_case(generate_case(case_seed(1, 0), GeneratorLanguage::everything())),
            describe_case(generate_case(case_seed(1, 1), GeneratorLanguage::everything())));
}

TEST(CaseGenerator, RowsHaveOneValuePerColumnThatFitsItsType) {
  for (int index = 0; index < 500; ++index) {
    PolicyCase c = generate_case(case_seed(7, index), GeneratorLanguage::everything());
    ASSERT_GE(c.columns.size(), 2u);
    ASSERT_LE(c.columns.size(), 6u);
    ASSERT_FALSE(c.rows.empty());
    ASSERT_EQ(c.new_rows.size(), c.statement.command == Command::kUpdate ? c.rows.size() : 0u);
    std::vector<Row> all = c.rows;
    all.insert(all.end(), c.new_rows.begin(), c.new_rows.end());
    for (const Row& row : all) {
      ASSERT_EQ(row.size(), c.columns.size());
      for (size_t column = 0; column < row.size(); ++column) {
        const Value& value = row[column];
        if (value.is_null()) continue;
        switch (c.columns[column].type) {
          case ColumnType::kBoolean: EXPECT_TRUE(value.is_boolean()) << value; break;
          case ColumnType::kSmallint:
            ASSERT_TRUE(value.is_number_integer()) << value;
            EXPECT_LE(value.get<long long>(), 32767);
            EXPECT_GE(value.get<long long>(), -32768);
            break;
          case ColumnType::kInteger:
            ASSERT_TRUE(value.is_number_integer()) << value;
            EXPECT_LE(value.get<long long>(), 2147483647LL);
            EXPECT_GE(value.get<long long>(), -2147483648LL);
            break;
          case ColumnType::kBigint: EXPECT_TRUE(value.is_number_integer()) << value; break;
          case ColumnType::kReal:
          case ColumnType::kDouble:
            EXPECT_TRUE(value.is_number() || value == "NaN" || value == "Infinity" || value == "-Infinity") << value;
            break;
          case ColumnType::kVarchar:
            ASSERT_TRUE(value.is_string()) << value;
            EXPECT_LE(character_count(value.get<std::string>()), static_cast<size_t>(c.columns[column].varchar_length));
            break;
          case ColumnType::kText:
          case ColumnType::kDate:
          case ColumnType::kTimestamp:
          case ColumnType::kUuid: EXPECT_TRUE(value.is_string()) << value; break;
        }
      }
    }
  }
}

TEST(CaseGenerator, SwitchedOffFeaturesAreNotGenerated) {
  std::string problem;
  std::optional<GeneratorLanguage> language = GeneratorLanguage::from_spec("-like,-date,-restrictive,-returning", problem);
  ASSERT_TRUE(language) << problem;
  for (int index = 0; index < 300; ++index) {
    PolicyCase c = generate_case(case_seed(3, index), *language);
    EXPECT_FALSE(c.statement.returning);
    for (const Column& column : c.columns) EXPECT_NE(column.type, ColumnType::kDate);
    for (const Policy& policy : c.policies) {
      EXPECT_FALSE(policy.restrictive);
      std::string sql = create_policy_statement(c.table, policy);
      EXPECT_EQ(sql.find("LIKE"), std::string::npos) << sql;
      EXPECT_EQ(sql.find("DATE '"), std::string::npos) << sql;
      EXPECT_EQ(sql.find("::date"), std::string::npos) << sql;
    }
  }
}

// Default deny for the statement's own command: no policy FOR that command or FOR ALL.
bool default_deny(const PolicyCase& c) {
  if (c.rls == RlsSetting::kNotEnabled || c.rls == RlsSetting::kDisabled) return false;
  for (const Policy& policy : c.policies) {
    if (policy.command == PolicyCommand::kAll) return false;
    if (std::string(policy_command_name(policy.command)) == command_name(c.statement.command)) return false;
  }
  return true;
}

// A setting some policy reads that the principal has not set, or set to a value meant for
// another setting's type.
bool reads_an_unset_or_malformed_setting(const PolicyCase& c) {
  for (const SettingKind& kind : setting_kinds()) {
    bool read = false;
    for (const Policy& policy : c.policies) {
      read = read || create_policy_statement(c.table, policy).find("current_setting('" + kind.name + "'") != std::string::npos;
    }
    if (!read) continue;
    auto given = std::find_if(c.principal.settings.begin(), c.principal.settings.end(),
                              [&](const auto& setting) { return setting.first == kind.name; });
    if (given == c.principal.settings.end()) return true;
    if (std::find(kind.values.begin(), kind.values.end(), given->second) == kind.values.end()) return true;
  }
  return false;
}

// PostgreSQL's plan-time errors under default deny are graded exactly only if the generator
// produces them: every command and shape must get such cases often.
TEST(CaseGenerator, DefaultDenyWithUnsetOrMalformedSettingsIsFrequentForEveryShape) {
  std::map<std::string, int> cases_by_shape;
  for (int index = 0; index < 1000; ++index) {
    PolicyCase c = generate_case(case_seed(13, index), GeneratorLanguage::everything());
    if (!default_deny(c) || !reads_an_unset_or_malformed_setting(c)) continue;
    std::string shape = std::string(command_name(c.statement.command)) + (c.statement.reads_columns ? " read" : " no-read") +
                        (c.statement.returning ? " returning" : "");
    ++cases_by_shape[shape];
  }
  for (const char* shape : {"SELECT read", "SELECT no-read", "INSERT read", "INSERT no-read returning", "UPDATE read",
                            "UPDATE no-read", "UPDATE read returning", "UPDATE no-read returning", "DELETE read",
                            "DELETE no-read", "DELETE read returning", "DELETE no-read returning"}) {
    EXPECT_GE(cases_by_shape[shape], 2) << shape;
  }
}

TEST(GeneratorLanguage, FeatureSpecSwitchesFeaturesOffOrSelectsOnlySome) {
  std::string problem;
  std::optional<GeneratorLanguage> fewer = GeneratorLanguage::from_spec("-like,-casts", problem);
  ASSERT_TRUE(fewer) << problem;
  EXPECT_FALSE(fewer->has(Feature::kLike));
  EXPECT_FALSE(fewer->has(Feature::kCasts));
  EXPECT_TRUE(fewer->has(Feature::kCase));
  std::optional<GeneratorLanguage> only = GeneratorLanguage::from_spec("none,case,like", problem);
  ASSERT_TRUE(only) << problem;
  EXPECT_EQ(only->describe(), "like,case");
  EXPECT_EQ(GeneratorLanguage::everything().describe(), "all");
}

TEST(GeneratorLanguage, UnknownFeatureNameIsAnError) {
  std::string problem;
  EXPECT_FALSE(GeneratorLanguage::from_spec("-likes", problem));
  EXPECT_EQ(problem, "unknown generator feature 'likes' in WEFTKIT_PG_FEATURES");
}

// Deep expressions over a table with a column of every type: PostgreSQL must accept them
// all, which checks the generator's type rules and its parenthesisation.
TEST(CaseGenerator, PostgresAcceptsEveryGeneratedExpression) {
  PgConnection connection = PgConnection::open(test_server_conninfo());
  std::vector<Column> columns = {{"active", ColumnType::kBoolean}, {"rank", ColumnType::kSmallint},
                                 {"level", ColumnType::kInteger},  {"total", ColumnType::kBigint},
                                 {"owner", ColumnType::kText},     {"code", ColumnType::kVarchar, 3},
                                 {"created", ColumnType::kDate},   {"ratio", ColumnType::kReal},
                                 {"price", ColumnType::kDouble},   {"created_at", ColumnType::kTimestamp},
                                 {"uid", ColumnType::kUuid}};
  connection.exec_or_throw("BEGIN");
  std::string create = "CREATE TABLE all_types (";
  for (size_t index = 0; index < columns.size(); ++index) {
    create += (index ? ", " : "") + columns[index].name + " " + sql_type(columns[index]);
  }
  connection.exec_or_throw(create + ")");
  RandomSource random(42);
  GeneratorLanguage language = GeneratorLanguage::everything();
  ExpressionGenerator generator(random, language, {"all_types", columns, {"alice", "bob"}});
  int rejected = 0;
  for (int index = 0; index < 3000; ++index) {
    std::string expression = generator.predicate(1 + index % 4);
    connection.exec_or_throw("SAVEPOINT attempt");
    QueryResult result = connection.exec("CREATE POLICY p" + std::to_string(index) + " ON all_types USING (" +
                                         expression + ")");
    if (!result.ok) {
      ++rejected;
      ADD_FAILURE() << "PostgreSQL rejected a generated expression: " << result.message << "\n    " << expression;
      connection.exec_or_throw("ROLLBACK TO SAVEPOINT attempt");
      if (rejected > 10) break;
    }
  }
  connection.exec_or_throw("ROLLBACK");
}

// Whole cases through the oracle: no policy rejected, and every kind of answer reached for
// every command, so the differential test cannot pass by only ever comparing "filtered".
TEST(CaseGenerator, GeneratedCasesAreAcceptedAndReachEveryAnswer) {
  PgOracle oracle(test_server_conninfo());
  std::map<std::string, std::set<std::string>> answers_by_command;
  for (int index = 0; index < 400; ++index) {
    PolicyCase c = generate_case(case_seed(11, index), valid_only());
    OracleAnswer answer = oracle.answer(c);
    ASSERT_FALSE(answer.rejected()) << "PostgreSQL rejected `" << *answer.rejected_statement
                                    << "`: " << answer.rejection_message << "\n" << describe_case(c);
    ASSERT_EQ(answer.outcomes.size(), c.rows.size());
    for (const RowOutcome& outcome : answer.outcomes) {
      answers_by_command[command_name(c.statement.command)].insert(outcome.result);
    }
  }
  using Answers = std::set<std::string>;
  EXPECT_EQ(answers_by_command["SELECT"], (Answers{"error", "filtered", "pass"}));
  EXPECT_EQ(answers_by_command["DELETE"], (Answers{"error", "filtered", "pass"}));
  EXPECT_EQ(answers_by_command["INSERT"], (Answers{"error", "pass", "violation"}));
  EXPECT_EQ(answers_by_command["UPDATE"], (Answers{"error", "filtered", "pass", "violation"}));
}

}  // namespace
}  // namespace weftkit::policy::pgtest
