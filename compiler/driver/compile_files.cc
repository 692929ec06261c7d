// File dispatch and the all-or-nothing compilation of a set of inputs.
#include "compiler/driver/compile_files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/bundle/bundle.h"
#include "compiler/roles/roles_resolver.h"
#include "compiler/roles/roles_yaml_loader.h"
#include "compiler/sema/policy_analyzer.h"
#include "compiler/sql/parse_sql.h"

namespace weftkit::policy {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

SourceLocation whole_file(const std::string& path) { return SourceLocation{path, 0, 0}; }

}  // namespace

InputKind input_kind(const std::string& path) {
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return InputKind::kRoles;
  if (ends_with(path, ".sql")) return InputKind::kPolicies;
  if (ends_with(path, ".wkpb")) return InputKind::kBundle;
  return InputKind::kUnknown;
}

Result<PolicyProgram> compile_sources(const std::vector<SourceInput>& inputs, SourceTexts& sources) {
  Diagnostics diagnostics;
  std::vector<RolesFileSpec> role_files;
  std::vector<sql::Script> scripts;
  const SourceInput* bundle = nullptr;
  for (const SourceInput& input : inputs) {
    sources.add(input.path, input.text);
    switch (input_kind(input.path)) {
      case InputKind::kRoles:
        role_files.push_back(load_roles_yaml(input.path, input.text, diagnostics));
        break;
      case InputKind::kPolicies: {
        Result<sql::Script> script = sql::parse_sql(input.path, input.text);
        diagnostics.append(script.diagnostics());
        if (script.ok()) scripts.push_back(std::move(script).value());
        break;
      }
      case InputKind::kBundle:
        bundle = &input;
        break;
      case InputKind::kUnknown:
        diagnostics.error(whole_file(input.path),
                          "unrecognised input file type; expected .yaml or .yml (roles), .sql (policies) "
                          "or .wkpb (compiled bundle)");
        break;
    }
  }
  if (bundle != nullptr) {
    if (inputs.size() > 1) {
      diagnostics.error(whole_file(bundle->path),
                        "a compiled bundle is a whole program; give it alone, not with other inputs");
      return Result<PolicyProgram>::failure(std::move(diagnostics));
    }
    return read_bundle(bundle->text, bundle->path);
  }
  if (diagnostics.has_errors()) return Result<PolicyProgram>::failure(std::move(diagnostics));
  PolicyProgram program;
  // Roles first: policies name them in their TO lists. SQL files apply in the order given.
  resolve_roles(role_files, program, diagnostics);
  if (diagnostics.has_errors()) return Result<PolicyProgram>::failure(std::move(diagnostics));
  analyze_policies(scripts, program, diagnostics);
  return Result<PolicyProgram>::from(std::move(program), std::move(diagnostics));
}

Result<PolicyProgram> compile_files(const std::vector<std::string>& paths, SourceTexts& sources) {
  Diagnostics diagnostics;
  std::vector<SourceInput> inputs;
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    std::error_code ignored;
    if (!seen.insert(std::filesystem::weakly_canonical(path, ignored).string()).second) {
      diagnostics.error(whole_file(path), "file given more than once");
      continue;
    }
    if (std::filesystem::is_directory(path, ignored)) {
      diagnostics.error(whole_file(path), "cannot read file: Is a directory");
      continue;
    }
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
      diagnostics.error(whole_file(path), std::string("cannot read file: ") + std::strerror(errno));
      continue;
    }
    std::ostringstream text;
    text << stream.rdbuf();
    if (stream.bad()) {
      diagnostics.error(whole_file(path), "cannot read file: read error");
      continue;
    }
    inputs.push_back(SourceInput{path, text.str()});
  }
  if (diagnostics.has_errors()) return Result<PolicyProgram>::failure(std::move(diagnostics));
  return compile_sources(inputs, sources);
}

}  // namespace weftkit::policy
