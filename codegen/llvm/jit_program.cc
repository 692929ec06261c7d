// ORC LLJIT engine and compiled-program handles (see jit_program.h).
#include "codegen/llvm/jit_program.h"

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <atomic>
#include <cstring>
#include <string>

#include "codegen/llvm/llvm_error.h"
#include "codegen/llvm/permission_module.h"
#include "codegen/llvm/target_pipeline.h"

namespace weftkit::policy::llvm_backend {

struct JitEngine::State {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  llvm::orc::JITTargetMachineBuilder machine_builder;
  llvm::orc::JITDylib* whitelist = nullptr;  // the only symbols outside its own module JIT code may use
  std::atomic<uint64_t> next_program{0};

  explicit State(llvm::orc::JITTargetMachineBuilder builder) : machine_builder(std::move(builder)) {}
};

struct JitProgram::Code {
  std::shared_ptr<JitEngine::State> engine;
  llvm::orc::JITDylib* dylib = nullptr;
  llvm::orc::ResourceTrackerSP tracker;

  // Removes the code, then the now-empty JITDylib.
  bool free(Diagnostics& diagnostics) {
    bool ok = !report_llvm_error(tracker->remove(), "freeing a compiled program's code", diagnostics);
    ok = !report_llvm_error(engine->jit->getExecutionSession().removeJITDylib(*dylib),
                            "removing a compiled program's JITDylib", diagnostics) &&
         ok;
    return ok;
  }
};

JitProgram::JitProgram(JitProgram&& other) noexcept { *this = std::move(other); }

JitProgram& JitProgram::operator=(JitProgram&& other) noexcept {
  if (this == &other) return *this;
  release();
  check = std::exchange(other.check, nullptr);
  principal_masks = std::exchange(other.principal_masks, nullptr);
  role_count = std::exchange(other.role_count, 0);
  class_count = std::exchange(other.class_count, 0);
  mask_count = std::exchange(other.mask_count, 0);
  code_ = std::move(other.code_);
  return *this;
}

JitProgram::~JitProgram() { release(); }

std::vector<uint64_t> JitProgram::masks_for_roles(const std::vector<RoleId>& roles) const {
  std::vector<uint64_t> masks(mask_count, 0);
  if (principal_masks) principal_masks(roles.data(), static_cast<uint32_t>(roles.size()), masks.data());
  return masks;
}

bool JitProgram::release(Diagnostics* diagnostics) {
  if (!code_) return true;
  Diagnostics ignored;
  bool ok = code_->free(diagnostics ? *diagnostics : ignored);
  code_.reset();
  check = nullptr;
  principal_masks = nullptr;
  return ok;
}

Result<JitEngine> JitEngine::create() {
  Diagnostics diagnostics;
  std::optional<llvm::orc::JITTargetMachineBuilder> machine = host_machine_builder(diagnostics);
  if (!machine) return Result<JitEngine>::failure(std::move(diagnostics));
  auto state = std::make_shared<State>(*machine);
  // No process symbols by default and no platform runtime: generated code sees only what is
  // defined in its own module and in the whitelist below.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*machine))
                 .setLinkProcessSymbolsByDefault(false)
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .create();
  if (!jit) {
    report_llvm_error(jit.takeError(), "creating the JIT", diagnostics);
    return Result<JitEngine>::failure(std::move(diagnostics));
  }
  state->jit = std::move(*jit);

  auto whitelist = state->jit->createJITDylib("weftkit_whitelist");
  if (!whitelist) {
    report_llvm_error(whitelist.takeError(), "creating the symbol whitelist", diagnostics);
    return Result<JitEngine>::failure(std::move(diagnostics));
  }
  // The optimiser may turn the mask loops into these library calls.
  auto exported = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
  llvm::orc::SymbolMap symbols;
  symbols[state->jit->mangleAndIntern("memset")] = {llvm::orc::ExecutorAddr::fromPtr(&::memset), exported};
  symbols[state->jit->mangleAndIntern("memcpy")] = {llvm::orc::ExecutorAddr::fromPtr(&::memcpy), exported};
  symbols[state->jit->mangleAndIntern("memmove")] = {llvm::orc::ExecutorAddr::fromPtr(&::memmove), exported};
  if (report_llvm_error(whitelist->define(llvm::orc::absoluteSymbols(std::move(symbols))),
                        "defining the symbol whitelist", diagnostics)) {
    return Result<JitEngine>::failure(std::move(diagnostics));
  }
  state->whitelist = &*whitelist;

  JitEngine engine;
  engine.state_ = std::move(state);
  return Result<JitEngine>::success(std::move(engine));
}

Result<JitProgram> JitEngine::compile(const PolicyProgram& program) {
  Diagnostics diagnostics;
  auto failure = [&diagnostics] { return Result<JitProgram>::failure(std::move(diagnostics)); };

  // A fresh context per module, owned by the ThreadSafeModule (so compiles may run in parallel).
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module = build_permission_module(program, *context);
  llvm::orc::JITTargetMachineBuilder machine_builder = state_->machine_builder;
  std::unique_ptr<llvm::TargetMachine> target = create_target_machine(machine_builder, diagnostics);
  if (!target || !prepare_module(*module, *target, diagnostics)) return failure();

  llvm::orc::LLJIT& jit = *state_->jit;
  auto dylib = jit.createJITDylib("weftkit_program_" + std::to_string(state_->next_program++));
  if (!dylib) {
    report_llvm_error(dylib.takeError(), "creating a JITDylib for the program", diagnostics);
    return failure();
  }
  dylib->addToLinkOrder(*state_->whitelist);

  auto code = std::make_shared<JitProgram::Code>();
  code->engine = state_;
  code->dylib = &*dylib;
  code->tracker = dylib->createResourceTracker();
  JitProgram compiled;
  compiled.code_ = code;  // from here on, failures free what was added

  if (report_llvm_error(
          jit.addIRModule(code->tracker, llvm::orc::ThreadSafeModule(std::move(module), std::move(context))),
          "adding the permission module to the JIT", diagnostics)) {
    return failure();
  }
  auto check = jit.lookup(*code->dylib, kCheckSymbol);
  if (!check) {
    report_llvm_error(check.takeError(), "looking up weftkit_check", diagnostics);
    return failure();
  }
  auto masks = jit.lookup(*code->dylib, kPrincipalMasksSymbol);
  if (!masks) {
    report_llvm_error(masks.takeError(), "looking up weftkit_principal_masks", diagnostics);
    return failure();
  }
  compiled.check = check->toPtr<CheckFunction>();
  compiled.principal_masks = masks->toPtr<PrincipalMasksFunction>();
  compiled.role_count = program.permissions.role_count;
  compiled.class_count = program.permissions.class_count;
  compiled.mask_count = program.permissions.class_count + 1;
  return Result<JitProgram>::success(std::move(compiled));
}

}  // namespace weftkit::policy::llvm_backend
