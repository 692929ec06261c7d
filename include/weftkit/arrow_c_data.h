/* The Apache Arrow C data interface (https://arrow.apache.org/docs/format/CDataInterface.html):
 * the two structs through which engines hand columnar batches to WeftKit Policy without a
 * dependency on Arrow. Written from the specification; the guard macro is the one the
 * specification prescribes, so that a translation unit that also includes Arrow's own
 * definition sees exactly one. Plain C, usable from C and C++. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

/* The type of an array: a format string ("i" int32, "u" utf8, "+s" struct, ...), a name,
 * children for nested types. */
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

/* The data of an array: `length` slots starting at logical `offset` in its buffers. For the
 * types used here, buffers[0] is the validity bitmap (least significant bit first; NULL means
 * every slot is valid), buffers[1] the values (or, for utf8, int32 offsets with buffers[2] the
 * bytes). */
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#ifdef __cplusplus
}
#endif

#endif /* ARROW_C_DATA_INTERFACE */
