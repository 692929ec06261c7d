// An ahead-of-time module and the in-process JIT version, compiled from the same files, must
// be indistinguishable through the runtime's API: the same permission answers, the same row
// filter refusals, and the same outcome and message for every row, one at a time and in
// batches — over a corpus that mixes compiled plans and plans left to the interpreter.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "codegen/native/arrow_batch_builder.h"
#include "codegen/native/compiled_row_filter.h"
#include "compiler/driver/compile_files.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include "tests/runtime/module_build.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

using policy::TypeId;
using policy::Value;

const std::string kRoles =
    "roles:\n"
    "  - name: reader\n"
    "    allow: [SELECT]\n"
    "  - name: writer\n"
    "    allow: [SELECT, INSERT, UPDATE, DELETE]\n"
    "  - name: admin\n"
    "    inherits: [superuser]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [reader]\n"
    "  - name: bob\n"
    "    roles: [writer]\n"
    "  - name: carol\n"
    "    roles: [reader, writer]\n"
    "  - name: root\n"
    "    roles: [admin]\n";

const std::string kPolicies =
    "CREATE TABLE docs (id integer, owner text, tenant smallint, amount bigint, score double precision,\n"
    "                   ratio real, published boolean, created date, updated timestamp);\n"
    "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY by_tenant ON docs USING (tenant = current_setting('app.tenant')::smallint);\n"
    "CREATE POLICY own ON docs FOR SELECT TO reader USING (owner = current_user OR published IS TRUE);\n"
    "CREATE POLICY limits ON docs AS RESTRICTIVE FOR UPDATE TO writer\n"
    "  USING (amount / NULLIF(id, 0) < 1000) WITH CHECK (amount >= 0 AND score * 2 < 1e300);\n"
    "CREATE POLICY recent ON docs AS RESTRICTIVE FOR SELECT\n"
    "  USING (created >= '2020-01-01' OR updated IS NULL OR owner LIKE 'a%');\n"
    "CREATE POLICY ins ON docs FOR INSERT\n"
    "  WITH CHECK (CASE WHEN published THEN owner = current_user ELSE coalesce(ratio, 0) < 0.5 END);\n"
    "CREATE POLICY del ON docs FOR DELETE USING (greatest(amount, 0) - least(id, 10) > 5);\n"
    "CREATE TABLE notes (id bigint, body text, tenant integer);\n"
    "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY n ON notes USING (tenant IN (1, 2, current_setting('app.tenant')::int) AND length(body) < 20);\n";

std::string describe(const RowOutcome& outcome) {
  static const char* const kNames[] = {"pass", "filtered", "violation", "error"};
  return std::string(kNames[static_cast<int>(outcome.result)]) + (outcome.message.empty() ? "" : ": " + outcome.message);
}

std::string describe(const StatusOr<std::unique_ptr<const StatementRowFilter>>& filter) {
  return filter.is_ok() ? "filter" : "refused " + std::to_string(static_cast<int>(filter.status().code())) + ": " + filter.status().message();
}

// Random rows of a table from small pools of ordinary, edge and NULL values.
std::vector<std::vector<Value>> random_rows(const policy::TableDefinition& table, std::mt19937& random, size_t count) {
  auto pick = [&](std::initializer_list<Value> pool) {
    std::vector<Value> values(pool);
    return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(random)];
  };
  std::vector<std::vector<Value>> rows;
  for (size_t index = 0; index < count; ++index) {
    std::vector<Value> row;
    for (const policy::ColumnDefinition& column : table.columns) {
      TypeId type = column.type.id;
      switch (type) {
        case TypeId::kInt2: row.push_back(pick({Value::integer_of(type, 1), Value::integer_of(type, 2), Value::integer_of(type, 32767), Value::null_of(type)})); break;
        case TypeId::kInt4:
        case TypeId::kInt8:
          row.push_back(pick({Value::integer_of(type, 0), Value::integer_of(type, 1), Value::integer_of(type, 2),
                              Value::integer_of(type, 7), Value::integer_of(type, -3), Value::integer_of(type, 5000),
                              Value::integer_of(type, type == TypeId::kInt4 ? 2147483647 : INT64_MAX), Value::null_of(type)}));
          break;
        case TypeId::kFloat8: row.push_back(pick({Value::real_of(type, 1.5), Value::real_of(type, -2), Value::real_of(type, 1e308), Value::null_of(type)})); break;
        case TypeId::kFloat4: row.push_back(pick({Value::real_of(type, 0.25), Value::real_of(type, 0.75), Value::null_of(type)})); break;
        case TypeId::kBool: row.push_back(pick({Value::boolean(true), Value::boolean(false), Value::null_of(type)})); break;
        case TypeId::kDate: row.push_back(pick({Value::date(7000), Value::date(-500), Value::null_of(type)})); break;
        case TypeId::kTimestamp: row.push_back(pick({Value::timestamp(type, 0), Value::null_of(type)})); break;
        default:
          row.push_back(pick({Value::text_of("alice"), Value::text_of("bob"), Value::text_of(""),
                              Value::text_of("a long body of more than twenty characters"), Value::null_of(TypeId::kText)}));
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(ModuleEquivalence, ModuleAndJitVersionsGiveTheSameAnswers) {
  testing::PolicyFiles files(kRoles, kPolicies);
  std::string module_path =
      (std::filesystem::temp_directory_path() / ("weftkit-equivalence-" + std::to_string(getpid()) + ".so")).string();
  ASSERT_EQ(testing::build_policy_module(files.paths(), module_path), "");
  StatusOr<std::shared_ptr<const PolicyVersion>> module = load_policy_module(module_path);
  std::filesystem::remove(module_path);
  ASSERT_TRUE(module.is_ok()) << module.status().message();
  StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
  ASSERT_TRUE(compiler.is_ok());
  StatusOr<std::shared_ptr<const PolicyVersion>> jit = compiler.value().compile(files.paths());
  ASSERT_TRUE(jit.is_ok()) << jit.status().message();
  PolicyStore module_store(module.value());
  PolicyStore jit_store(jit.value());
  policy::SourceTexts sources;
  policy::Result<policy::PolicyProgram> program = policy::compile_files(files.paths(), sources);
  ASSERT_TRUE(program.ok());

  std::mt19937 random(20261129);
  const StatementShape shapes[] = {{Command::kSelect, true, false}, {Command::kInsert, false, false},
                                   {Command::kInsert, false, true}, {Command::kUpdate, true, false},
                                   {Command::kUpdate, false, true}, {Command::kDelete, true, false},
                                   {Command::kDelete, false, false}};
  long compared_rows = 0;
  int disagreements = 0;
  std::map<std::string, long> seen;  // outcome kinds, to show the corpus reaches each of them
  for (const char* user : {"alice", "bob", "carol", "root", "nobody"}) {
    for (const char* tenant : {"1", "2", "x"}) {
      for (bool with_requested_role : {false, true}) {
        Identity identity;
        identity.user = user;
        identity.settings = {{"app.tenant", tenant}};
        if (with_requested_role) identity.roles = {"reader"};
        StatusOr<SecurityContext> on_module = SecurityContext::build(module_store, identity);
        StatusOr<SecurityContext> on_jit = SecurityContext::build(jit_store, identity);
        ASSERT_TRUE(on_module.is_ok() && on_jit.is_ok());
        for (const char* table : {"docs", "notes", "public.docs", "other"}) {
          for (int op = 0; op < 16; ++op) {
            EXPECT_EQ(on_module.value().allowed(static_cast<Operation>(op), table),
                      on_jit.value().allowed(static_cast<Operation>(op), table))
                << user << " op " << op << " on " << table;
          }
        }
        StatusOr<Statement> module_statement = on_module.value().begin_statement();
        StatusOr<Statement> jit_statement = on_jit.value().begin_statement();
        ASSERT_TRUE(module_statement.is_ok() && jit_statement.is_ok());
        for (const policy::TableDefinition& table : program.value().tables) {
          std::vector<std::vector<Value>> rows = random_rows(table, random, 150);
          std::vector<std::vector<Value>> new_rows(rows.begin() + 1, rows.end());
          new_rows.push_back(rows.front());
          policy::native::ArrowBatchBuilder batch(table, rows);
          policy::native::ArrowBatchBuilder new_batch(table, new_rows);
          for (const StatementShape& shape : shapes) {
            auto module_filter = module_statement.value().row_filter(table.name.table, shape);
            auto jit_filter = jit_statement.value().row_filter(table.name.table, shape);
            ASSERT_EQ(describe(module_filter), describe(jit_filter)) << user << " on " << table.name.table;
            if (!module_filter.is_ok()) continue;
            bool update = shape.command == Command::kUpdate;
            for (size_t index = 0; index < rows.size(); ++index) {
              std::vector<policy::native::NativeDatum> row = policy::native::to_native_datums(rows[index]);
              std::vector<policy::native::NativeDatum> new_row = policy::native::to_native_datums(new_rows[index]);
              const auto* row_datums = reinterpret_cast<const Datum*>(row.data());
              const auto* new_datums = update ? reinterpret_cast<const Datum*>(new_row.data()) : nullptr;
              std::string from_module = describe(module_filter.value()->check(row_datums, new_datums));
              std::string from_jit = describe(jit_filter.value()->check(row_datums, new_datums));
              ++compared_rows;
              ++seen[from_jit.substr(0, from_jit.find(':'))];
              if (from_module != from_jit && ++disagreements <= 5) {
                ADD_FAILURE() << user << " tenant " << tenant << " on " << table.name.table << " command "
                              << static_cast<int>(shape.command) << " row " << index << ": module " << from_module
                              << ", jit " << from_jit;
              }
            }
            auto module_batch = module_filter.value()->filter_batch(batch.schema(), batch.array(), update ? &new_batch.array() : nullptr);
            auto jit_batch = jit_filter.value()->filter_batch(batch.schema(), batch.array(), update ? &new_batch.array() : nullptr);
            ASSERT_TRUE(module_batch.is_ok() && jit_batch.is_ok());
            EXPECT_EQ(module_batch.value().selection, jit_batch.value().selection);
            ASSERT_EQ(module_batch.value().exceptions.size(), jit_batch.value().exceptions.size());
            for (size_t index = 0; index < module_batch.value().exceptions.size(); ++index) {
              EXPECT_EQ(module_batch.value().exceptions[index].first, jit_batch.value().exceptions[index].first);
              EXPECT_EQ(describe(module_batch.value().exceptions[index].second),
                        describe(jit_batch.value().exceptions[index].second));
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(compared_rows, 10000);
  for (const char* kind : {"pass", "filtered", "violation", "error"}) EXPECT_GT(seen[kind], 0) << kind;
  std::cout << "[ stats ] " << compared_rows << " rows compared one at a time:";
  for (const auto& [kind, count] : seen) std::cout << " " << kind << " " << count;
  std::cout << "\n";
}

}  // namespace
}  // namespace weftkit
