// Operation names and masks.
#include "compiler/ir/operation.h"

#include <array>
#include <cctype>

namespace weftkit::policy {
namespace {

constexpr std::array<std::string_view, kOperationCount> kNames = {
    "SELECT", "INSERT", "UPDATE",  "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "COPY TO",
    "COPY FROM", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE", "CONNECT", "EXECUTE",
};

// Upper-cases and folds runs of whitespace to one space, trimming both ends.
std::string normalise(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::string_view operation_name(Operation op) { return kNames[static_cast<size_t>(op)]; }

std::optional<Operation> parse_operation(std::string_view text) {
  std::string name = normalise(text);
  for (size_t index = 0; index < kNames.size(); ++index) {
    if (kNames[index] == name) return static_cast<Operation>(index);
  }
  return std::nullopt;
}

std::optional<OpMask> parse_operation_or_group(std::string_view text) {
  std::string name = normalise(text);
  if (name == "ALL") return kAllOperations;
  if (name == "DDL") return kDdlOperations;
  if (auto op = parse_operation(name)) return op_bit(*op);
  return std::nullopt;
}

std::string describe_ops(OpMask mask) {
  mask &= kAllOperations;
  if (mask == 0) return "(none)";
  if (mask == kAllOperations) return "ALL";
  std::string out;
  for (size_t index = 0; index < kNames.size(); ++index) {
    if ((mask >> index) & 1) {
      if (!out.empty()) out += ", ";
      out += kNames[index];
    }
  }
  return out;
}

std::string accepted_operation_names() {
  std::string out;
  for (std::string_view name : kNames) {
    out += name;
    out += ", ";
  }
  return out + "DDL, ALL";
}

}  // namespace weftkit::policy
