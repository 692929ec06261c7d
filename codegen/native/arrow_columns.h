// The host side of the batch ABI (predicate_abi.h): which Arrow format each SQL type travels
// in, checking an engine's record batch (an Arrow struct array, one child per table column)
// against the table, normalising it into NativeColumns, and reading one row of it back as
// NativeDatums. No LLVM here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "codegen/native/predicate_abi.h"
#include "compiler/ir/row_security.h"
#include <weftkit/arrow_c_data.h>

namespace weftkit::policy::native {

// The Arrow format string of a SQL type in a batch: "b" bool, "s"/"i"/"l" integers, "f"/"g"
// floats, "u" text, "tdD" date, "tsu:" timestamp, "tsu:UTC" timestamptz, "u" numeric (each
// value its text as numeric_out prints it), "w:16" uuid (fixed_size_binary(16)).
// A numeric or uuid column may come in another format as long as the plan's native code does
// not read it (NormalizedBatch::has_column).
std::optional<std::string> arrow_format_of(TypeId type);

// A batch made ready for the generated code. Owns the bitmaps it had to realign; the values
// stay in the engine's buffers, which must outlive it.
class NormalizedBatch {
 public:
  // Checks `batch` (with `schema`) against `table`; on failure returns nullopt and sets `error`
  // to what is wrong ("column 2 (amount): format \"l\" but the table says integer (\"i\")").
  static std::optional<NormalizedBatch> from_arrow(const ArrowSchema& schema, const ArrowArray& batch,
                                                   const TableDefinition& table, std::string& error);

  // A statement's batch and, for UPDATE, its new rows (which must pair one to one).
  struct Pair;
  static std::optional<Pair> pair_from_arrow(const ArrowSchema& schema, const ArrowArray& batch,
                                             const ArrowArray* new_batch, const TableDefinition& table,
                                             std::string& error);

  int64_t length() const { return length_; }
  const NativeColumn* columns() const { return columns_.data(); }
  // Whether column `index` was laid out for the native code (false only for a numeric or uuid
  // column in another format than arrow_format_of's).
  bool has_column(size_t index) const { return columns_.at(index).validity != nullptr; }
  // Row `row` as NativeDatums (text points into the engine's buffers).
  void read_row(int64_t row, std::vector<NativeDatum>& out) const;

 private:
  std::vector<TypeId> types_;
  std::vector<NativeColumn> columns_;
  std::vector<std::vector<uint64_t>> owned_bitmaps_;
  std::vector<std::vector<int32_t>> owned_offsets_;  // uuid columns' offsets, i * 16
  int64_t length_ = 0;
};

struct NormalizedBatch::Pair {
  NormalizedBatch rows;
  std::optional<NormalizedBatch> new_rows;
};

}  // namespace weftkit::policy::native
