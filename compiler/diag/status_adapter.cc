// Result/diagnostics <-> Status (see status_adapter.h).
#include "compiler/diag/status_adapter.h"

namespace weftkit::policy {

std::string first_diagnostic_text(const Diagnostics& diagnostics) {
  if (diagnostics.empty()) return "no reason given";
  const Diagnostic* first = &diagnostics.all().front();
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    if (diagnostic.severity == Severity::kError) {
      first = &diagnostic;
      break;
    }
  }
  std::string location = first->where.to_string();
  return location.empty() ? first->message : location + ": " + first->message;
}

weftkit::Status status_from_diagnostics(const Diagnostics& diagnostics, weftkit::StatusCode code,
                                        std::string_view context) {
  // An OK code would turn a failure into success (StatusOr treats an OK status as a bug).
  if (code == weftkit::StatusCode::kOk) code = weftkit::StatusCode::kInternal;
  std::string message = context.empty() ? std::string() : std::string(context) + ": ";
  return weftkit::Status(code, message + first_diagnostic_text(diagnostics));
}

weftkit::Status status_from_diagnostics(const Diagnostics& diagnostics, const SourceTexts& sources,
                                        weftkit::StatusCode code) {
  if (code == weftkit::StatusCode::kOk) code = weftkit::StatusCode::kInternal;
  if (diagnostics.empty()) return weftkit::Status(code, "no reason given");
  return weftkit::Status(code, render_diagnostics(diagnostics, sources));
}

Diagnostics diagnostics_from_status(const weftkit::Status& status, SourceLocation where) {
  Diagnostics diagnostics;
  if (!status.is_ok()) diagnostics.error(std::move(where), status.message());
  return diagnostics;
}

}  // namespace weftkit::policy
