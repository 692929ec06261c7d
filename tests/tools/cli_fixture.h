// Shared set-up for the weftkit-policyc end-to-end tests: a fresh temporary directory per test,
// file helpers, and runners for the real binary (in that directory or at the repository root).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view bytes);

// The text split at '\n' (a final newline does not start another line).
std::vector<std::string> lines_of(const std::string& text);
std::string first_line(const std::string& text);

// The two lines printed under a diagnostic: the source line, then a caret under `column`.
std::string source_excerpt(const std::string& source_line, int column);

// "LINE:COL" (1-based) of `token` in the first line containing `line_with` that comes at or
// after the first line containing `after`. Lets tests cite examples/roles.yaml without
// hard-coding positions; fails the test when the text is not there.
std::string position_in(const std::string& text, std::string_view after, std::string_view line_with,
                        std::string_view token);

class CliFixture : public ::testing::Test {
 protected:
  CliFixture();
  ~CliFixture() override;

  // A path inside this test's temporary directory.
  std::string path(const std::string& name) const { return (directory_ / name).string(); }
  void write(const std::string& name, std::string_view text) const { write_file(directory_ / name, text); }
  bool exists(const std::string& name) const { return std::filesystem::exists(directory_ / name); }

  // Runs weftkit-policyc with the temporary directory as working directory, so that
  // diagnostics name files as the test wrote them ("roles.yaml:3:13").
  ProcessResult policyc(const std::vector<std::string>& arguments) const;
  // Runs weftkit-policyc at the repository root, so that "examples/roles.yaml" resolves.
  static ProcessResult policyc_in_repo(const std::vector<std::string>& arguments);

  static std::string example_roles_text();  // the text of examples/roles.yaml

 private:
  std::filesystem::path directory_;
};

}  // namespace weftkit::policy::testing
