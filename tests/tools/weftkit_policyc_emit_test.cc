// `weftkit-policyc compile --emit=obj|llvm|asm` write the generated part of the module that
// --emit=so links — the permission functions, every precompiled plan and the plan table, the
// embedded bundle and the entry point weftkit_policy_module — as an object, or as its IR and
// assembly; and an --emit=obj object linked by hand, with the command --emit=so uses, is a
// module the runtime loads and that answers exactly like the --emit=so one.
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <sstream>

#include "codegen/aot/module_linker.h"
#include "codegen/native/arrow_batch_builder.h"
#include "codegen/native/compiled_row_filter.h"
#include "compiler/driver/compile_files.h"
#include <weftkit/policy_module.h>
#include "tests/tools/cli_fixture.h"
#include "tests/tools/emitted_code.h"

namespace weftkit::policy::testing {
namespace {

// The examples' roles.yaml and policies.sql: 2 tables, whose statements by the principals
// roles.yaml names come to 21 distinct plans.
constexpr int kExamplePlans = 21;

class CompileEmit : public CliFixture {
 protected:
  ProcessResult emit(const std::string& kind, const std::string& output) const {
    return policyc_in_repo({"compile", "examples/roles.yaml", "examples/policies.sql", "--emit=" + kind, "-o", output});
  }
  static std::string summary(const std::string& kind, const std::string& output) {
    return "wrote " + output + " (" + kind + "): " + std::to_string(kExamplePlans) +
           " precompiled statement plans, 0 left to the interpreter; permission check for 12 roles, 6 resource "
           "classes\n";
  }
};

// The functions every example module defines: the entry point, the permission functions and
// a row and a batch function per precompiled plan.
std::set<std::string> example_functions() {
  std::set<std::string> names = {"weftkit_policy_module", "weftkit_check", "weftkit_principal_masks"};
  for (int index = 0; index < kExamplePlans; ++index) {
    names.insert("weftkit_aot_row_" + std::to_string(index));
    names.insert("weftkit_aot_batch_" + std::to_string(index));
  }
  return names;
}

std::set<std::string> starting_with(const std::set<std::string>& names, const std::string& prefix) {
  std::set<std::string> out;
  for (const std::string& name : names) {
    if (name.rfind(prefix, 0) == 0) out.insert(name);
  }
  return out;
}

TEST_F(CompileEmit, ObjectDefinesTheModuleEntryEveryPlanAndWhatTheSupportCodeReads) {
  ProcessResult result = emit("obj", path("policy.o"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out, summary("obj", path("policy.o")));
  ObjectSymbols symbols = object_symbols(read_file(path("policy.o")));
  ASSERT_EQ(symbols.problem, "");
  EXPECT_EQ(symbols.functions, example_functions());
  EXPECT_EQ(starting_with(symbols.data, "weftkit_"),
            (std::set<std::string>{"weftkit_allow_masks", "weftkit_aot_bundle", "weftkit_aot_bundle_size",
                                   "weftkit_aot_origin", "weftkit_aot_plan_count", "weftkit_aot_plans",
                                   "weftkit_class_count", "weftkit_deny_masks", "weftkit_mask_count",
                                   "weftkit_module_abi_version", "weftkit_role_count"}));
  // All it needs of the support code is the module table its entry point returns.
  EXPECT_EQ(starting_with(symbols.undefined, "weftkit_"), std::set<std::string>{"weftkit_aot_module_table"});
}

TEST_F(CompileEmit, LlvmIrIsTheSameModuleAndVerifies) {
  ProcessResult result = emit("llvm", path("policy.ll"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, summary("llvm", path("policy.ll")));
  IrContents ir = ir_contents(read_file(path("policy.ll")));
  ASSERT_EQ(ir.problem, "");
  EXPECT_EQ(ir.defined_functions, example_functions());
  EXPECT_EQ(ir.array_lengths["weftkit_aot_plans"], static_cast<uint64_t>(kExamplePlans));
}

TEST_F(CompileEmit, AssemblyIsTheSameModule) {
  ProcessResult result = emit("asm", path("policy.s"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, summary("asm", path("policy.s")));
  std::string assembly = read_file(path("policy.s"));
  static const std::regex kFunctionType(R"(^\s*\.type\s+([A-Za-z_][A-Za-z0-9_]*),@function$)");
  std::set<std::string> functions;
  std::istringstream lines(assembly);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kFunctionType)) functions.insert(match[1]);
  }
  EXPECT_EQ(functions, example_functions());
  for (const std::string& function : example_functions()) {
    EXPECT_NE(assembly.find("\n" + function + ":"), std::string::npos) << function;
  }
  EXPECT_NE(assembly.find("\nweftkit_aot_plans:"), std::string::npos);
}

// ---- an object linked by hand against the --emit=so module

std::vector<std::vector<Value>> rows_of(const TableDefinition& table, std::mt19937& random, size_t count) {
  auto pick = [&random](std::vector<Value> pool) {
    return pool[std::uniform_int_distribution<size_t>(0, pool.size() - 1)(random)];
  };
  std::vector<std::vector<Value>> rows;
  for (size_t index = 0; index < count; ++index) {
    std::vector<Value> row;
    for (const ColumnDefinition& column : table.columns) {
      switch (column.type.id) {
        case TypeId::kInt4:
        case TypeId::kInt8:
          row.push_back(pick({Value::integer_of(column.type.id, 7), Value::integer_of(column.type.id, 500),
                              Value::null_of(column.type.id)}));
          break;
        case TypeId::kDate: row.push_back(pick({Value::date(7000), Value::null_of(TypeId::kDate)})); break;
        case TypeId::kTimestamptz: row.push_back(pick({Value::timestamp(TypeId::kTimestamptz, 0), Value::null_of(TypeId::kTimestamptz)})); break;
        default:
          row.push_back(pick({Value::text_of("tenant-001"), Value::text_of("tenant-002"), Value::text_of("paid"),
                              Value::text_of("open"), Value::text_of("dave"), Value::null_of(TypeId::kText)}));
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string describe(const weftkit::RowOutcome& outcome) {
  static const char* const kNames[] = {"pass", "filtered", "violation", "error"};
  return std::string(kNames[static_cast<int>(outcome.result)]) + (outcome.message.empty() ? "" : ": " + outcome.message);
}

std::string describe(const weftkit::StatusOr<weftkit::BatchOutcome>& batch) {
  if (!batch.is_ok()) return "refused: " + batch.status().message();
  std::string text;
  for (uint64_t word : batch.value().selection) text += std::to_string(word) + " ";
  for (const auto& [row, outcome] : batch.value().exceptions) text += "| " + std::to_string(row) + " " + describe(outcome);
  return text;
}

TEST_F(CompileEmit, ObjectLinkedByHandAnswersLikeTheSharedLibrary) {
  ASSERT_EQ(emit("obj", path("policy.o")).exit_code, 0);
  ASSERT_EQ(emit("so", path("policy.so")).exit_code, 0);
  Diagnostics linking;
  ASSERT_TRUE(aot::link_policy_module(path("policy.o"), path("by_hand.so"), linking))
      << (linking.all().empty() ? "" : linking.all().front().message);
  weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> by_hand = weftkit::load_policy_module(path("by_hand.so"));
  weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> shared = weftkit::load_policy_module(path("policy.so"));
  ASSERT_TRUE(by_hand.is_ok()) << by_hand.status().message();
  ASSERT_TRUE(shared.is_ok()) << shared.status().message();
  EXPECT_EQ(by_hand.value()->describe(), "examples/roles.yaml, examples/policies.sql (module " + path("by_hand.so") + ")");
  weftkit::PolicyStore by_hand_store(by_hand.value());
  weftkit::PolicyStore shared_store(shared.value());
  SourceTexts sources;
  Result<PolicyProgram> program =
      compile_files({std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml",
                     std::string(WEFTKIT_SOURCE_DIR) + "/examples/policies.sql"},
                    sources);
  ASSERT_TRUE(program.ok());

  std::mt19937 random(4);
  std::map<std::string, int> seen;  // outcome kinds, to show the comparison reaches each of them
  const weftkit::StatementShape shapes[] = {{weftkit::Command::kSelect, true, false}, {weftkit::Command::kInsert, false, false},
                                            {weftkit::Command::kUpdate, true, false}, {weftkit::Command::kDelete, true, false}};
  for (const char* user : {"alice", "bob", "dave", "root"}) {
    for (const char* tenant : {"tenant-001", "tenant-002", ""}) {
      weftkit::Identity identity;
      identity.user = user;
      if (*tenant != '\0') identity.settings = {{"app.tenant_id", tenant}};  // none: current_setting fails
      weftkit::StatusOr<weftkit::SecurityContext> on_hand = weftkit::SecurityContext::build(by_hand_store, identity);
      weftkit::StatusOr<weftkit::SecurityContext> on_shared = weftkit::SecurityContext::build(shared_store, identity);
      ASSERT_TRUE(on_hand.is_ok() && on_shared.is_ok());
      for (const char* table : {"orders", "audit_log", "sales.ledger", "staging.raw"}) {
        for (int op = 0; op < 16; ++op) {
          EXPECT_EQ(on_hand.value().allowed(static_cast<weftkit::Operation>(op), table),
                    on_shared.value().allowed(static_cast<weftkit::Operation>(op), table))
              << user << " op " << op << " on " << table;
        }
      }
      weftkit::StatusOr<weftkit::Statement> hand_statement = on_hand.value().begin_statement();
      weftkit::StatusOr<weftkit::Statement> shared_statement = on_shared.value().begin_statement();
      ASSERT_TRUE(hand_statement.is_ok() && shared_statement.is_ok());
      for (const TableDefinition& table : program.value().tables) {
        std::vector<std::vector<Value>> rows = rows_of(table, random, 70);
        std::vector<std::vector<Value>> new_rows(rows.rbegin(), rows.rend());
        native::ArrowBatchBuilder batch(table, rows);
        native::ArrowBatchBuilder new_batch(table, new_rows);
        for (const weftkit::StatementShape& shape : shapes) {
          auto hand_filter = hand_statement.value().row_filter(table.name.table, shape);
          auto shared_filter = shared_statement.value().row_filter(table.name.table, shape);
          ASSERT_EQ(hand_filter.is_ok(), shared_filter.is_ok()) << user << " on " << table.name.table;
          if (!hand_filter.is_ok()) {
            EXPECT_EQ(hand_filter.status().message(), shared_filter.status().message());
            ++seen["refused"];
            continue;
          }
          bool update = shape.command == weftkit::Command::kUpdate;
          for (size_t index = 0; index < rows.size(); ++index) {
            std::vector<native::NativeDatum> row = native::to_native_datums(rows[index]);
            std::vector<native::NativeDatum> new_row = native::to_native_datums(new_rows[index]);
            const auto* row_datums = reinterpret_cast<const weftkit::Datum*>(row.data());
            const auto* new_datums = update ? reinterpret_cast<const weftkit::Datum*>(new_row.data()) : nullptr;
            std::string from_hand = describe(hand_filter.value()->check(row_datums, new_datums));
            EXPECT_EQ(from_hand, describe(shared_filter.value()->check(row_datums, new_datums)))
                << user << " " << tenant << " on " << table.name.table << " row " << index;
            ++seen[from_hand.substr(0, from_hand.find(':'))];
          }
          const ArrowArray* new_array = update ? &new_batch.array() : nullptr;
          EXPECT_EQ(describe(hand_filter.value()->filter_batch(batch.schema(), batch.array(), new_array)),
                    describe(shared_filter.value()->filter_batch(batch.schema(), batch.array(), new_array)))
              << user << " " << tenant << " on " << table.name.table;
        }
      }
    }
  }
  for (const char* kind : {"pass", "filtered", "violation", "error", "refused"}) EXPECT_GT(seen[kind], 0) << kind;
}

}  // namespace
}  // namespace weftkit::policy::testing
