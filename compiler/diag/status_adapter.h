// The one adapter between the compiler's error model (Result<T> with diagnostics, what users'
// files get) and the runtime's (Status / StatusOr<T>, what crosses the public API): every
// place that hands a compiler failure to an engine goes through here, so the message an
// engine sees has one form.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <weftkit/status.h>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/result.h"

namespace weftkit::policy {

// "file:line:col: message" of the first error (the first diagnostic when none is an error),
// without the location when it has none; "no reason given" for no diagnostics at all.
std::string first_diagnostic_text(const Diagnostics& diagnostics);

// A Status with `code` whose message is `context: ` (when given) followed by the first error's
// located message. Diagnostics without any error still give a failed Status: callers convert
// failures only, and an OK status here would let a failure pass as success.
weftkit::Status status_from_diagnostics(const Diagnostics& diagnostics, weftkit::StatusCode code,
                                        std::string_view context = {});
// The same with every diagnostic rendered as the CLI prints them (clang's form, source line and
// caret, notes), for failures of users' files, where all of them matter.
weftkit::Status status_from_diagnostics(const Diagnostics& diagnostics, const SourceTexts& sources,
                                        weftkit::StatusCode code);

// A failed Status as one error diagnostic at `where` (unknown by default); an OK status gives
// no diagnostics.
Diagnostics diagnostics_from_status(const weftkit::Status& status, SourceLocation where = {});

// Result<T> -> StatusOr<T>: the value, or status_from_diagnostics(...).
template <class T>
weftkit::StatusOr<T> to_status_or(Result<T> result, weftkit::StatusCode code, std::string_view context = {}) {
  if (!result.ok()) return status_from_diagnostics(result.diagnostics(), code, context);
  return std::move(result).value();
}

// StatusOr<T> -> Result<T>: the value, or the status as one error diagnostic at `where`.
template <class T>
Result<T> to_result(weftkit::StatusOr<T> status_or, SourceLocation where = {}) {
  if (!status_or.is_ok()) return Result<T>::failure(diagnostics_from_status(status_or.status(), std::move(where)));
  return Result<T>::success(std::move(status_or).value());
}

}  // namespace weftkit::policy
