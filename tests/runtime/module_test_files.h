// What the module integrity and watcher tests share: the two prebuilt modules (A: the
// examples; B: alice may INSERT), a scratch directory, byte-level file helpers, and a record
// forged over arbitrary bytes (to reach the ELF checks behind a valid record).
#pragma once

#include <string>

#include <weftkit/policy_runtime.h>

namespace weftkit::testing {

std::string read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::string& bytes);

// A private directory, removed with everything in it.
class ScratchDirectory {
 public:
  ScratchDirectory();
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  std::string path(const std::string& name) const { return directory_ + "/" + name; }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

// `contents` with a well-formed integrity record appended: length and digest right, whatever
// the contents are.
std::string with_forged_seal(const std::string& contents);

// The contents of a sealed module, without its record.
std::string without_seal(const std::string& module);

// Whether alice may INSERT into orders in the store's serving version: false for module A,
// true for module B.
bool alice_may_insert(PolicyStore& store);

}  // namespace weftkit::testing
