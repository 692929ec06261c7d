// YAML shape checking for roles.yaml: which keys exist where and what kind of value each takes.
#include "compiler/roles/roles_yaml_loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include <algorithm>
#include <set>

#include "compiler/diag/suggest.h"

namespace weftkit::policy {
namespace {

const std::vector<std::string> kRoleKeys = {"name", "allow", "deny", "inherits", "on", "bypass_rls"};
const std::vector<std::string> kUserKeys = {"name", "roles", "tenant", "tenants"};
const std::vector<std::string> kTopLevelKeys = {"roles", "users"};

std::string join_keys(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) out += (out.empty() ? "" : ", ") + key;
  return out;
}

const char* kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "nothing (null)";
    case YAML::NodeType::Scalar: return "a single value";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "nothing";
}

class Loader {
 public:
  Loader(const std::string& path, Diagnostics& diagnostics) : path_(path), diagnostics_(diagnostics) {}

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null()) return SourceLocation{path_, 0, 0};
    return SourceLocation{path_, static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
  }
  SourceLocation at(const YAML::Node& node) const { return at(node.Mark()); }

  RolesFileSpec load_document(const YAML::Node& document) {
    RolesFileSpec file;
    file.path = path_;
    if (document.IsNull()) {
      diagnostics_.warning(SourceLocation{path_, 0, 0},
                           "roles file is empty: it defines no roles and no users");
      return file;
    }
    if (document.IsSequence()) {
      load_roles(document, file);
      return file;
    }
    if (!document.IsMap()) {
      diagnostics_.error(at(document), std::string("expected a list of roles or a mapping with 'roles:' and "
                                                   "'users:', found ") + kind_name(document));
      return file;
    }
    for (const auto& [key, value] : checked_pairs(document, kTopLevelKeys, "at the top level")) {
      if (key == "roles") {
        if (expect_sequence(value, "'roles'", "a list of roles")) load_roles(value, file);
      } else if (key == "users") {
        if (expect_sequence(value, "'users'", "a list of users")) load_users(value, file);
      }
    }
    return file;
  }

 private:
  // The pairs of a mapping whose keys are known; reports unknown and repeated keys.
  std::vector<std::pair<std::string, YAML::Node>> checked_pairs(const YAML::Node& map,
                                                                const std::vector<std::string>& known,
                                                                const std::string& context) {
    std::vector<std::pair<std::string, YAML::Node>> pairs;
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      YAML::Node key = it->first;
      if (!key.IsScalar()) {
        diagnostics_.error(at(key), "a key must be a plain name, found " + std::string(kind_name(key)));
        continue;
      }
      std::string name = key.Scalar();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        diagnostics_.error(at(key), "unknown key '" + name + "' " + context + did_you_mean(name, known) +
                                        " (expected one of: " + join_keys(known) + ")");
        continue;
      }
      if (!seen.insert(name).second) {
        diagnostics_.error(at(key), "key '" + name + "' appears twice " + context);
        continue;
      }
      pairs.emplace_back(name, it->second);
    }
    return pairs;
  }

  bool expect_sequence(const YAML::Node& node, const std::string& what, const std::string& expected) {
    if (node.IsSequence()) return true;
    diagnostics_.error(at(node), what + " must be " + expected + ", found " + kind_name(node));
    return false;
  }

  std::optional<Located<std::string>> scalar(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar()) {
      diagnostics_.error(at(node), what + " must be a single value, found " + kind_name(node));
      return std::nullopt;
    }
    return Located<std::string>{node.Scalar(), at(node)};
  }

  std::vector<Located<std::string>> scalar_list(const YAML::Node& node, const std::string& what) {
    std::vector<Located<std::string>> items;
    if (!expect_sequence(node, what, "a list, such as [A, B]")) return items;
    for (const YAML::Node& item : node) {
      if (auto value = scalar(item, "each item of " + what)) items.push_back(std::move(*value));
    }
    return items;
  }

  // A user's allowed tenants: names, each once. An empty name could never be asked for at login
  // ("alice@" is malformed), so it is a mistake in the file, not a tenant.
  std::vector<Located<std::string>> tenant_list(const YAML::Node& node) {
    std::vector<Located<std::string>> tenants;
    std::set<std::string> seen;
    if (!expect_sequence(node, "'tenants'", "a list, such as [A, B]")) return tenants;
    // One pass, so that the errors come in the order of the items.
    for (const YAML::Node& item : node) {
      std::optional<Located<std::string>> value = scalar(item, "each item of 'tenants'");
      if (!value) continue;
      Located<std::string>& tenant = *value;
      if (tenant.value.empty()) {
        diagnostics_.error(tenant.where, "a tenant in 'tenants' is empty");
        continue;
      }
      if (!seen.insert(tenant.value).second) {
        diagnostics_.error(tenant.where, "tenant '" + tenant.value + "' appears twice in 'tenants'");
        continue;
      }
      tenants.push_back(std::move(tenant));
    }
    return tenants;
  }

  void load_roles(const YAML::Node& list, RolesFileSpec& file) {
    for (const YAML::Node& entry : list) {
      if (!entry.IsMap()) {
        diagnostics_.error(at(entry), std::string("each role must be a mapping with at least 'name:', found ") +
                                          kind_name(entry));
        continue;
      }
      RoleSpec role;
      role.where = at(entry);
      bool has_name = false;
      for (const auto& [key, value] : checked_pairs(entry, kRoleKeys, "in a role")) {
        if (key == "name") {
          if (auto name = scalar(value, "'name'")) {
            role.name = std::move(*name);
            has_name = true;
          }
        } else if (key == "allow") {
          role.allow = scalar_list(value, "'allow'");
        } else if (key == "deny") {
          role.deny = scalar_list(value, "'deny'");
        } else if (key == "inherits") {
          role.inherits = scalar_list(value, "'inherits'");
        } else if (key == "on") {
          role.on = scalar_list(value, "'on'");
        } else if (key == "bypass_rls") {
          bool flag = false;
          if (!value.IsScalar() || !YAML::convert<bool>::decode(value, flag)) {
            diagnostics_.error(at(value), "'bypass_rls' must be true or false");
          } else {
            role.bypass_rls = Located<bool>{flag, at(value)};
          }
        }
      }
      if (!has_name) {
        diagnostics_.error(role.where, "role has no 'name:'");
        continue;
      }
      file.roles.push_back(std::move(role));
    }
  }

  void load_users(const YAML::Node& list, RolesFileSpec& file) {
    for (const YAML::Node& entry : list) {
      if (!entry.IsMap()) {
        diagnostics_.error(at(entry), std::string("each user must be a mapping with 'name:' and 'roles:', found ") +
                                          kind_name(entry));
        continue;
      }
      UserSpec user;
      user.where = at(entry);
      bool has_name = false;
      for (const auto& [key, value] : checked_pairs(entry, kUserKeys, "in a user")) {
        if (key == "name") {
          if (auto name = scalar(value, "'name'")) {
            user.name = std::move(*name);
            has_name = true;
          }
        } else if (key == "roles") {
          user.roles = scalar_list(value, "'roles'");
        } else if (key == "tenant") {
          user.tenant = scalar(value, "'tenant'");
        } else if (key == "tenants") {
          user.tenants = tenant_list(value);
        }
      }
      if (!has_name) {
        diagnostics_.error(user.where, "user has no 'name:'");
        continue;
      }
      file.users.push_back(std::move(user));
    }
  }

  const std::string& path_;
  Diagnostics& diagnostics_;
};

// A first pass over the YAML events, before any node is built. It rejects aliases (a roles file
// never needs them, and an alias to its own ancestor makes a cyclic node graph that every later
// walk would follow forever, while aliases to aliases multiply the work exponentially), and it
// bounds the number of events: on some inputs (a lone ",") yaml-cpp 0.7 emits events forever
// without consuming text.
class ShapeGuard : public YAML::EventHandler {
 public:
  explicit ShapeGuard(size_t text_size) : budget_(4 * text_size + 64) {}

  struct TooManyEvents {};

  std::optional<YAML::Mark> first_alias;
  YAML::Mark last_mark = YAML::Mark();  // where the reader last was, for the runaway message

  void OnDocumentStart(const YAML::Mark& mark) override { spend(mark); }
  void OnDocumentEnd() override { spend(last_mark); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { spend(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    if (!first_alias) first_alias = mark;
    spend(mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    spend(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    spend(mark);
  }
  void OnSequenceEnd() override { spend(last_mark); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    spend(mark);
  }
  void OnMapEnd() override { spend(last_mark); }

 private:
  void spend(const YAML::Mark& mark) {
    if (!mark.is_null()) last_mark = mark;
    if (budget_-- == 0) throw TooManyEvents{};
  }
  size_t budget_;
};

// yaml-cpp 0.7 accepts a quoted scalar that is never closed and swallows the rest of the file
// into it — a lost deny line would go unnoticed. Every quoted scalar must therefore close, and
// on the line where it opens (no value in a roles file spans lines).
void check_quoted_scalars(const YAML::Node& node, const std::string& text, const Loader& loader,
                          Diagnostics& diagnostics) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      check_quoted_scalars(it->first, text, loader, diagnostics);
      check_quoted_scalars(it->second, text, loader, diagnostics);
    }
    return;
  }
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) check_quoted_scalars(item, text, loader, diagnostics);
    return;
  }
  if (!node.IsScalar() || node.Tag() != "!") return;
  const YAML::Mark mark = node.Mark();
  if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text.size()) return;
  const char quote = text[static_cast<size_t>(mark.pos)];
  if (quote != '"' && quote != '\'') return;
  for (size_t position = static_cast<size_t>(mark.pos) + 1; position < text.size(); ++position) {
    const char c = text[position];
    if (quote == '"' && c == '\\') {
      ++position;  // an escaped character never closes the string
      continue;
    }
    if (c == quote) {
      if (quote == '\'' && position + 1 < text.size() && text[position + 1] == '\'') {
        ++position;  // '' is an escaped single quote
        continue;
      }
      return;
    }
    if (c == '\n') {
      diagnostics.error(loader.at(mark), "quoted value is not closed on the line where it opens");
      return;
    }
  }
  diagnostics.error(loader.at(mark), "quoted value is never closed (missing " + std::string(1, quote) + ")");
}

}  // namespace

RolesFileSpec load_roles_yaml(const std::string& path, const std::string& text, Diagnostics& diagnostics) {
  Loader loader(path, diagnostics);
  std::vector<YAML::Node> documents;
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    ShapeGuard guard(text.size());
    try {
      while (parser.HandleNextDocument(guard)) {
      }
    } catch (const ShapeGuard::TooManyEvents&) {
      SourceLocation where = loader.at(guard.last_mark);
      if (!where.known()) where = SourceLocation{path, 1, 1};
      diagnostics.error(where,
                        "malformed YAML: the YAML reader cannot make sense of this file (it stopped advancing); "
                        "check for stray commas or brackets");
      return RolesFileSpec{path, {}, {}};
    }
    if (guard.first_alias) {
      diagnostics.error(loader.at(*guard.first_alias),
                        "YAML aliases (*name) are not allowed in a roles file; write the value out where it is used");
      return RolesFileSpec{path, {}, {}};
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& error) {
    Diagnostic& diagnostic = diagnostics.error(loader.at(error.mark), "malformed YAML: " + error.msg);
    // A bare * starts a YAML alias; the usual cause is an unquoted wildcard pattern.
    if (error.msg.find("alias") != std::string::npos || error.msg.find("anchor") != std::string::npos) {
      diagnostic.notes.push_back(Note{{}, "a bare * starts a YAML alias; write wildcard patterns in quotes: \"*\" or \"sales.*\""});
    }
    return RolesFileSpec{path, {}, {}};
  }
  size_t errors_before = diagnostics.error_count();
  for (const YAML::Node& document : documents) check_quoted_scalars(document, text, loader, diagnostics);
  if (diagnostics.error_count() != errors_before) return RolesFileSpec{path, {}, {}};
  if (documents.empty()) return loader.load_document(YAML::Node());
  if (documents.size() > 1) {
    diagnostics.error(loader.at(documents[1]), "a roles file holds one YAML document; found " +
                                                   std::to_string(documents.size()) + " (remove the extra '---')");
    return RolesFileSpec{path, {}, {}};
  }
  return loader.load_document(documents[0]);
}

}  // namespace weftkit::policy
