// A temporary directory that removes itself, unless asked to keep it for a post-mortem.
#pragma once

#include <string>

namespace weftkit::testing {

class ScratchDirectory {
 public:
  // Creates <temp>/<prefix>XXXXXX; throws std::runtime_error when it cannot.
  explicit ScratchDirectory(const std::string& prefix);
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ~ScratchDirectory();

  const std::string& path() const { return path_; }
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

}  // namespace weftkit::testing
