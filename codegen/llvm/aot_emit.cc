// Ahead-of-time module objects (see aot_emit.h).
#include "codegen/llvm/aot_emit.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <set>

#include "codegen/aot/aot_symbols.h"
#include "codegen/interp/principal.h"
#include "codegen/llvm/native_plan.h"
#include "codegen/llvm/permission_module.h"
#include "codegen/llvm/predicate_module.h"
#include "codegen/llvm/target_pipeline.h"

namespace weftkit::policy::llvm_backend {
namespace {

const StatementShape kShapes[] = {
    {StatementCommand::kSelect, true, false},  {StatementCommand::kInsert, false, false},
    {StatementCommand::kInsert, false, true},  {StatementCommand::kUpdate, true, false},
    {StatementCommand::kUpdate, true, true},   {StatementCommand::kUpdate, false, false},
    {StatementCommand::kUpdate, false, true},  {StatementCommand::kDelete, true, false},
    {StatementCommand::kDelete, true, true},   {StatementCommand::kDelete, false, false},
    {StatementCommand::kDelete, false, true},
};

std::vector<interp::Principal> known_principals(const PolicyProgram& program) {
  std::vector<interp::Principal> principals;
  for (const UserDefinition& user : program.users) principals.push_back(interp::resolve_principal(program, user.name, {}));
  for (RoleId role = 0; role < program.roles.size(); ++role) principals.push_back(interp::resolve_principal(program, "", {role}));
  principals.push_back(interp::resolve_principal(program, "", {}));
  return principals;
}

llvm::GlobalVariable* add_constant(llvm::Module& module, const char* name, llvm::Constant* value) {
  return new llvm::GlobalVariable(module, value->getType(), /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
                                  value, name);
}

}  // namespace

Result<AotObject> emit_aot_object(const PolicyProgram& program, const std::string& bundle, const std::string& origin) {
  Diagnostics diagnostics;
  auto failure = [&diagnostics] { return Result<AotObject>::failure(std::move(diagnostics)); };
  std::optional<llvm::orc::JITTargetMachineBuilder> machine = host_machine_builder(diagnostics);
  if (!machine) return failure();
  std::unique_ptr<llvm::TargetMachine> target = create_target_machine(*machine, diagnostics);
  if (!target) return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = build_permission_module(program, context);
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);

  AotObject out;
  std::set<std::string> seen;
  std::vector<llvm::Constant*> entries;
  auto* entry_type = llvm::StructType::get(context, {ptr, ptr, ptr});
  std::vector<interp::Principal> principals = known_principals(program);
  for (const TableDefinition& table : program.tables) {
    for (const StatementShape& shape : kShapes) {
      for (const interp::Principal& principal : principals) {
        auto applies = [&](const RowPolicy& policy) { return interp::policy_applies_to(program, principal, policy); };
        StatementPlan plan = plan_statement(table, shape, applies, interp::bypasses_row_security(program, principal));
        std::string key = plan_key(table.name.qualified(), plan);
        if (!seen.insert(key).second) continue;
        NativePlanLayout layout = lay_out_native_plan(plan);
        if (!layout.supported) {
          ++out.plans_interpreted;
          continue;
        }
        std::string index = std::to_string(out.plans_compiled++);
        std::string row_symbol = "weftkit_aot_row_" + index;
        std::string batch_symbol = "weftkit_aot_batch_" + index;
        add_plan_functions(*module, plan, table, layout, row_symbol, batch_symbol);
        llvm::Constant* key_text = llvm::ConstantDataArray::getString(context, key);
        auto* key_global = new llvm::GlobalVariable(*module, key_text->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                                    key_text, "weftkit_aot_key_" + index);
        entries.push_back(llvm::ConstantStruct::get(
            entry_type, {key_global, module->getFunction(row_symbol), module->getFunction(batch_symbol)}));
      }
    }
  }
  add_constant(*module, aot::kPlansSymbol, llvm::ConstantArray::get(llvm::ArrayType::get(entry_type, entries.size()), entries));
  add_constant(*module, aot::kPlanCountSymbol, llvm::ConstantInt::get(i64, entries.size()));
  add_constant(*module, aot::kBundleSymbol,
               llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(bundle.data()),
                                                                            bundle.size())));
  add_constant(*module, aot::kBundleSizeSymbol, llvm::ConstantInt::get(i64, bundle.size()));
  add_constant(*module, aot::kOriginSymbol, llvm::ConstantDataArray::getString(context, origin));

  if (!prepare_module(*module, *target, diagnostics)) return failure();
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager codegen;
  if (target->addPassesToEmitFile(codegen, stream, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    diagnostics.error(SourceLocation{}, "internal error: the host target cannot emit object files");
    return failure();
  }
  codegen.run(*module);
  out.bytes.assign(buffer.begin(), buffer.end());
  return Result<AotObject>::success(std::move(out));
}

}  // namespace weftkit::policy::llvm_backend
