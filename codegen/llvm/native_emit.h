// Ahead-of-time output of parts of a policy module for this machine, for inspection: the
// permission module alone or one plan's functions, as textual LLVM IR, assembly or an object,
// from the same optimised modules the JIT runs. The whole module is aot_emit.h's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::llvm_backend {

enum class NativeOutput { kLlvmIr, kAssembly, kObject };

// "llvm", "asm", "obj".
std::optional<NativeOutput> parse_native_output(std::string_view name);

// The bytes of the requested output (text for IR and assembly, ELF bytes for an object).
Result<std::string> emit_permission_module(const PolicyProgram& program, NativeOutput output);

// The same for one statement plan's row and batch functions (weftkit_plan_row and
// weftkit_plan_batch, as the JIT names them), e.g. to see that a batch loop vectorises.
Result<std::string> emit_plan_module(const StatementPlan& plan, const TableDefinition& table, NativeOutput output);

}  // namespace weftkit::policy::llvm_backend
