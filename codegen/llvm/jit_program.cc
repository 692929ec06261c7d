// ORC LLJIT engine and compiled-program handles (see jit_program.h).
#include "codegen/llvm/jit_program.h"

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <cstring>
#include <strings.h>
#include <string>

#include "codegen/llvm/llvm_error.h"
#include "codegen/llvm/permission_module.h"
#include "codegen/native/predicate_helpers.h"
#include "codegen/llvm/predicate_module.h"
#include "codegen/llvm/target_pipeline.h"

namespace weftkit::policy::llvm_backend {

struct JitEngine::State : std::enable_shared_from_this<JitEngine::State> {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  llvm::orc::JITTargetMachineBuilder machine_builder;
  llvm::orc::JITDylib* whitelist = nullptr;  // the only symbols outside its own module JIT code may use
  std::atomic<uint64_t> next_program{0};

  explicit State(llvm::orc::JITTargetMachineBuilder builder) : machine_builder(std::move(builder)) {}
};

// One module's code in its own JITDylib, removable as a whole.
struct LinkedCode {
  std::shared_ptr<JitEngine::State> engine;
  llvm::orc::JITDylib* dylib = nullptr;
  llvm::orc::ResourceTrackerSP tracker;

  LinkedCode() = default;
  LinkedCode(const LinkedCode&) = delete;
  LinkedCode& operator=(const LinkedCode&) = delete;

  // Removes the code, then the now-empty JITDylib.
  bool free(Diagnostics& diagnostics) {
    if (dylib == nullptr) return true;
    bool ok = !report_llvm_error(tracker->remove(), "freeing compiled code", diagnostics);
    ok = !report_llvm_error(engine->jit->getExecutionSession().removeJITDylib(*dylib),
                            "removing a JITDylib", diagnostics) &&
         ok;
    dylib = nullptr;
    return ok;
  }
};

struct JitProgram::Code : LinkedCode {};

// A plan's code: freed with the last CompiledPlan (or filter) that holds it; an error there can
// only be logged nowhere (no caller is left), and the code is unreachable either way.
struct PlanCode : LinkedCode {
  ~PlanCode() {
    Diagnostics ignored;
    free(ignored);
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
                 // Plans are compiled on whichever thread first needs them: one target machine
                 // per compile, not one shared (and unsynchronised) for the whole JIT.
                 .setSupportConcurrentCompilation(true)
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
  // Text comparison and LIKE in row predicates.
  symbols[state->jit->mangleAndIntern("memcmp")] = {llvm::orc::ExecutorAddr::fromPtr(&::memcmp), exported};
  // The optimiser turns a memcmp whose result is only compared with zero into bcmp.
  symbols[state->jit->mangleAndIntern("bcmp")] = {llvm::orc::ExecutorAddr::fromPtr(&::bcmp), exported};
  // The helpers generated predicate code calls (LIKE, numeric, text, casts).
  for (const native::HelperSymbol& helper : native::helper_symbols()) {
    symbols[state->jit->mangleAndIntern(helper.name)] = {llvm::orc::ExecutorAddr::fromPtr(helper.address), exported};
  }
  if (report_llvm_error(whitelist->define(llvm::orc::absoluteSymbols(std::move(symbols))),
                        "defining the symbol whitelist", diagnostics)) {
    return Result<JitEngine>::failure(std::move(diagnostics));
  }
  state->whitelist = &*whitelist;

  JitEngine engine;
  engine.state_ = std::move(state);
  return Result<JitEngine>::success(std::move(engine));
}

// Verifies, targets, optimises and links `module` into a fresh JITDylib owned by `code`.
bool link_module(JitEngine::State& state, std::unique_ptr<llvm::LLVMContext> context,
                 std::unique_ptr<llvm::Module> module, LinkedCode& code, Diagnostics& diagnostics) {
  llvm::orc::JITTargetMachineBuilder machine_builder = state.machine_builder;
  std::unique_ptr<llvm::TargetMachine> target = create_target_machine(machine_builder, diagnostics);
  if (!target || !prepare_module(*module, *target, diagnostics)) return false;
  llvm::orc::LLJIT& jit = *state.jit;
  auto dylib = jit.createJITDylib("weftkit_code_" + std::to_string(state.next_program++));
  if (!dylib) {
    report_llvm_error(dylib.takeError(), "creating a JITDylib", diagnostics);
    return false;
  }
  dylib->addToLinkOrder(*state.whitelist);
  code.dylib = &*dylib;
  code.tracker = dylib->createResourceTracker();
  return !report_llvm_error(jit.addIRModule(code.tracker, llvm::orc::ThreadSafeModule(std::move(module), std::move(context))),
                            "adding a module to the JIT", diagnostics);
}

template <class Function>
Function look_up(JitEngine::State& state, LinkedCode& code, const char* symbol, Diagnostics& diagnostics) {
  auto address = state.jit->lookup(*code.dylib, symbol);
  if (!address) {
    report_llvm_error(address.takeError(), std::string("looking up ") + symbol, diagnostics);
    return nullptr;
  }
  return address->toPtr<Function>();
}

Result<JitProgram> JitEngine::compile(const PolicyProgram& program) {
  Diagnostics diagnostics;
  auto failure = [&diagnostics] { return Result<JitProgram>::failure(std::move(diagnostics)); };

  // A fresh context per module, owned by the ThreadSafeModule (so compiles may run in parallel).
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module = build_permission_module(program, *context);
  auto code = std::make_shared<JitProgram::Code>();
  code->engine = state_;
  JitProgram compiled;
  compiled.code_ = code;  // from here on, failures free what was added
  if (!link_module(*state_, std::move(context), std::move(module), *code, diagnostics)) return failure();
  compiled.check = look_up<native::CheckFunction>(*state_, *code, native::kCheckSymbol, diagnostics);
  compiled.principal_masks = look_up<native::PrincipalMasksFunction>(*state_, *code, native::kPrincipalMasksSymbol, diagnostics);
  if (!compiled.check || !compiled.principal_masks) return failure();
  compiled.role_count = program.permissions.role_count;
  compiled.class_count = program.permissions.class_count;
  compiled.mask_count = program.permissions.class_count + 1;
  return Result<JitProgram>::success(std::move(compiled));
}

Result<std::shared_ptr<const native::CompiledPlan>> JitEngine::compile_plan(const StatementPlan& plan, const TableDefinition& table) {
  std::vector<Result<std::shared_ptr<const native::CompiledPlan>>> compiled = compile_plans({PlanSource{&plan, &table}});
  return std::move(compiled.front());
}

namespace {

using PlanResult = Result<std::shared_ptr<const native::CompiledPlan>>;

llvm::CodeGenOptLevel code_generation_level(JitEngine::PlanCompileOptions::CodeGeneration level) {
  return level == JitEngine::PlanCompileOptions::CodeGeneration::kFast ? llvm::CodeGenOptLevel::None
                                                                       : llvm::CodeGenOptLevel::Default;
}

IrPipeline ir_pipeline(JitEngine::PlanCompileOptions::Ir level) {
  switch (level) {
    case JitEngine::PlanCompileOptions::Ir::kO2: return IrPipeline::kO2;
    case JitEngine::PlanCompileOptions::Ir::kVector: return IrPipeline::kVector;
  }
  return IrPipeline::kO2;
}

// Plans `members` of `plans`, in one module: optimised and compiled to an object here, then
// linked into a fresh JITDylib that all of them share (freed with the last of them).
void compile_plan_module(JitEngine::State& state, const JitEngine::PlanCompileOptions& options,
                         std::vector<std::shared_ptr<native::CompiledPlan>>& plans, const std::vector<size_t>& members,
                         std::vector<std::optional<PlanResult>>& results) {
  Diagnostics diagnostics;
  auto fail_all = [&] {
    for (size_t index : members) results[index] = PlanResult::failure(diagnostics);
  };
  llvm::orc::JITTargetMachineBuilder machine_builder = state.machine_builder;
  machine_builder.setCodeGenOptLevel(code_generation_level(options.code_generation));
  std::unique_ptr<llvm::TargetMachine> target = create_target_machine(machine_builder, diagnostics);
  if (!target) return fail_all();

  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("weftkit_plans", *context);
  auto row_symbol = [](size_t index) { return std::string(native::kPlanRowSymbol) + "_" + std::to_string(index); };
  auto batch_symbol = [](size_t index) { return std::string(native::kPlanBatchSymbol) + "_" + std::to_string(index); };
  for (size_t index : members) {
    const native::CompiledPlan& plan = *plans[index];
    add_plan_functions(*module, plan.plan(), plan.table(), plan.layout(), row_symbol(index), batch_symbol(index));
  }
  if (!prepare_module(*module, *target, diagnostics, ir_pipeline(options.ir))) return fail_all();
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> object = llvm::orc::SimpleCompiler(*target)(*module);
  if (!object) {
    report_llvm_error(object.takeError(), "generating machine code", diagnostics);
    return fail_all();
  }

  llvm::orc::LLJIT& jit = *state.jit;
  auto code = std::make_shared<PlanCode>();
  code->engine = state.shared_from_this();
  auto dylib = jit.createJITDylib("weftkit_plans_" + std::to_string(state.next_program++));
  if (!dylib) {
    report_llvm_error(dylib.takeError(), "creating a JITDylib", diagnostics);
    return fail_all();
  }
  dylib->addToLinkOrder(*state.whitelist);
  code->dylib = &*dylib;
  code->tracker = dylib->createResourceTracker();
  if (report_llvm_error(jit.addObjectFile(code->tracker, std::move(*object)), "adding plan code to the JIT",
                        diagnostics)) {
    return fail_all();
  }
  // Every symbol in one lookup: the object is linked once.
  llvm::orc::SymbolLookupSet wanted;
  for (size_t index : members) {
    wanted.add(jit.mangleAndIntern(row_symbol(index)));
    wanted.add(jit.mangleAndIntern(batch_symbol(index)));
  }
  auto found = jit.getExecutionSession().lookup(llvm::orc::makeJITDylibSearchOrder(code->dylib), std::move(wanted));
  if (!found) {
    report_llvm_error(found.takeError(), "linking plan code", diagnostics);
    return fail_all();
  }
  for (size_t index : members) {
    auto row = (*found)[jit.mangleAndIntern(row_symbol(index))].getAddress().toPtr<native::PlanRowFunction>();
    auto batch = (*found)[jit.mangleAndIntern(batch_symbol(index))].getAddress().toPtr<native::PlanBatchFunction>();
    plans[index]->set_code(row, batch, code);
    results[index] = PlanResult::success(std::shared_ptr<const native::CompiledPlan>(std::move(plans[index])));
  }
}

}  // namespace

std::vector<Result<std::shared_ptr<const native::CompiledPlan>>> JitEngine::compile_plans(const std::vector<PlanSource>& sources,
                                                                            const PlanCompileOptions& options) {
  std::vector<std::optional<PlanResult>> results(sources.size());
  std::vector<std::shared_ptr<native::CompiledPlan>> plans(sources.size());
  std::vector<size_t> compilable;
  for (size_t index = 0; index < sources.size(); ++index) {
    plans[index] = std::make_shared<native::CompiledPlan>(*sources[index].plan, *sources[index].table);
    if (plans[index]->layout().supported) {
      compilable.push_back(index);
      continue;
    }
    Diagnostics diagnostics;
    diagnostics.error({}, "the JIT does not compile " + plans[index]->layout().unsupported_reason);
    results[index] = PlanResult::failure(std::move(diagnostics));
  }
  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  size_t modules = std::min<size_t>(threads, compilable.size());
  std::vector<std::vector<size_t>> members(modules);
  for (size_t position = 0; position < compilable.size(); ++position) members[position % modules].push_back(compilable[position]);
  std::vector<std::thread> workers;
  for (size_t module = 1; module < modules; ++module) {
    workers.emplace_back([&, module] { compile_plan_module(*state_, options, plans, members[module], results); });
  }
  if (modules > 0) compile_plan_module(*state_, options, plans, members[0], results);
  for (std::thread& worker : workers) worker.join();

  std::vector<PlanResult> out;
  out.reserve(sources.size());
  for (std::optional<PlanResult>& result : results) out.push_back(std::move(*result));
  return out;
}

}  // namespace weftkit::policy::llvm_backend
