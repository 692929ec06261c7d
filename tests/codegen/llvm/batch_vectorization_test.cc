// What the batch code compiles to on this machine: an integer predicate's 64-row steps are
// vector instructions (compares over several lanes at once), not a branch per row.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "codegen/semantics/principal.h"
#include "codegen/llvm/native_emit.h"
#include "compiler/driver/compile_files.h"

namespace weftkit::policy::llvm_backend {
namespace {

// The assembly of one function: from its label to the end marker LLVM prints after it.
std::string function_body(const std::string& assembly, const std::string& name) {
  size_t start = assembly.find("\n" + name + ":");
  if (start == std::string::npos) return "";
  size_t end = assembly.find(".Lfunc_end", start);
  return assembly.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string plan_assembly(const std::string& policies) {
  SourceTexts sources;
  Result<PolicyProgram> program = compile_sources({SourceInput{"roles.yaml", "roles: []\n"}, SourceInput{"policies.sql", policies}}, sources);
  EXPECT_TRUE(program.ok()) << render_diagnostics(program.diagnostics(), sources);
  if (!program.ok()) return "";
  semantics::Principal nobody = semantics::resolve_principal(program.value(), "alice", {});
  auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program.value(), nobody, policy); };
  StatementPlan plan = plan_statement(program.value().tables[0], {StatementCommand::kSelect, true, false}, applies, false);
  Result<std::string> assembly = emit_plan_module(plan, program.value().tables[0], NativeOutput::kAssembly);
  EXPECT_TRUE(assembly.ok());
  return assembly.ok() ? assembly.value() : "";
}

TEST(BatchCode, IntegerPredicateComparesManyRowsPerInstruction) {
  std::string assembly = plan_assembly(
      "CREATE TABLE payments (tenant_id integer, amount bigint);\n"
      "ALTER TABLE payments ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY p ON payments USING (tenant_id = current_setting('app.tenant_id')::int AND amount > 100);\n");
  std::string batch = function_body(assembly, "weftkit_plan_batch");
  ASSERT_FALSE(batch.empty()) << assembly.substr(0, 2000);
  // Packed integer compares on xmm/ymm/zmm registers: SSE2/AVX2 pcmpeqd/pcmpgtq, or AVX-512's
  // predicated vpcmp{eq,neq,lt,nlt,...}{d,q} writing mask registers.
  std::regex packed_compare(R"(\bv?pcmp[a-z]*[bwdq]\s+[^\n]*%[xyz]mm)");
  EXPECT_TRUE(std::regex_search(batch, packed_compare)) << batch.substr(0, 4000);
}

TEST(BatchCode, TextPredicateRunsOneRowAtATimeWithoutVectorSteps) {
  std::string assembly = plan_assembly(
      "CREATE TABLE docs (owner text);\n"
      "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY p ON docs USING (owner = current_user);\n");
  std::string batch = function_body(assembly, "weftkit_plan_batch");
  ASSERT_FALSE(batch.empty());
  EXPECT_NE(batch.find("bcmp"), std::string::npos) << batch.substr(0, 4000);  // a byte compare per row
}

}  // namespace
}  // namespace weftkit::policy::llvm_backend
