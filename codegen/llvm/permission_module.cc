// LLVM IR emission for the permission check (see permission_module.h and module_abi.h).
#include "codegen/llvm/permission_module.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <vector>

#include "codegen/native/module_abi.h"

namespace weftkit::policy::llvm_backend {
namespace {

llvm::GlobalVariable* add_constant(llvm::Module& module, const char* name, llvm::Constant* value) {
  auto* global = new llvm::GlobalVariable(module, value->getType(), /*isConstant=*/true,
                                          llvm::GlobalValue::ExternalLinkage, value, name);
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::None);
  global->setAlignment(llvm::Align(8));
  return global;
}

// (role_count + 1) × class_count masks; the extra last role row is all zero, so that an
// unknown role id can be clamped to it instead of being tested with a branch.
llvm::GlobalVariable* add_mask_table(llvm::Module& module, const char* name, const PermissionMatrix& matrix,
                                     bool allow) {
  std::vector<uint64_t> masks((static_cast<size_t>(matrix.role_count) + 1) * matrix.class_count, 0);
  const std::vector<OpMask>& source = allow ? matrix.allow : matrix.deny;
  for (size_t index = 0; index < source.size(); ++index) masks[index] = source[index];
  return add_constant(module, name, llvm::ConstantDataArray::get(module.getContext(), masks));
}

// bool weftkit_check(const uint64_t* masks, uint32_t resource_class, uint32_t op):
// one load, a shift and an AND; the range checks are selects, never branches.
void add_check_function(llvm::Module& module, uint32_t class_count) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* i1 = llvm::Type::getInt1Ty(context);
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  auto* type = llvm::FunctionType::get(i1, {ptr, i32, i32}, false);
  auto* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, native::kCheckSymbol, module);
  function->addRetAttr(llvm::Attribute::ZExt);  // C's bool return
  function->addParamAttr(0, llvm::Attribute::NoAlias);
  function->addParamAttr(0, llvm::Attribute::ReadOnly);
  function->addParamAttr(0, llvm::Attribute::NoCapture);
  function->addFnAttr(llvm::Attribute::NoUnwind);
  function->addFnAttr(llvm::Attribute::WillReturn);
  function->addFnAttr(llvm::Attribute::NoFree);
  function->addFnAttr(llvm::Attribute::NoSync);
  llvm::Argument* masks = function->getArg(0);
  llvm::Argument* resource_class = function->getArg(1);
  llvm::Argument* op = function->getArg(2);
  masks->setName("principal_masks");
  resource_class->setName("resource_class");
  op->setName("op");

  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", function));
  llvm::Value* zero_row = builder.getInt32(class_count);  // masks[class_count] is always 0
  llvm::Value* class_in_range = builder.CreateICmpULT(resource_class, zero_row, "class_in_range");
  llvm::Value* row = builder.CreateSelect(class_in_range, resource_class, zero_row, "row");
  llvm::Value* slot = builder.CreateInBoundsGEP(i64, masks, builder.CreateZExt(row, i64), "slot");
  llvm::Value* mask = builder.CreateAlignedLoad(i64, slot, llvm::Align(8), "mask");
  llvm::Value* op_in_range = builder.CreateICmpULT(op, builder.getInt32(64), "op_in_range");
  llvm::Value* shift = builder.CreateAnd(builder.CreateZExt(op, i64), builder.getInt64(63), "shift");
  llvm::Value* bit = builder.CreateTrunc(builder.CreateLShr(mask, shift), i1, "bit");
  builder.CreateRet(builder.CreateAnd(bit, op_in_range, "allowed"));
}

// void weftkit_principal_masks(const uint32_t* role_ids, uint32_t role_count, uint64_t* out):
// for each class, OR the held roles' allow and deny rows, store allow & ~deny; then the
// trailing zero. Runs once per principal, so plain loops are fine here.
void add_principal_masks_function(llvm::Module& module, const PermissionMatrix& matrix,
                                  llvm::GlobalVariable* allow_table, llvm::GlobalVariable* deny_table) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr, i32, ptr}, false);
  auto* function =
      llvm::Function::Create(type, llvm::Function::ExternalLinkage, native::kPrincipalMasksSymbol, module);
  function->addParamAttr(0, llvm::Attribute::NoAlias);
  function->addParamAttr(0, llvm::Attribute::ReadOnly);
  function->addParamAttr(0, llvm::Attribute::NoCapture);
  function->addParamAttr(2, llvm::Attribute::NoAlias);
  function->addParamAttr(2, llvm::Attribute::NoCapture);
  function->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Argument* role_ids = function->getArg(0);
  llvm::Argument* role_count = function->getArg(1);
  llvm::Argument* out = function->getArg(2);
  role_ids->setName("role_ids");
  role_count->setName("role_count");
  out->setName("out_masks");

  auto* entry = llvm::BasicBlock::Create(context, "entry", function);
  auto* class_loop = llvm::BasicBlock::Create(context, "class_loop", function);
  auto* role_loop = llvm::BasicBlock::Create(context, "role_loop", function);
  auto* role_body = llvm::BasicBlock::Create(context, "role_body", function);
  auto* class_done = llvm::BasicBlock::Create(context, "class_done", function);
  auto* exit = llvm::BasicBlock::Create(context, "exit", function);
  llvm::IRBuilder<> builder(entry);
  const uint32_t class_count = matrix.class_count;
  // A built matrix always has the "everything else" class; an empty one only writes the zero.
  builder.CreateCondBr(builder.getInt1(class_count > 0), class_loop, exit);

  builder.SetInsertPoint(class_loop);
  llvm::PHINode* class_index = builder.CreatePHI(i32, 2, "class");
  class_index->addIncoming(builder.getInt32(0), entry);
  builder.CreateBr(role_loop);

  builder.SetInsertPoint(role_loop);
  llvm::PHINode* role_index = builder.CreatePHI(i32, 2, "role_index");
  llvm::PHINode* allow = builder.CreatePHI(i64, 2, "allow");
  llvm::PHINode* deny = builder.CreatePHI(i64, 2, "deny");
  role_index->addIncoming(builder.getInt32(0), class_loop);
  allow->addIncoming(builder.getInt64(0), class_loop);
  deny->addIncoming(builder.getInt64(0), class_loop);
  builder.CreateCondBr(builder.CreateICmpULT(role_index, role_count), role_body, class_done);

  builder.SetInsertPoint(role_body);
  llvm::Value* role = builder.CreateAlignedLoad(
      i32, builder.CreateInBoundsGEP(i32, role_ids, builder.CreateZExt(role_index, i64)), llvm::Align(4), "role");
  llvm::Value* zero_role = builder.getInt32(matrix.role_count);
  llvm::Value* row = builder.CreateSelect(builder.CreateICmpULT(role, zero_role), role, zero_role, "row");
  llvm::Value* cell = builder.CreateAdd(builder.CreateMul(builder.CreateZExt(row, i64), builder.getInt64(class_count)),
                                        builder.CreateZExt(class_index, i64), "cell");
  llvm::Value* role_allow =
      builder.CreateAlignedLoad(i64, builder.CreateInBoundsGEP(i64, allow_table, cell), llvm::Align(8));
  llvm::Value* role_deny =
      builder.CreateAlignedLoad(i64, builder.CreateInBoundsGEP(i64, deny_table, cell), llvm::Align(8));
  allow->addIncoming(builder.CreateOr(allow, role_allow), role_body);
  deny->addIncoming(builder.CreateOr(deny, role_deny), role_body);
  role_index->addIncoming(builder.CreateAdd(role_index, builder.getInt32(1)), role_body);
  builder.CreateBr(role_loop);

  builder.SetInsertPoint(class_done);
  // Bits past the last operation are never set, so an op in [kOperationCount, 64) is denied.
  llvm::Value* effective =
      builder.CreateAnd(builder.CreateAnd(allow, builder.CreateNot(deny)), builder.getInt64(kAllOperations), "effective");
  builder.CreateAlignedStore(effective, builder.CreateInBoundsGEP(i64, out, builder.CreateZExt(class_index, i64)),
                             llvm::Align(8));
  llvm::Value* next_class = builder.CreateAdd(class_index, builder.getInt32(1), "next_class");
  class_index->addIncoming(next_class, class_done);
  builder.CreateCondBr(builder.CreateICmpULT(next_class, builder.getInt32(class_count)), class_loop, exit);

  builder.SetInsertPoint(exit);
  builder.CreateAlignedStore(builder.getInt64(0), builder.CreateInBoundsGEP(i64, out, builder.getInt64(class_count)),
                             llvm::Align(8));
  builder.CreateRetVoid();
}

}  // namespace

std::unique_ptr<llvm::Module> build_permission_module(const PolicyProgram& program, llvm::LLVMContext& context) {
  auto module = std::make_unique<llvm::Module>("weftkit_permissions", context);
  const PermissionMatrix& matrix = program.permissions;
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  add_constant(*module, native::kAbiVersionSymbol, llvm::ConstantInt::get(i32, native::kModuleAbiVersion));
  add_constant(*module, native::kRoleCountSymbol, llvm::ConstantInt::get(i32, matrix.role_count));
  add_constant(*module, native::kClassCountSymbol, llvm::ConstantInt::get(i32, matrix.class_count));
  add_constant(*module, native::kMaskCountSymbol, llvm::ConstantInt::get(i32, matrix.class_count + 1));
  llvm::GlobalVariable* allow_table = add_mask_table(*module, native::kAllowMasksSymbol, matrix, /*allow=*/true);
  llvm::GlobalVariable* deny_table = add_mask_table(*module, native::kDenyMasksSymbol, matrix, /*allow=*/false);
  add_check_function(*module, matrix.class_count);
  add_principal_masks_function(*module, matrix, allow_table, deny_table);
  return module;
}

}  // namespace weftkit::policy::llvm_backend
