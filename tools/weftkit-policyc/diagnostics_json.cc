// JSON rendering of diagnostics: one object per diagnostic with its notes.
#include "tools/weftkit-policyc/diagnostics_json.h"

namespace weftkit::policy::cli {

nlohmann::ordered_json location_json(const SourceLocation& where) {
  nlohmann::ordered_json out = {{"file", where.file.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(where.file)}};
  out["line"] = where.known() ? nlohmann::ordered_json(where.line) : nlohmann::ordered_json(nullptr);
  out["column"] = where.known() ? nlohmann::ordered_json(where.column) : nlohmann::ordered_json(nullptr);
  return out;
}

nlohmann::ordered_json diagnostics_json(const Diagnostics& diagnostics) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    nlohmann::ordered_json item = location_json(diagnostic.where);
    item["severity"] = severity_name(diagnostic.severity);
    item["message"] = diagnostic.message;
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const Note& note : diagnostic.notes) {
      nlohmann::ordered_json note_json = location_json(note.where);
      note_json["message"] = note.message;
      notes.push_back(std::move(note_json));
    }
    item["notes"] = std::move(notes);
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace weftkit::policy::cli
