// PostgreSQL's answers for the oracle case files (tests/cases/oracle_*.cases): each case is
// asked of the test server and must get exactly the answers the file records (which the case
// driver holds every engine to), and `weftkit-policyc eval` with each engine must agree
// (postgres_outcomes). One test per case, <File>.<case> as in the case driver, prefixed Pg.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cases/case_file.h"
#include "tests/pg/case_file_cases.h"
#include "tests/pg/oracle_test_support.h"

#ifndef WEFTKIT_SOURCE_DIR
#error "WEFTKIT_SOURCE_DIR must be defined by the build"
#endif

namespace weftkit::policy::pgtest {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

// oracle_null_traps.cases → PgOracleNullTraps.
std::string suite_name(const std::filesystem::path& path) {
  std::string name = "Pg";
  bool upper = true;
  for (char c : path.stem().string()) {
    if (c == '_') {
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

class PostgresAnswersTheCase : public ::testing::Test {
 public:
  explicit PostgresAnswersTheCase(cases::PolicyCase policy_case) : case_(std::move(policy_case)) {}

  void TestBody() override {
    ConvertedCase converted = convert_case(case_);
    if (!converted.problem.empty()) {
      ADD_FAILURE_AT(case_.file.c_str(), case_.line) << case_.where() << ": " << converted.problem;
      return;
    }
    std::vector<RowOutcome> answers = postgres_outcomes(converted.policy_case);
    if (answers.size() != converted.expected.size()) {
      ADD_FAILURE_AT(case_.file.c_str(), case_.line) << case_.where() << ": PostgreSQL answered " << answers.size()
                                                     << " rows of " << converted.expected.size();
      return;
    }
    for (size_t i = 0; i < answers.size(); ++i) {
      if (answers[i] == converted.expected[i]) continue;
      ADD_FAILURE_AT(case_.file.c_str(), case_.rows[i].line)
          << case_.file << ":" << case_.rows[i].line << " (case " << case_.name << "): PostgreSQL answered\n  "
          << to_json_line(answers[i]) << "\nthe case file says\n  " << to_json_line(converted.expected[i]);
    }
  }

 private:
  cases::PolicyCase case_;
};

const bool registered = [] {
  std::filesystem::path directory = std::filesystem::path(WEFTKIT_SOURCE_DIR) / "tests" / "cases";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("oracle_") && name.ends_with(".cases")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& path : files) {
    std::string shown = "tests/cases/" + path.filename().string();
    cases::CaseFile parsed = cases::parse_case_file(shown, read_text(path.string()));
    std::string suite = suite_name(path);
    std::vector<std::string> errors = parsed.errors;
    ::testing::RegisterTest(suite.c_str(), "Parses", nullptr, nullptr, shown.c_str(), 1,
                            [errors]() -> ::testing::Test* { return new FileParses(errors); });
    if (!parsed.errors.empty()) continue;
    for (const cases::PolicyCase& policy_case : parsed.cases) {
      ::testing::RegisterTest(suite.c_str(), policy_case.name.c_str(), nullptr, nullptr, shown.c_str(),
                              policy_case.line,
                              [policy_case]() -> ::testing::Test* { return new PostgresAnswersTheCase(policy_case); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace weftkit::policy::pgtest
