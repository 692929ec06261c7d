// The private copy of a module that the loader hands to dlopen (runtime/src/module_private_copy.h):
// an exact, sealed copy in memory, or a file in the temporary directory that disappears once
// mapped; an unreadable module is refused with the operator's path and the reason.
#include "runtime/src/module_private_copy.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace weftkit::detail {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A file of a few hundred KiB with varied bytes (the copy is made in several system calls).
class ModuleFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("weftkit-copy-source-" + std::to_string(getpid()) + ".so")).string();
    std::ofstream out(path_, std::ios::binary);
    for (int index = 0; index < 300000; ++index) contents_.push_back(static_cast<char>((index * 131) ^ (index >> 8)));
    out << contents_;
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::string path_;
  std::string contents_;
};

TEST_F(ModuleFile, MemoryCopyHoldsTheSameBytesAndCannotBeWritten) {
  StatusOr<ModulePrivateCopy> copy = ModulePrivateCopy::in_memory_file(path_);
  ASSERT_TRUE(copy.is_ok()) << copy.status().message();
  EXPECT_TRUE(copy.value().in_memory());
  EXPECT_EQ(copy.value().loader_path().rfind("/proc/self/fd/", 0), 0u) << copy.value().loader_path();
  EXPECT_EQ(read_all(copy.value().loader_path()), contents_);
  // Sealed: not even a writer that reopens it through /proc can change the code.
  int writer = open(copy.value().loader_path().c_str(), O_WRONLY | O_CLOEXEC);
  if (writer >= 0) {
    EXPECT_EQ(write(writer, "x", 1), -1);
    EXPECT_EQ(errno, EPERM);
    close(writer);
  } else {
    EXPECT_EQ(errno, EPERM);
  }
  EXPECT_EQ(read_all(copy.value().loader_path()), contents_);
}

TEST_F(ModuleFile, MemoryCopyIsClosedWithItsCopy) {
  std::string loader_path;
  {
    StatusOr<ModulePrivateCopy> copy = ModulePrivateCopy::in_memory_file(path_);
    ASSERT_TRUE(copy.is_ok()) << copy.status().message();
    loader_path = copy.value().loader_path();
    ASSERT_TRUE(std::filesystem::exists(loader_path));
    copy.value().closed();  // nothing by that name is loaded: the descriptor goes
  }
  std::error_code error;
  EXPECT_FALSE(std::filesystem::exists(loader_path, error)) << loader_path;
}

TEST(ModulePrivateCopy, MemoryCopyStaysOpenWhileTheLoaderStillHoldsItsLibrary) {
  // The loader knows the library as /proc/self/fd/N: were N closed while the library stays
  // loaded (here another handle holds it), a later module's copy could get N and dlopen would
  // hand back this library for it. So the descriptor is kept.
  StatusOr<ModulePrivateCopy> copy = ModulePrivateCopy::in_memory_file(WEFTKIT_OLDER_ABI_MODULE);
  ASSERT_TRUE(copy.is_ok()) << copy.status().message();
  std::string loader_path = copy.value().loader_path();
  void* held = dlopen(loader_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(held, nullptr) << dlerror();
  copy.value().closed();
  std::error_code error;
  EXPECT_NE(std::filesystem::read_symlink(loader_path, error).string().find("memfd:weftkit-module"), std::string::npos)
      << loader_path << " no longer names the copy";
  dlclose(held);
}

TEST_F(ModuleFile, TemporaryCopyHoldsTheSameBytesAndIsRemovedOnceOpened) {
  StatusOr<ModulePrivateCopy> copy = ModulePrivateCopy::in_temporary_directory(path_);
  ASSERT_TRUE(copy.is_ok()) << copy.status().message();
  EXPECT_FALSE(copy.value().in_memory());
  std::string loader_path = copy.value().loader_path();
  EXPECT_EQ(std::filesystem::path(loader_path).parent_path(), std::filesystem::temp_directory_path());
  EXPECT_EQ(read_all(loader_path), contents_);
  copy.value().opened();
  EXPECT_FALSE(std::filesystem::exists(loader_path)) << loader_path;
}

TEST_F(ModuleFile, TemporaryCopyIsThisUsersAloneUnderANameNobodyCanPredict) {
  StatusOr<ModulePrivateCopy> first = ModulePrivateCopy::in_temporary_directory(path_);
  StatusOr<ModulePrivateCopy> second = ModulePrivateCopy::in_temporary_directory(path_);
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  EXPECT_NE(first.value().loader_path(), second.value().loader_path());
  EXPECT_EQ(first.value().loader_path().find(std::to_string(getpid())), std::string::npos);
  struct stat status {};
  ASSERT_EQ(lstat(first.value().loader_path().c_str(), &status), 0);
  EXPECT_TRUE(S_ISREG(status.st_mode));
  EXPECT_EQ(status.st_mode & 0777, 0600u);
}

TEST_F(ModuleFile, EitherCopyIsWhatGetsChecked) {
  for (auto make : {&ModulePrivateCopy::in_memory_file, &ModulePrivateCopy::in_temporary_directory}) {
    StatusOr<ModulePrivateCopy> copy = make(path_);
    ASSERT_TRUE(copy.is_ok()) << copy.status().message();
    ModuleImageCheck checked = copy.value().check();
    EXPECT_EQ(checked.status.message(), "not a policy module (not an ELF file)");
    EXPECT_TRUE(checked.complete);
    EXPECT_EQ(copy.value().source().size, static_cast<int64_t>(contents_.size()));
  }
}

TEST_F(ModuleFile, TemporaryCopyNeverOpenedIsRemovedToo) {
  std::string loader_path;
  {
    StatusOr<ModulePrivateCopy> copy = ModulePrivateCopy::in_temporary_directory(path_);
    ASSERT_TRUE(copy.is_ok()) << copy.status().message();
    loader_path = copy.value().loader_path();
  }
  EXPECT_FALSE(std::filesystem::exists(loader_path)) << loader_path;
}

TEST(ModulePrivateCopy, MissingModuleIsNotFoundWithItsPathAndTheReason) {
  for (auto make : {&ModulePrivateCopy::of, &ModulePrivateCopy::in_memory_file, &ModulePrivateCopy::in_temporary_directory}) {
    StatusOr<ModulePrivateCopy> copy = make("/nonexistent/policy.so");
    ASSERT_FALSE(copy.is_ok());
    EXPECT_EQ(copy.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(copy.status().message(), "cannot read policy module /nonexistent/policy.so: No such file or directory");
  }
}

TEST(ModulePrivateCopy, DirectoryIsRefusedAsAModule) {
  std::string directory = std::filesystem::temp_directory_path().string();
  for (auto make : {&ModulePrivateCopy::of, &ModulePrivateCopy::in_memory_file, &ModulePrivateCopy::in_temporary_directory}) {
    StatusOr<ModulePrivateCopy> copy = make(directory);
    ASSERT_FALSE(copy.is_ok());
    EXPECT_EQ(copy.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(copy.status().message(), "cannot read policy module " + directory + ": Is a directory");
  }
}

}  // namespace
}  // namespace weftkit::detail
