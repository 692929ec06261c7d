// The driver of the case files in this folder (format: README.md): each case is its own test,
// named <File>.<case name> and registered at the case's file and line, and runs through every
// engine (case_engines.h); each engine must give every row the expected answer, or, where the
// case records a known difference for it, must still differ (so that a fix is noticed). A case
// file that does not parse fails its <File>.Parses test with file:line of every error.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/cases/case_engines.h"
#include "tests/cases/case_file.h"

#ifndef WEFTKIT_SOURCE_DIR
#error "WEFTKIT_SOURCE_DIR must be defined by the build"
#endif

namespace weftkit::policy::cases {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

// row_filters.cases → RowFilters: a suite name (an underscore there would confuse filters).
std::string suite_name(const std::filesystem::path& path) {
  std::string name;
  bool upper = true;
  for (char c : path.stem().string()) {
    if (c == '_' || c == '-') {
      upper = true;
    } else {
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return name;
}

class FileParses : public ::testing::Test {
 public:
  explicit FileParses(std::vector<std::string> errors) : errors_(std::move(errors)) {}
  void TestBody() override {
    for (const std::string& error : errors_) ADD_FAILURE() << error;
  }

 private:
  std::vector<std::string> errors_;
};

class CaseTest : public ::testing::Test {
 public:
  explicit CaseTest(PolicyCase policy_case) : case_(std::move(policy_case)) {}

  void TestBody() override {
    CaseRun run = run_case(case_);
    if (!run.setup_error.empty()) {
      ADD_FAILURE_AT(case_.file.c_str(), case_.line) << run.setup_error;
      return;
    }
    for (const EngineAnswers& engine : run.engines) check(engine);
  }

 private:
  const KnownDifference* known_difference(const std::string& engine) const {
    for (const KnownDifference& difference : case_.known_differences) {
      if (difference.engine == engine) return &difference;
    }
    return nullptr;
  }

  void check(const EngineAnswers& engine) const {
    const KnownDifference* known = known_difference(engine.engine);
    std::string where = case_.where() + " (case " + case_.name + ")";
    if (!engine.unavailable.empty()) {
      if (known == nullptr) ADD_FAILURE_AT(case_.file.c_str(), case_.line) << where << ": " << engine.engine << ": " << engine.unavailable;
      return;
    }
    bool differs = false;
    for (size_t i = 0; i < case_.rows.size(); ++i) {
      const CaseRow& row = case_.rows[i];
      if (engine.outcomes.at(i) == row.expected) continue;
      differs = true;
      if (known == nullptr) {
        ADD_FAILURE_AT(case_.file.c_str(), row.line)
            << case_.file << ":" << row.line << " (case " << case_.name << "): " << engine.engine << " answered\n  "
            << engine.outcomes[i] << "\nexpected\n  " << row.expected;
      } else {
        std::cout << "[ known  ] " << case_.file << ":" << row.line << " " << engine.engine << " answered "
                  << engine.outcomes[i] << " (" << known->reason << ")\n";
      }
    }
    if (known != nullptr && !differs) {
      ADD_FAILURE_AT(case_.file.c_str(), known->line)
          << where << ": " << engine.engine << " now gives every expected answer: remove the known difference";
    }
  }

  PolicyCase case_;
};

// Registers a test per case of every *.cases file here, before main runs them.
const bool registered = [] {
  std::filesystem::path directory = std::filesystem::path(WEFTKIT_SOURCE_DIR) / "tests" / "cases";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".cases") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& path : files) {
    // Messages name the file as the repository does: tests/cases/row_filters.cases.
    std::string shown = "tests/cases/" + path.filename().string();
    CaseFile parsed = parse_case_file(shown, read_text(path.string()));
    std::string suite = suite_name(path);
    std::vector<std::string> errors = parsed.errors;
    ::testing::RegisterTest(suite.c_str(), "Parses", nullptr, nullptr, shown.c_str(), 1,
                            [errors]() -> ::testing::Test* { return new FileParses(errors); });
    if (!parsed.errors.empty()) continue;
    for (const PolicyCase& policy_case : parsed.cases) {
      ::testing::RegisterTest(suite.c_str(), policy_case.name.c_str(), nullptr, nullptr, shown.c_str(),
                              policy_case.line, [policy_case]() -> ::testing::Test* { return new CaseTest(policy_case); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace weftkit::policy::cases
