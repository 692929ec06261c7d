// find_duplicate_ors / process_duplicate_ors of PostgreSQL's optimizer/prep/prepqual.c.
#include "compiler/ir/canonicalize_qual.h"

#include <cstring>

#include "compiler/values/operations.h"

namespace weftkit::policy {
namespace {

Expr bool_constant(bool value, const SourceLocation& where) {
  Expr out;
  out.kind = ExprKind::kConstant;
  out.type = SqlType{TypeId::kBool};
  out.where = where;
  out.constant = Value::boolean(value);
  return out;
}

Expr logical(ExprKind kind, std::vector<Expr> args, const SourceLocation& where) {
  Expr out;
  out.kind = kind;
  out.type = SqlType{TypeId::kBool};
  out.where = where;
  out.args = std::move(args);
  return out;
}

void flatten_into(ExprKind kind, Expr expr, std::vector<Expr>& out) {
  if (expr.kind == kind) {
    for (Expr& arg : expr.args) flatten_into(kind, std::move(arg), out);
  } else {
    out.push_back(std::move(expr));
  }
}

bool contains(const std::vector<Expr>& list, const Expr& item) {
  for (const Expr& candidate : list) {
    if (same_expr(candidate, item)) return true;
  }
  return false;
}

// The members an OR arm contributes to the factoring: an AND's arguments, or itself.
std::vector<Expr> as_conjuncts(const Expr& arm) {
  if (arm.kind == ExprKind::kAnd) return arm.args;
  return {arm};
}

Expr process_duplicate_ors(std::vector<Expr> arms, const SourceLocation& where) {
  if (arms.empty()) return bool_constant(false, where);
  if (arms.size() == 1) return std::move(arms[0]);
  // The shortest AND arm (or the first non-AND arm) is the reference: only its members can be
  // common to every arm.
  std::vector<Expr> reference;
  bool have_reference = false;
  for (const Expr& arm : arms) {
    if (arm.kind != ExprKind::kAnd) {
      reference = {arm};
      break;
    }
    if (!have_reference || arm.args.size() < reference.size()) {
      reference = arm.args;
      have_reference = true;
    }
  }
  std::vector<Expr> unique_reference;
  for (Expr& item : reference) {
    if (!contains(unique_reference, item)) unique_reference.push_back(std::move(item));
  }
  std::vector<Expr> winners;
  for (const Expr& candidate : unique_reference) {
    bool in_every_arm = true;
    for (const Expr& arm : arms) {
      bool present = arm.kind == ExprKind::kAnd ? contains(arm.args, candidate) : same_expr(arm, candidate);
      if (!present) {
        in_every_arm = false;
        break;
      }
    }
    if (in_every_arm) winners.push_back(candidate);
  }
  if (winners.empty()) return logical(ExprKind::kOr, std::move(arms), where);
  std::vector<Expr> remaining_arms;
  bool degenerate = false;
  for (Expr& arm : arms) {
    std::vector<Expr> rest;
    for (Expr& member : as_conjuncts(arm)) {
      if (!contains(winners, member)) rest.push_back(std::move(member));
    }
    if (rest.empty()) {  // (A AND B) OR (A) is just A
      degenerate = true;
      break;
    }
    remaining_arms.push_back(rest.size() == 1 ? std::move(rest[0]) : logical(ExprKind::kAnd, std::move(rest), where));
  }
  if (!degenerate) {
    if (remaining_arms.size() == 1) {
      winners.push_back(std::move(remaining_arms[0]));
    } else {
      std::vector<Expr> flat;
      for (Expr& arm : remaining_arms) flatten_into(ExprKind::kOr, std::move(arm), flat);
      winners.push_back(logical(ExprKind::kOr, std::move(flat), where));
    }
  }
  if (winners.size() == 1) return std::move(winners[0]);
  std::vector<Expr> flat;
  for (Expr& winner : winners) flatten_into(ExprKind::kAnd, std::move(winner), flat);
  return logical(ExprKind::kAnd, std::move(flat), where);
}

Expr find_duplicate_ors(Expr qual) {
  const SourceLocation where = qual.where;
  if (qual.kind == ExprKind::kOr) {
    std::vector<Expr> arms;
    for (Expr& arg : qual.args) {
      Expr arm = find_duplicate_ors(std::move(arg));
      if (arm.is_constant()) {
        if (!arm.constant.truth()) continue;  // FALSE or NULL: drop
        return arm;                            // TRUE: the OR is TRUE
      }
      flatten_into(ExprKind::kOr, std::move(arm), arms);
    }
    return process_duplicate_ors(std::move(arms), where);
  }
  if (qual.kind == ExprKind::kAnd) {
    std::vector<Expr> conjuncts;
    for (Expr& arg : qual.args) {
      Expr conjunct = find_duplicate_ors(std::move(arg));
      if (conjunct.is_constant()) {
        if (conjunct.constant.truth()) continue;  // TRUE: drop
        return bool_constant(false, where);       // FALSE or NULL: the AND is FALSE
      }
      flatten_into(ExprKind::kAnd, std::move(conjunct), conjuncts);
    }
    if (conjuncts.empty()) return bool_constant(true, where);
    if (conjuncts.size() == 1) return std::move(conjuncts[0]);
    return logical(ExprKind::kAnd, std::move(conjuncts), where);
  }
  return qual;
}

}  // namespace

bool same_expr(const Expr& left, const Expr& right) {
  if (left.kind != right.kind || !(left.type == right.type) || left.args.size() != right.args.size() ||
      left.column != right.column || left.name != right.name || left.message != right.message ||
      left.missing_ok != right.missing_ok || left.negated != right.negated ||
      left.case_insensitive != right.case_insensitive || left.has_else != right.has_else ||
      left.compare != right.compare || left.arithmetic != right.arithmetic || left.cast_mode != right.cast_mode ||
      left.operand_type != right.operand_type) {
    return false;
  }
  if (left.kind == ExprKind::kConstant) {
    if (left.constant.is_null != right.constant.is_null) return false;
    if (!left.constant.is_null) {
      // Bitwise equality, as equal() compares Const datums (0.0 and -0.0 differ there too).
      const Value& a = left.constant;
      const Value& b = right.constant;
      if (a.type == TypeId::kFloat4 || a.type == TypeId::kFloat8) {
        if (std::memcmp(&a.real, &b.real, sizeof a.real) != 0) return false;
      } else if (a.type == TypeId::kNumeric) {
        if (a.decimal != b.decimal) return false;
      } else if (a.integer != b.integer || a.text != b.text) {
        return false;
      }
    }
  }
  for (size_t index = 0; index < left.args.size(); ++index) {
    if (!same_expr(left.args[index], right.args[index])) return false;
  }
  return true;
}

Expr canonicalize_qual(Expr qual) { return find_duplicate_ors(std::move(qual)); }

}  // namespace weftkit::policy
