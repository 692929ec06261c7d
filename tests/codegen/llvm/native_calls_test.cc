// The constructs the generated code hands to helper functions (numeric, uuid, text functions,
// casts from and to text) and the inline date arithmetic, from policy text through sema: they
// compile natively, give the reference evaluator's answers row by row and in batches, with
// PostgreSQL's messages rebuilt from the raising node; and batches must carry a numeric or
// uuid column in the format the code reads only when the plan reads it.
#include <gtest/gtest.h>

#include "codegen/semantics/principal.h"
#include "codegen/interp/row_filter.h"
#include "codegen/native/arrow_batch_builder.h"
#include "codegen/llvm/jit_program.h"
#include "compiler/driver/compile_files.h"
#include "tests/codegen/support/aot_agreement.h"
#include "tests/codegen/support/jit_agreement.h"

namespace weftkit::policy::llvm_backend {
namespace {

const StatementShape kSelect{StatementCommand::kSelect, true, false};

struct Compiled {
  PolicyProgram program;
  StatementPlan plan;
};

Compiled compile_select(const std::string& policies) {
  SourceTexts sources;
  Result<PolicyProgram> program =
      compile_sources({SourceInput{"roles.yaml", "roles: []\n"}, SourceInput{"policies.sql", policies}}, sources);
  EXPECT_TRUE(program.ok()) << render_diagnostics(program.diagnostics(), sources);
  if (!program.ok()) return {};
  semantics::Principal nobody = semantics::resolve_principal(program.value(), "alice", {});
  auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program.value(), nobody, policy); };
  StatementPlan plan = plan_statement(program.value().tables[0], kSelect, applies, false);
  return {program.value(), std::move(plan)};
}

JitEngine& engine() {
  static JitEngine* shared = [] {
    Result<JitEngine> created = JitEngine::create();
    return created.ok() ? new JitEngine(std::move(created).value()) : nullptr;
  }();
  return *shared;
}

// The reference's answer for each row (alice's SELECT), and the JIT's and an ahead-of-time
// module's (row and batch code, helpers linked into the module) agreeing with it.
std::vector<std::string> answers(const Compiled& compiled, const std::vector<std::vector<Value>>& rows) {
  const TableDefinition& table = compiled.program.tables[0];
  semantics::SessionValues session;
  session.current_user = "alice";
  session.session_user = "alice";
  testing::JitAgreement jit(compiled.plan, table, session);
  EXPECT_EQ(jit.not_compiled_because(), "");
  testing::AotAgreement aot(compiled.program, 0, kSelect, testing::StatementSubject{"alice", {}, {}}, compiled.plan);
  interp::RowFilter reference(compiled.plan, session);
  std::vector<std::string> out;
  for (const std::vector<Value>& row : rows) {
    interp::RowOutcome expected = reference.check(row);
    EXPECT_EQ(jit.disagreement(expected, row, nullptr), "") << testing::describe_outcome(expected);
    EXPECT_EQ(aot.disagreement(expected, row, nullptr), "") << testing::describe_outcome(expected);
    out.push_back(testing::describe_outcome(expected));
  }
  return out;
}

Value uuid(const char* text) { return parse_value(text, TypeId::kUuid); }
Value text(const char* text) { return Value::text_of(text); }

// Numeric columns are not part of the policy language (only in the IR), but numeric values are:
// constants such as 10.5 and casts.
TEST(NativeCalls, NumericArithmeticComparisonAndCastsRunNatively) {
  Compiled compiled = compile_select(
      "CREATE TABLE accounts (amount text, cap text);\n"
      "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY p ON accounts USING (amount::numeric * 2 > 10.5 AND amount::numeric::int < cap::numeric);\n");
  ASSERT_FALSE(compiled.program.tables.empty());
  EXPECT_EQ(answers(compiled, {{text("6"), text("7")},
                               {text("6"), text("5.5")},
                               {text("5"), text("100")},
                               {text("NaN"), text("1")},
                               {text("6.5"), text("ten")},
                               {text("1e30"), text("1")},
                               {Value::null_of(TypeId::kText), text("1")},
                               {text("x"), text("1")}}),
            (std::vector<std::string>{"pass", "filtered", "filtered", "error: cannot convert NaN to integer",
                                      "error: invalid input syntax for type numeric: \"ten\"",
                                      "error: integer out of range", "filtered",
                                      "error: invalid input syntax for type numeric: \"x\""}));
}

TEST(NativeCalls, TextFunctionsAndCastsFromTextGiveTheMessageOfTheNodeThatRaised) {
  Compiled compiled = compile_select(
      "CREATE TABLE docs (id integer, owner text, level text);\n"
      "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY p ON docs USING (CASE WHEN id > 0 THEN lower(owner) || '!' = 'alice!' "
      "ELSE length(upper(owner)) = level::int END);\n");
  ASSERT_FALSE(compiled.program.tables.empty());
  Value one = Value::integer_of(TypeId::kInt4, 1);
  Value zero = Value::integer_of(TypeId::kInt4, 0);
  EXPECT_EQ(answers(compiled, {{one, text("ALICE"), text("x")},       // the ELSE branch is not evaluated
                               {one, text("bob"), text("x")},
                               {zero, text("éa"), text(" 2 ")},
                               {zero, text("bob"), text("x")},
                               {zero, text("bob"), text("99999999999")}}),
            (std::vector<std::string>{"pass", "filtered", "pass", "error: invalid input syntax for type integer: \"x\"",
                                      "error: value \"99999999999\" is out of range for type integer"}));
}

TEST(NativeCalls, UuidColumnsAndDateArithmeticRunNatively) {
  Compiled compiled = compile_select(
      "CREATE TABLE events (id uuid, day date);\n"
      "ALTER TABLE events ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY p ON events USING (id::text LIKE 'a0%' AND day + 1 - day = 1);\n");
  ASSERT_FALSE(compiled.program.tables.empty());
  Value a = uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  Value b = uuid("b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(answers(compiled, {{a, Value::date(3)},
                               {b, Value::date(3)},
                               {a, parse_value("infinity", TypeId::kDate)},
                               {a, parse_value("5874897-12-31", TypeId::kDate)}}),
            (std::vector<std::string>{"pass", "filtered", "error: cannot subtract infinite dates",
                                      "error: date out of range"}));
}

TEST(NativeCalls, ABatchMustCarryAUuidColumnTheCodeReadsAsFixedSizeBinary) {
  const char* table = "CREATE TABLE accounts (id integer, owner uuid);\nALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n";
  Compiled reads = compile_select(std::string(table) + "CREATE POLICY p ON accounts USING (owner > '00000000-0000-0000-0000-000000000000');\n");
  Compiled ignores = compile_select(std::string(table) + "CREATE POLICY p ON accounts USING (id > 0);\n");
  ASSERT_FALSE(reads.program.tables.empty());
  ASSERT_FALSE(ignores.program.tables.empty());
  std::vector<std::vector<Value>> rows = {{Value::integer_of(TypeId::kInt4, 1), uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")}};
  native::ArrowBatchBuilder batch(reads.program.tables[0], rows);
  // The same batch, but the engine says its uuids are something else.
  ArrowSchema uuid_child = *batch.schema().children[1];
  uuid_child.format = "z";
  std::vector<ArrowSchema*> children = {batch.schema().children[0], &uuid_child};
  ArrowSchema schema = batch.schema();
  schema.children = children.data();

  for (const Compiled* compiled : {&reads, &ignores}) {
    Result<std::shared_ptr<const native::CompiledPlan>> code = engine().compile_plan(compiled->plan, compiled->program.tables[0]);
    ASSERT_TRUE(code.ok());
    native::JitRowFilter filter(code.value(), {});
    std::string error;
    std::optional<native::BatchOutcome> proper = filter.filter_batch(batch.schema(), batch.array(), nullptr, error);
    ASSERT_TRUE(proper.has_value()) << error;
    EXPECT_EQ(proper->selection, std::vector<uint64_t>{1});
    std::optional<native::BatchOutcome> outcome = filter.filter_batch(schema, batch.array(), nullptr, error);
    if (compiled == &ignores) {
      ASSERT_TRUE(outcome.has_value()) << error;
      EXPECT_EQ(outcome->selection, std::vector<uint64_t>{1});
    } else {
      EXPECT_FALSE(outcome.has_value());
      EXPECT_EQ(error, "column 2 (owner): the plan reads this uuid column, which a batch must hold as \"w:16\"");
    }
  }
}

}  // namespace
}  // namespace weftkit::policy::llvm_backend
