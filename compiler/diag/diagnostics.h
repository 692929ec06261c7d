// Diagnostics: the errors, warnings and notes the compiler reports, and how they are printed
// (clang style, with the offending source line and a caret) or serialised to JSON.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/diag/source_location.h"

namespace weftkit::policy {

enum class Severity { kError, kWarning, kNote };

const char* severity_name(Severity severity);

struct Note {
  SourceLocation where;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string message;
  std::vector<Note> notes;
};

// An ordered list of diagnostics; compilation stages append to it and the driver decides
// from has_errors() whether anything may be produced.
class Diagnostics {
 public:
  Diagnostic& error(SourceLocation where, std::string message);
  Diagnostic& warning(SourceLocation where, std::string message);
  void append(const Diagnostics& other);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
};

// The text of every input file, kept so that diagnostics can quote the offending line.
class SourceTexts {
 public:
  void add(const std::string& path, std::string text) { texts_[path] = std::move(text); }
  // The 1-based line of a file without its newline, or nullptr when unknown.
  const std::string* find(const std::string& path) const;
  // Returns the line's text; empty when the file or line is unknown.
  std::string line(const std::string& path, uint32_t line_number) const;

 private:
  std::map<std::string, std::string> texts_;
};

// "file:line:col: error: message", then the source line with a caret under the column,
// then the notes in the same form.
std::string render_diagnostic(const Diagnostic& diagnostic, const SourceTexts& sources);
std::string render_diagnostics(const Diagnostics& diagnostics, const SourceTexts& sources);

}  // namespace weftkit::policy
