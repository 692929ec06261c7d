// Ahead-of-time module objects (see aot_emit.h).
#include "codegen/llvm/aot_emit.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <set>

#include "codegen/native/aot_symbols.h"
#include "codegen/semantics/principal.h"
#include "codegen/llvm/module_output.h"
#include "codegen/native/native_plan.h"
#include "codegen/llvm/permission_module.h"
#include "codegen/llvm/predicate_module.h"
#include <weftkit/policy_module_abi.h>

namespace weftkit::policy::llvm_backend {
namespace {

llvm::GlobalVariable* add_constant(llvm::Module& module, const char* name, llvm::Constant* value) {
  return new llvm::GlobalVariable(module, value->getType(), /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
                                  value, name);
}

// The entry point lives in the generated object, not in the support library, so that the
// object alone is the module: linking it pulls the support code in by its reference to
// weftkit_aot_module_table, and `nm` on it shows what a loader will look for.
void add_entry_point(llvm::Module& module) {
  llvm::LLVMContext& context = module.getContext();
  auto* signature = llvm::FunctionType::get(llvm::PointerType::getUnqual(context), false);
  llvm::Function* table = llvm::Function::Create(signature, llvm::GlobalValue::ExternalLinkage,
                                                 native::kModuleTableSymbol, module);
  table->setVisibility(llvm::GlobalValue::HiddenVisibility);  // in the same shared library: no PLT
  llvm::Function* entry = llvm::Function::Create(signature, llvm::GlobalValue::ExternalLinkage,
                                                 WEFTKIT_MODULE_ENTRY_SYMBOL, module);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", entry));
  llvm::CallInst* call = builder.CreateCall(table);
  call->setTailCall();
  builder.CreateRet(call);
}

// Adds the precompiled plans, their table by key and the metadata the support code reads.
void add_module_contents(llvm::Module& module, const PolicyProgram& program, const AotModuleContents& contents,
                         AotModule& out) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  auto* entry_type = llvm::StructType::get(context, {ptr, ptr, ptr});  // native::PrecompiledPlan
  std::vector<llvm::Constant*> entries;
  std::set<std::string> seen;
  for (const native::KnownPlan& candidate : contents.plans) {
    const TableDefinition& table = program.tables.at(candidate.table);
    std::string key = native::plan_key(table.name.qualified(), candidate.plan);
    if (!seen.insert(key).second) continue;
    native::NativePlanLayout layout = native::lay_out_native_plan(candidate.plan);
    if (!layout.supported) {
      ++out.plans_interpreted;
      continue;
    }
    std::string index = std::to_string(out.plans_compiled++);
    std::string row_symbol = "weftkit_aot_row_" + index;
    std::string batch_symbol = "weftkit_aot_batch_" + index;
    add_plan_functions(module, candidate.plan, table, layout, row_symbol, batch_symbol);
    llvm::Constant* key_text = llvm::ConstantDataArray::getString(context, key);
    auto* key_global = new llvm::GlobalVariable(module, key_text->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                                key_text, "weftkit_aot_key_" + index);
    entries.push_back(llvm::ConstantStruct::get(
        entry_type, {key_global, module.getFunction(row_symbol), module.getFunction(batch_symbol)}));
  }
  add_constant(module, native::kPlansSymbol, llvm::ConstantArray::get(llvm::ArrayType::get(entry_type, entries.size()), entries));
  add_constant(module, native::kPlanCountSymbol, llvm::ConstantInt::get(i64, entries.size()));
  const std::string& bundle = contents.bundle;
  add_constant(module, native::kBundleSymbol,
               llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(bundle.data()),
                                                                            bundle.size())));
  add_constant(module, native::kBundleSizeSymbol, llvm::ConstantInt::get(i64, bundle.size()));
  add_constant(module, native::kOriginSymbol, llvm::ConstantDataArray::getString(context, contents.origin));
  add_entry_point(module);
}

}  // namespace

Result<AotModule> emit_aot_module(const PolicyProgram& program, const AotModuleContents& contents, NativeOutput output) {
  AotModule out;
  Result<std::string> bytes = emit_native_output(
      [&](llvm::LLVMContext& context) {
        std::unique_ptr<llvm::Module> module = build_permission_module(program, context);
        add_module_contents(*module, program, contents, out);
        return module;
      },
      output);
  if (!bytes.ok()) return Result<AotModule>::failure(bytes.diagnostics());
  out.bytes = std::move(bytes).value();
  return Result<AotModule>::success(std::move(out), bytes.diagnostics());
}

}  // namespace weftkit::policy::llvm_backend
