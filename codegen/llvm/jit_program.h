// In-process native code for a policy program: an ORC JIT engine and the handle of one
// compiled program (its check function, its principal-mask builder, and the code's lifetime).
// No LLVM type appears here; engines that compile at run time include only this header.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "codegen/native/compiled_plan.h"
#include "codegen/native/module_abi.h"
#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy::llvm_backend {

// One compiled program's code, owned by a resource tracker in its own JITDylib. Move-only.
// The code stays callable until release() (or destruction); the handle keeps the engine's
// JIT alive, so it may outlive the JitEngine it came from.
class JitProgram {
 public:
  JitProgram() = default;
  JitProgram(JitProgram&& other) noexcept;
  JitProgram& operator=(JitProgram&& other) noexcept;
  JitProgram(const JitProgram&) = delete;
  JitProgram& operator=(const JitProgram&) = delete;
  ~JitProgram();

  native::CheckFunction check = nullptr;
  native::PrincipalMasksFunction principal_masks = nullptr;
  uint32_t role_count = 0;
  uint32_t class_count = 0;
  uint32_t mask_count = 0;  // entries principal_masks writes and check reads: class_count + 1

  // The per-class masks of a principal holding `roles` (already closed over inheritance).
  std::vector<uint64_t> masks_for_roles(const std::vector<RoleId>& roles) const;

  bool released() const { return code_ == nullptr; }
  // Frees the code; the function pointers become null. Returns false (with diagnostics) when
  // LLVM failed to free it. Releasing twice is a no-op.
  bool release(Diagnostics* diagnostics = nullptr);

 private:
  friend class JitEngine;
  struct Code;
  std::shared_ptr<Code> code_;
};

// An ORC LLJIT for this machine (host CPU and features, O2). JIT code can reach only a
// whitelist of symbols (memset, memcpy, memmove, memcmp and the LIKE helper), never the whole
// process's. Thread-safe.
class JitEngine {
 public:
  static Result<JitEngine> create();

  // Builds, verifies, optimises and links the program's permission module.
  Result<JitProgram> compile(const PolicyProgram& program);

  // Compiles a statement plan's row and batch functions. Fails (with the construct named) when
  // the plan holds something the code generator does not lower; see native_plan.h.
  Result<std::shared_ptr<const native::CompiledPlan>> compile_plan(const StatementPlan& plan, const TableDefinition& table);

  // One plan of several compiled together.
  struct PlanSource {
    const StatementPlan* plan = nullptr;
    const TableDefinition* table = nullptr;
  };
  // The defaults compile 1,000 policies' 200 plans in about 250 ms of CPU (bench/README.md,
  // compile_latency); O2 code generation takes ~5x longer for code ~25% faster on text.
  struct PlanCompileOptions {
    enum class Ir { kO2, kVector };  // see target_pipeline.h
    enum class CodeGeneration { kO2, kFast };  // kFast: LLVM's -O0 instruction selection and register allocation
    Ir ir = Ir::kVector;
    CodeGeneration code_generation = CodeGeneration::kFast;
    unsigned threads = 0;  // modules compiled in parallel; 0: one per hardware thread
  };
  // Compiles many plans at once: a few modules (one per thread) instead of one per plan, so
  // target set-up, passes and linking are paid per module. One result per source, in order;
  // a plan the code generator does not lower fails alone.
  std::vector<Result<std::shared_ptr<const native::CompiledPlan>>> compile_plans(const std::vector<PlanSource>& sources,
                                                                    const PlanCompileOptions& options);
  std::vector<Result<std::shared_ptr<const native::CompiledPlan>>> compile_plans(const std::vector<PlanSource>& sources) {
    return compile_plans(sources, PlanCompileOptions{});
  }

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace weftkit::policy::llvm_backend
