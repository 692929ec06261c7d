// JSON rendering of diagnostics: one object per diagnostic with its notes.
#include "tools/weftkit-policyc/diagnostics_json.h"

namespace weftkit::policy::cli {

nlohmann::json location_json(const SourceLocation& where) {
  nlohmann::json out = {{"file", where.file}};
  out["line"] = where.known() ? nlohmann::json(where.line) : nlohmann::json(nullptr);
  out["column"] = where.known() ? nlohmann::json(where.column) : nlohmann::json(nullptr);
  return out;
}

nlohmann::json diagnostics_json(const Diagnostics& diagnostics) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    nlohmann::json item = location_json(diagnostic.where);
    item["severity"] = severity_name(diagnostic.severity);
    item["message"] = diagnostic.message;
    nlohmann::json notes = nlohmann::json::array();
    for (const Note& note : diagnostic.notes) {
      nlohmann::json note_json = location_json(note.where);
      note_json["message"] = note.message;
      notes.push_back(std::move(note_json));
    }
    item["notes"] = std::move(notes);
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace weftkit::policy::cli
