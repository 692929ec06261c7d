// The operations a role may be allowed or denied, their bit positions in an OpMask, and the
// names users write for them in roles.yaml and on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weftkit::policy {

// Bit positions are part of the bundle format and the module ABI: append, never renumber.
enum class Operation : uint8_t {
  kSelect = 0,
  kInsert,
  kUpdate,
  kDelete,
  kTruncate,
  kReferences,
  kTrigger,
  kCopyTo,
  kCopyFrom,
  kCreate,
  kAlter,
  kDrop,
  kGrant,
  kRevoke,
  kConnect,
  kExecute,
};

inline constexpr int kOperationCount = 16;

using OpMask = uint64_t;

constexpr OpMask op_bit(Operation op) { return OpMask{1} << static_cast<unsigned>(op); }

inline constexpr OpMask kAllOperations = (OpMask{1} << kOperationCount) - 1;
inline constexpr OpMask kDdlOperations =
    op_bit(Operation::kCreate) | op_bit(Operation::kAlter) | op_bit(Operation::kDrop);

// Canonical upper-case name, e.g. "COPY TO".
std::string_view operation_name(Operation op);

// One operation name, case-insensitive, inner whitespace folded ("copy   to" is "COPY TO").
std::optional<Operation> parse_operation(std::string_view text);

// An operation or a group (DDL, ALL) as written in an allow or deny list.
std::optional<OpMask> parse_operation_or_group(std::string_view text);

// "SELECT, INSERT" in bit order; "ALL" when every bit is set; "(none)" when empty.
std::string describe_ops(OpMask mask);

// Every accepted spelling, for "expected one of" messages.
std::string accepted_operation_names();

}  // namespace weftkit::policy
