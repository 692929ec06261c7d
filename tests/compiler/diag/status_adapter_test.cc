// The adapter between Result/diagnostics and Status: a failure keeps its code and the first
// error's file:line:col message, never turns into success, and converts back to one error.
#include "compiler/diag/status_adapter.h"

#include <gtest/gtest.h>

#include <string>

namespace weftkit::policy {
namespace {

SourceLocation at(std::string file, uint32_t line, uint32_t column) {
  return SourceLocation{std::move(file), line, column};
}

TEST(StatusFromDiagnostics, CarriesTheFirstErrorWithItsLocation) {
  Diagnostics diagnostics;
  diagnostics.warning(at("roles.yaml", 1, 1), "empty file");
  diagnostics.error(at("policies.sql", 12, 18), "column \"tenant\" does not exist");
  diagnostics.error(at("policies.sql", 14, 3), "a later error");
  weftkit::Status status = status_from_diagnostics(diagnostics, weftkit::StatusCode::kPolicyError);
  EXPECT_EQ(status.code(), weftkit::StatusCode::kPolicyError);
  EXPECT_EQ(status.message(), "policies.sql:12:18: column \"tenant\" does not exist");
}

TEST(StatusFromDiagnostics, PrefixesTheContext) {
  Diagnostics diagnostics;
  diagnostics.error(at("roles.yaml", 2, 19), "unknown operation 'INSRET'");
  weftkit::Status status =
      status_from_diagnostics(diagnostics, weftkit::StatusCode::kInternal, "emitting the module failed");
  EXPECT_EQ(status.message(), "emitting the module failed: roles.yaml:2:19: unknown operation 'INSRET'");
}

TEST(StatusFromDiagnostics, AnErrorWithoutPositionIsJustItsFileAndMessage) {
  Diagnostics no_file;
  no_file.error(SourceLocation{}, "LLVM could not find the host target");
  EXPECT_EQ(status_from_diagnostics(no_file, weftkit::StatusCode::kInternal).message(),
            "LLVM could not find the host target");
  Diagnostics whole_file;
  whole_file.error(at("roles.yaml", 0, 0), "cannot read the file");
  EXPECT_EQ(status_from_diagnostics(whole_file, weftkit::StatusCode::kPolicyError).message(),
            "roles.yaml: cannot read the file");
}

TEST(StatusFromDiagnostics, NeverSucceeds) {
  Diagnostics none;
  weftkit::Status empty = status_from_diagnostics(none, weftkit::StatusCode::kInternal, "the JIT could not be created");
  EXPECT_EQ(empty.code(), weftkit::StatusCode::kInternal);
  EXPECT_EQ(empty.message(), "the JIT could not be created: no reason given");
  Diagnostics diagnostics;
  diagnostics.error(at("a.sql", 1, 1), "bad");
  weftkit::Status ok_code = status_from_diagnostics(diagnostics, weftkit::StatusCode::kOk);
  EXPECT_FALSE(ok_code.is_ok());
  EXPECT_EQ(ok_code.code(), weftkit::StatusCode::kInternal);
}

TEST(StatusFromDiagnostics, WithSourcesRendersEveryDiagnosticAsTheCliDoes) {
  SourceTexts sources;
  sources.add("roles.yaml", "roles:\n  - name: a\n    allow: [SELECT, INSRET]\n");
  Diagnostics diagnostics;
  diagnostics.error(at("roles.yaml", 3, 21), "unknown operation 'INSRET' in role 'a'");
  weftkit::Status status = status_from_diagnostics(diagnostics, sources, weftkit::StatusCode::kPolicyError);
  EXPECT_EQ(status.code(), weftkit::StatusCode::kPolicyError);
  EXPECT_EQ(status.message(), render_diagnostics(diagnostics, sources));
  EXPECT_EQ(status.message().rfind("roles.yaml:3:21: error: unknown operation 'INSRET' in role 'a'\n", 0), 0u);
}

TEST(ToStatusOr, PassesTheValueOrTheFirstError) {
  weftkit::StatusOr<int> good = to_status_or(Result<int>::success(7), weftkit::StatusCode::kPolicyError);
  ASSERT_TRUE(good.is_ok());
  EXPECT_EQ(good.value(), 7);

  Diagnostics diagnostics;
  diagnostics.error(at("p.sql", 3, 5), "division by zero");
  weftkit::StatusOr<int> bad =
      to_status_or(Result<int>::failure(diagnostics), weftkit::StatusCode::kPolicyError, "compiling");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), weftkit::StatusCode::kPolicyError);
  EXPECT_EQ(bad.status().message(), "compiling: p.sql:3:5: division by zero");
}

TEST(ToResult, AFailedStatusIsOneErrorAtTheGivenLocation) {
  Result<int> bad = to_result(weftkit::StatusOr<int>(weftkit::Status(weftkit::StatusCode::kNotFound, "no table \"t\"")),
                              at("q.sql", 4, 2));
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.diagnostics().all().size(), 1u);
  const Diagnostic& only = bad.diagnostics().all().front();
  EXPECT_EQ(only.severity, Severity::kError);
  EXPECT_EQ(only.message, "no table \"t\"");
  EXPECT_EQ(only.where.to_string(), "q.sql:4:2");

  Result<int> good = to_result(weftkit::StatusOr<int>(3));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 3);
  EXPECT_TRUE(good.diagnostics().empty());
}

TEST(DiagnosticsFromStatus, AnOkStatusGivesNoDiagnostics) {
  EXPECT_TRUE(diagnostics_from_status(weftkit::Status::ok()).empty());
}

TEST(StatusRoundTrip, AFailureKeepsItsLocatedMessage) {
  Diagnostics diagnostics;
  diagnostics.error(at("p.sql", 9, 1), "syntax error at or near \"FROM\"");
  weftkit::Status status = status_from_diagnostics(diagnostics, weftkit::StatusCode::kPolicyError);
  Diagnostics back = diagnostics_from_status(status);
  EXPECT_EQ(first_diagnostic_text(back), "p.sql:9:1: syntax error at or near \"FROM\"");
}

}  // namespace
}  // namespace weftkit::policy
