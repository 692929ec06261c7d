// Diagnostic collection and clang-style rendering.
#include "compiler/diag/diagnostics.h"

#include <sstream>

namespace weftkit::policy {

std::string SourceLocation::to_string() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

Diagnostic& Diagnostics::error(SourceLocation where, std::string message) {
  ++error_count_;
  items_.push_back(Diagnostic{Severity::kError, std::move(where), std::move(message), {}});
  return items_.back();
}

Diagnostic& Diagnostics::warning(SourceLocation where, std::string message) {
  ++warning_count_;
  items_.push_back(Diagnostic{Severity::kWarning, std::move(where), std::move(message), {}});
  return items_.back();
}

void Diagnostics::append(const Diagnostics& other) {
  for (const Diagnostic& diagnostic : other.items_) items_.push_back(diagnostic);
  error_count_ += other.error_count_;
  warning_count_ += other.warning_count_;
}

const std::string* SourceTexts::find(const std::string& path) const {
  auto found = texts_.find(path);
  return found == texts_.end() ? nullptr : &found->second;
}

std::string SourceTexts::line(const std::string& path, uint32_t line_number) const {
  const std::string* text = find(path);
  if (text == nullptr || line_number == 0) return {};
  size_t start = 0;
  for (uint32_t current = 1; current < line_number; ++current) {
    size_t newline = text->find('\n', start);
    if (newline == std::string::npos) return {};
    start = newline + 1;
  }
  size_t end = text->find('\n', start);
  std::string result = text->substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!result.empty() && result.back() == '\r') result.pop_back();
  return result;
}

namespace {

void render_one(std::ostringstream& out, Severity severity, const SourceLocation& where,
                const std::string& message, const SourceTexts& sources) {
  out << where.to_string() << (where.file.empty() ? "" : ": ") << severity_name(severity) << ": "
      << message << "\n";
  if (!where.known()) return;
  std::string source_line = sources.line(where.file, where.line);
  if (source_line.empty()) return;
  out << "  " << source_line << "\n  ";
  // Tabs are kept so that the caret lines up under the same column in a terminal.
  for (uint32_t column = 1; column < where.column && column <= source_line.size(); ++column) {
    out << (source_line[column - 1] == '\t' ? '\t' : ' ');
  }
  out << "^\n";
}

}  // namespace

std::string render_diagnostic(const Diagnostic& diagnostic, const SourceTexts& sources) {
  std::ostringstream out;
  render_one(out, diagnostic.severity, diagnostic.where, diagnostic.message, sources);
  for (const Note& note : diagnostic.notes) {
    render_one(out, Severity::kNote, note.where, note.message, sources);
  }
  return out.str();
}

std::string render_diagnostics(const Diagnostics& diagnostics, const SourceTexts& sources) {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics.all()) out += render_diagnostic(diagnostic, sources);
  return out;
}

}  // namespace weftkit::policy
