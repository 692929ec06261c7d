// Arrow struct arrays (the C data interface) built from columns of values, as a C engine hands
// its batches to weftkit_row_filter_batch: owned buffers, validity bitmaps, NULLs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <weftkit/arrow_c_data.h>

namespace weftkit::c_api_testing {

// One column: int64 ("l"), int32 ("i"), date32 ("tdD", days since 1970-01-01) or utf8 ("u")
// values, NULL as nullopt.
struct Column {
  std::string format;
  std::vector<std::optional<int64_t>> integers;
  std::vector<std::optional<std::string>> texts;
  size_t length() const { return format == "u" ? texts.size() : integers.size(); }
  bool is_null(size_t row) const { return format == "u" ? !texts[row] : !integers[row]; }
};

// An Arrow struct array owning its buffers, built from columns of equal length.
class ArrowBatch {
 public:
  explicit ArrowBatch(std::vector<Column> columns);
  ArrowBatch(const ArrowBatch&) = delete;
  ArrowBatch& operator=(const ArrowBatch&) = delete;

  ArrowSchema& schema() { return schema_; }
  ArrowArray& array() { return array_; }
  int64_t length() const { return length_; }

 private:
  void build_child(size_t index);

  std::vector<Column> columns_;
  int64_t length_ = 0;
  ArrowSchema schema_{};
  ArrowArray array_{};
  const void* struct_buffers_[1] = {nullptr};
  std::vector<ArrowSchema> child_schemas_;
  std::vector<ArrowSchema*> child_schema_pointers_;
  std::vector<ArrowArray> children_;
  std::vector<ArrowArray*> child_pointers_;
  std::vector<std::vector<uint8_t>> validity_;
  std::vector<std::vector<int64_t>> int64s_;
  std::vector<std::vector<int32_t>> int32s_;
  std::vector<std::vector<int32_t>> offsets_;
  std::vector<std::string> bytes_;
  std::vector<std::array<const void*, 3>> buffers_;
};

}  // namespace weftkit::c_api_testing
