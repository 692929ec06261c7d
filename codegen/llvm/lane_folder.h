// An IRBuilder folder for the lane code: LLVM's constant folder plus the identities the
// lowering produces all the time — AND/OR/XOR with all-true or all-false lanes, the same value
// on both sides, NOT of NOT, selects on a constant condition or between equal values. The
// lowering writes three-valued logic and PostgreSQL's error order generally ("reached and not
// raised and ..."), and most of those terms are constants for a given plan; folding them while
// building keeps them out of the IR instead of leaving them for optimisation passes, which cost
// most of a plan's compile time. Internal to codegen/llvm.
#pragma once

#include <llvm/IR/ConstantFolder.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilderFolder.h>
#include <llvm/IR/Instructions.h>

namespace weftkit::policy::llvm_backend {

class LaneFolder final : public llvm::IRBuilderFolder {
 public:
  llvm::Value* FoldBinOp(llvm::Instruction::BinaryOps op, llvm::Value* left, llvm::Value* right) const override {
    if (llvm::Value* folded = constants_.FoldBinOp(op, left, right)) return folded;
    if (op != llvm::Instruction::And && op != llvm::Instruction::Or && op != llvm::Instruction::Xor) return nullptr;
    if (!left->getType()->isIntOrIntVectorTy(1)) return nullptr;
    if (llvm::isa<llvm::Constant>(left)) std::swap(left, right);  // a constant, if any, on the right
    if (op == llvm::Instruction::Xor) {
      if (is_all(right, false)) return left;
      // NOT (NOT x) = x
      auto* inner = llvm::dyn_cast<llvm::BinaryOperator>(left);
      if (is_all(right, true) && inner && inner->getOpcode() == llvm::Instruction::Xor &&
          is_all(inner->getOperand(1), true)) {
        return inner->getOperand(0);
      }
      return nullptr;
    }
    if (left == right) return left;
    bool is_and = op == llvm::Instruction::And;
    if (is_all(right, is_and)) return left;     // x AND true, x OR false
    if (is_all(right, !is_and)) return right;   // x AND false, x OR true
    return nullptr;
  }
  llvm::Value* FoldExactBinOp(llvm::Instruction::BinaryOps op, llvm::Value* left, llvm::Value* right,
                              bool exact) const override {
    return constants_.FoldExactBinOp(op, left, right, exact);
  }
  llvm::Value* FoldNoWrapBinOp(llvm::Instruction::BinaryOps op, llvm::Value* left, llvm::Value* right, bool nuw,
                               bool nsw) const override {
    return constants_.FoldNoWrapBinOp(op, left, right, nuw, nsw);
  }
  llvm::Value* FoldBinOpFMF(llvm::Instruction::BinaryOps op, llvm::Value* left, llvm::Value* right,
                            llvm::FastMathFlags flags) const override {
    return constants_.FoldBinOpFMF(op, left, right, flags);
  }
  llvm::Value* FoldUnOpFMF(llvm::Instruction::UnaryOps op, llvm::Value* value, llvm::FastMathFlags flags) const override {
    return constants_.FoldUnOpFMF(op, value, flags);
  }
  llvm::Value* FoldCmp(llvm::CmpInst::Predicate predicate, llvm::Value* left, llvm::Value* right) const override {
    return constants_.FoldCmp(predicate, left, right);
  }
  llvm::Value* FoldGEP(llvm::Type* type, llvm::Value* pointer, llvm::ArrayRef<llvm::Value*> indices,
                       llvm::GEPNoWrapFlags flags) const override {
    return constants_.FoldGEP(type, pointer, indices, flags);
  }
  llvm::Value* FoldSelect(llvm::Value* condition, llvm::Value* when_true, llvm::Value* when_false) const override {
    if (llvm::Value* folded = constants_.FoldSelect(condition, when_true, when_false)) return folded;
    if (when_true == when_false) return when_true;
    if (is_all(condition, true)) return when_true;
    if (is_all(condition, false)) return when_false;
    return nullptr;
  }
  llvm::Value* FoldExtractValue(llvm::Value* aggregate, llvm::ArrayRef<unsigned> indices) const override {
    return constants_.FoldExtractValue(aggregate, indices);
  }
  llvm::Value* FoldInsertValue(llvm::Value* aggregate, llvm::Value* value, llvm::ArrayRef<unsigned> indices) const override {
    return constants_.FoldInsertValue(aggregate, value, indices);
  }
  llvm::Value* FoldExtractElement(llvm::Value* vector, llvm::Value* index) const override {
    return constants_.FoldExtractElement(vector, index);
  }
  llvm::Value* FoldInsertElement(llvm::Value* vector, llvm::Value* element, llvm::Value* index) const override {
    return constants_.FoldInsertElement(vector, element, index);
  }
  llvm::Value* FoldShuffleVector(llvm::Value* first, llvm::Value* second, llvm::ArrayRef<int> mask) const override {
    return constants_.FoldShuffleVector(first, second, mask);
  }
  llvm::Value* FoldCast(llvm::Instruction::CastOps op, llvm::Value* value, llvm::Type* type) const override {
    return constants_.FoldCast(op, value, type);
  }
  llvm::Value* FoldBinaryIntrinsic(llvm::Intrinsic::ID id, llvm::Value* left, llvm::Value* right, llvm::Type* type,
                                   llvm::Instruction* flags_source) const override {
    return constants_.FoldBinaryIntrinsic(id, left, right, type, flags_source);
  }
  llvm::Value* CreatePointerCast(llvm::Constant* constant, llvm::Type* type) const override {
    return constants_.CreatePointerCast(constant, type);
  }
  llvm::Value* CreatePointerBitCastOrAddrSpaceCast(llvm::Constant* constant, llvm::Type* type) const override {
    return constants_.CreatePointerBitCastOrAddrSpaceCast(constant, type);
  }

 private:
  // Whether `value` is true (all ones) or false (zero) in every lane.
  static bool is_all(llvm::Value* value, bool truth) {
    auto* constant = llvm::dyn_cast<llvm::Constant>(value);
    if (constant == nullptr) return false;
    return truth ? constant->isAllOnesValue() : constant->isNullValue();
  }

  llvm::ConstantFolder constants_;
};

}  // namespace weftkit::policy::llvm_backend
