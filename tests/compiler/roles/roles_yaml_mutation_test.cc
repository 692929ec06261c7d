// Seeded mutation testing of the roles.yaml front end: whatever text compile_sources is given,
// it never crashes or hangs, and the result is either a program or a failure that carries at
// least one error, places every diagnostic at a real position (or on the whole file) and
// exposes no program.
//
// Set WEFTKIT_MUTATION_TRACE=1 to print each case before it runs (to find a crashing one).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/bundle/bundle.h"
#include "compiler/driver/compile_files.h"
#include "tests/compiler/mutation_support.h"

namespace weftkit::policy {
namespace {

using namespace weftkit::policy::mutation;  // Rng, AddressSpaceLimit, kSlowCase, tracing

std::string example_roles_yaml() {
  std::ifstream in(std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Characters that mean something to YAML, whitespace that changes structure, and bytes that
// are not plain ASCII.
constexpr std::string_view kSnippets[] = {
    "\"", "'", "[", "]", "{", "}", ":", ",", "-", "#", "?", "|", ">", "!", "%", "@", "`", " ", "  ",
    "\t", "\n", "\r\n", "\r", ": ", "- ", "\\", "\"\"", "''", "[]", "{}", "x", "9",
    std::string_view("\0", 1),          // a NUL byte
    "\xc3\xa9",                          // é
    "\xe2\x82\xac",                      // €
    "\xf0\x9d\x84\x9e",                  // a 4-byte character
    "\xef\xbb\xbf",                      // byte order mark
    "\xe2\x80\xa8",                      // line separator
    "\xc2\xa0",                          // no-break space
    "\xe2\x80\xae",                      // right-to-left override
    "\xff",                              // never valid UTF-8
    "\xc3",                              // a sequence cut short
    "\xc0\xaf",                          // overlong encoding
    "\xed\xa0\x80",                      // a UTF-16 surrogate
};

// Words of roles.yaml and of YAML, anchors and aliases among them (an alias inside its own
// anchor once crashed the loader; see the regression tests below).
constexpr const char* kTokens[] = {
    "name:", "allow:", "deny:", "inherits:", "on:", "bypass_rls:", "roles:", "users:", "tenant:",
    "SELECT", "select", "ALL", "DDL", "\"COPY TO\"", "COPY TO", "copy  to", "INSRET", "superuser",
    "no_access", "read_only", "analyst", "alice", "true", "false", "yes", "null", "~", "\"*\"",
    "'sales.*'", "sales.*", "a.b.c", ".", "\"\"", "---", "...", "&anchor", "*anchor", "&a", "*a", "*no_such_alias",
    "!!str", "!!map", "!!seq", "!!binary", "!local", "? ", "[SELECT, INSERT]", "{a: b}",
    "[[[[", "]]]]", "{{{{", "|", ">-", "%YAML 1.2", "<<:", "0x1F", "1e9", "-1", "\"\\u0000\"",
    "\"\\xff\"", "'it''s'", "\"unterminated", "'unterminated",
};

std::string snippet(Rng& rng) { return std::string(rng.pick(kSnippets)); }

// Start offsets of lines.
std::vector<size_t> line_starts(const std::string& text) {
  std::vector<size_t> starts = {0};
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '\n' && at + 1 < text.size()) starts.push_back(at + 1);
  }
  return starts;
}

// The line holding `at`, with its newline: [begin, end).
std::pair<size_t, size_t> line_around(const std::string& text, size_t at) {
  size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1);
  begin = (begin == std::string::npos || at == 0) ? 0 : begin + 1;
  size_t end = text.find('\n', at);
  end = end == std::string::npos ? text.size() : end + 1;
  return {begin, end};
}

// Words between YAML's structural characters: [begin, end) ranges.
std::vector<std::pair<size_t, size_t>> tokens_of(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> tokens;
  auto separator = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '[' || c == ']' || c == ',' || c == ':'; };
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && separator(text[at])) ++at;
    size_t begin = at;
    while (at < text.size() && !separator(text[at])) ++at;
    if (at > begin) tokens.emplace_back(begin, at);
  }
  return tokens;
}

std::string shown(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c >= 0x7f) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Applies one random mutation to `text` and says what it did.
std::string mutate(std::string& text, Rng& rng) {
  std::ostringstream what;
  const size_t size = text.size();
  switch (size == 0 ? 1 : rng.below(14)) {
    case 0: {
      size_t at = rng.below(size);
      size_t count = 1 + rng.below(3);
      what << "delete " << count << " characters at " << at;
      text.erase(at, count);
      break;
    }
    case 1: {
      size_t at = rng.below(size + 1);
      const std::string inserted = snippet(rng);
      what << "insert '" << shown(inserted) << "' at " << at;
      text.insert(at, inserted);
      break;
    }
    case 2: {
      size_t at = rng.below(size);
      const std::string inserted = snippet(rng);
      what << "replace the character at " << at << " with '" << shown(inserted) << "'";
      text.replace(at, 1, inserted);
      break;
    }
    case 3: {
      size_t at = rng.below(size);
      size_t count = 1 + rng.below(std::min<size_t>(8, size - at));
      what << "duplicate " << count << " characters at " << at;
      text.insert(at, text.substr(at, count));
      break;
    }
    case 4: {
      auto [begin, end] = line_around(text, rng.below(size));
      what << "delete the line at " << begin;
      text.erase(begin, end - begin);
      break;
    }
    case 5: {
      auto [begin, end] = line_around(text, rng.below(size));
      what << "duplicate the line at " << begin;
      text.insert(begin, text.substr(begin, end - begin));
      break;
    }
    case 6: {
      // Moves a line elsewhere, where its indentation may mean something else.
      auto [begin, end] = line_around(text, rng.below(size));
      std::string line = text.substr(begin, end - begin);
      if (line.empty() || line.back() != '\n') line += '\n';
      text.erase(begin, end - begin);
      std::vector<size_t> starts = line_starts(text);
      size_t to = text.empty() ? 0 : starts[rng.below(starts.size())];
      what << "move the line at " << begin << " to " << to;
      text.insert(to, line);
      break;
    }
    case 7: {
      auto tokens = tokens_of(text);
      if (tokens.size() < 2) return mutate(text, rng);
      auto first = tokens[rng.below(tokens.size())];
      auto second = tokens[rng.below(tokens.size())];
      if (first.first > second.first) std::swap(first, second);
      if (first == second) return mutate(text, rng);
      std::string a = text.substr(first.first, first.second - first.first);
      std::string b = text.substr(second.first, second.second - second.first);
      what << "swap '" << shown(a) << "' at " << first.first << " with '" << shown(b) << "' at " << second.first;
      text.replace(second.first, b.size(), a);
      text.replace(first.first, a.size(), b);
      break;
    }
    case 8: {
      auto tokens = tokens_of(text);
      if (tokens.empty()) return mutate(text, rng);
      auto token = tokens[rng.below(tokens.size())];
      std::string replacement = rng.pick(kTokens);
      what << "replace '" << shown(text.substr(token.first, token.second - token.first)) << "' at " << token.first
           << " with '" << shown(replacement) << "'";
      text.replace(token.first, token.second - token.first, replacement);
      break;
    }
    case 9: {
      size_t at = rng.below(size + 1);
      std::string inserted = rng.pick(kTokens);
      if (rng.below(2) == 0) inserted = " " + inserted + " ";
      what << "insert '" << shown(inserted) << "' at " << at;
      text.insert(at, inserted);
      break;
    }
    case 10: {
      // Indentation is structure in YAML: shift a line left or right, or indent it with a tab.
      auto [begin, end] = line_around(text, rng.below(size));
      size_t indent = 0;
      while (begin + indent < end && text[begin + indent] == ' ') ++indent;
      switch (rng.below(3)) {
        case 0:
          what << "indent the line at " << begin << " by " << 1 + rng.below(4) << " more";
          text.insert(begin, 1 + rng.below(4), ' ');
          break;
        case 1: {
          size_t removed = std::min<size_t>(indent, 1 + rng.below(4));
          what << "outdent the line at " << begin << " by " << removed;
          text.erase(begin, removed);
          break;
        }
        default:
          what << "indent the line at " << begin << " with a tab";
          text.replace(begin, std::min<size_t>(indent, 2), "\t");
          break;
      }
      break;
    }
    case 11: {
      size_t new_size = rng.below(size);
      what << "truncate to " << new_size;
      text.resize(new_size);
      break;
    }
    case 12: {
      // Wraps a word in an opening quote or bracket that may never close.
      auto tokens = tokens_of(text);
      if (tokens.empty()) return mutate(text, rng);
      auto token = tokens[rng.below(tokens.size())];
      static constexpr const char* kOpeners[] = {"\"", "'", "[", "{", "&", "*", "!", "? ", "- "};
      std::string opener = rng.pick(kOpeners);
      what << "put '" << opener << "' before the word at " << token.first;
      text.insert(token.first, opener);
      break;
    }
    default: {
      // Swaps two whole lines.
      std::vector<size_t> starts = line_starts(text);
      if (starts.size() < 2) return mutate(text, rng);
      auto first = line_around(text, starts[rng.below(starts.size())]);
      auto second = line_around(text, starts[rng.below(starts.size())]);
      if (first.first > second.first) std::swap(first, second);
      if (first == second || text.back() != '\n') return mutate(text, rng);
      std::string a = text.substr(first.first, first.second - first.first);
      std::string b = text.substr(second.first, second.second - second.first);
      what << "swap the lines at " << first.first << " and " << second.first;
      text.replace(second.first, b.size(), a);
      text.replace(first.first, a.size(), b);
      break;
    }
  }
  return what.str();
}

size_t line_count(const std::string& text) {
  size_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

// A position is a real one (1-based line and column, on a line the text has) or the whole file.
std::string position_problem(const SourceLocation& where, const std::string& path, const std::string& text) {
  if (where.file != path) return "names file '" + where.file + "'";
  if (where.line == 0 && where.column == 0) return {};
  if (where.line == 0 || where.column == 0) return "has a half-known position " + where.to_string();
  if (where.line > line_count(text)) return "is past the last line: " + where.to_string();
  return {};
}

class Tally {
 public:
  void count(const std::string& outcome) { ++outcomes_[outcome]; }
  size_t of(const std::string& outcome) const {
    auto found = outcomes_.find(outcome);
    return found == outcomes_.end() ? 0 : found->second;
  }
  size_t total() const {
    size_t sum = 0;
    for (const auto& [outcome, count] : outcomes_) sum += count;
    return sum;
  }
  std::string summary() const {
    std::ostringstream out;
    for (const auto& [outcome, count] : outcomes_) out << "  " << count << "  " << outcome << "\n";
    return out.str();
  }

 private:
  std::map<std::string, size_t> outcomes_;
};

// The first words of a message, without names, for the summary.
std::string message_kind(const std::string& message) {
  size_t cut = message.find_first_of("'\":(0123456789", 1);
  return message.substr(0, cut == std::string::npos ? message.size() : cut);
}

void expect_program_or_positioned_errors(const std::string& text, const std::string& trace, Tally& tally) {
  static int failures = 0;
  constexpr int kMaxReportedFailures = 20;
  const std::string path = "roles.yaml";
  auto fail = [&](const std::string& why) {
    if (++failures <= kMaxReportedFailures) ADD_FAILURE() << why << "\n  case: " << trace << "\n  text: " << shown(text);
    tally.count("FAILED");
  };
  if (tracing()) std::cerr << "[roles.yaml mutation] " << trace << std::endl;
  SourceTexts sources;
  const auto start = std::chrono::steady_clock::now();
  std::optional<Result<PolicyProgram>> result;
  try {
    result.emplace(compile_sources({SourceInput{path, text}}, sources));
  } catch (const std::exception& error) {
    fail(std::string("compile_sources threw: ") + error.what());
    return;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (elapsed > kSlowCase) {
    fail("slow: took " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()) +
         " ms");
  }
  const Diagnostics& diagnostics = result->diagnostics();
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    if (std::string problem = position_problem(diagnostic.where, path, text); !problem.empty()) {
      fail(std::string(severity_name(diagnostic.severity)) + " '" + diagnostic.message + "' " + problem);
    }
    for (const Note& note : diagnostic.notes) {
      if (note.where.file.empty()) continue;  // a note that is advice, not a place
      if (std::string problem = position_problem(note.where, path, text); !problem.empty()) {
        fail("note '" + note.message + "' " + problem);
      }
    }
  }
  // Rendering quotes the source line with a caret under the column: it must cope with any
  // position on any line (tabs, multi-byte characters, a column past the end).
  const std::string rendered = render_diagnostics(diagnostics, sources);
  if (diagnostics.empty() != rendered.empty()) fail("rendering lost or invented diagnostics");
  if (result->ok()) {
    if (diagnostics.has_errors()) fail("a program came with errors");
    // Whatever the front end accepts, the bundle's consistency checks must accept too.
    const PolicyProgram& program = result->value();
    auto reloaded = read_bundle(write_bundle(program), "m.wkpb");
    if (!reloaded.ok()) fail("the bundle of an accepted program is rejected: " + reloaded.diagnostics().all()[0].message);
    tally.count(diagnostics.empty() ? "ok" : "ok with warnings");
    return;
  }
  if (!diagnostics.has_errors()) fail("failed without an error");
  bool exposed = true;
  try {
    (void)result->value();
  } catch (const std::logic_error&) {
    exposed = false;
  }
  if (exposed) fail("a failed result exposes a program");
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    if (diagnostic.severity == Severity::kError) {
      tally.count("error: " + message_kind(diagnostic.message));
      break;
    }
  }
}

constexpr uint64_t kSeed = 0x0a11'ce5e'edull;

// A few small files beside the example, so that mutations also meet the list form, users
// without roles, flow mappings, aliases (which roles files reject), and an empty file.
const std::vector<std::pair<std::string, std::string>>& seeds() {
  static const std::vector<std::pair<std::string, std::string>> all = {
      {"examples/roles.yaml", example_roles_yaml()},
      {"list form", "- name: reader\n  allow: [SELECT]\n  on: [orders, \"sales.*\"]\n- name: writer\n"
                    "  inherits: [reader]\n  allow: [INSERT]\n  deny: [DELETE]\n  bypass_rls: true\n"},
      {"block lists and flow maps",
       "roles:\n  - {name: a, allow: [SELECT], on: ['*']}\n  - name: b\n    allow:\n      - UPDATE\n      - \"COPY "
       "FROM\"\n    deny:\n      - DDL\nusers:\n  - {name: u, roles: [a, b], tenant: t}\n  - name: v\n    roles: []\n"},
      {"aliases", "roles:\n  - name: a\n    allow: &ops [SELECT, INSERT]\n  - name: b\n    allow: *ops\n"},
      {"empty", ""},
  };
  return all;
}

TEST(RolesYamlMutation, EveryMutantCompilesOrFailsWithPositionedErrorsAndNoProgram) {
  AddressSpaceLimit limit(kAddressSpaceLimit);
  constexpr int kCasesPerSeed[] = {5000, 1000, 1000, 700, 300};
  Rng rng(kSeed);
  Tally tally;
  int expected = 0;
  for (size_t index = 0; index < seeds().size(); ++index) {
    const auto& [name, original] = seeds()[index];
    for (int iteration = 0; iteration < kCasesPerSeed[index]; ++iteration) {
      std::string text = original;
      std::string trace = name + " #" + std::to_string(iteration) + ":";
      for (uint64_t count = 1 + rng.below(4); count > 0; --count) trace += " " + mutate(text, rng) + ";";
      expect_program_or_positioned_errors(text, trace, tally);
      ++expected;
    }
  }
  std::cout << "roles.yaml mutations: " << tally.total() << " cases\n" << tally.summary();
  EXPECT_EQ(tally.total(), static_cast<size_t>(expected));
  EXPECT_EQ(tally.of("FAILED"), 0u);
  // The mutations reach past the YAML parser into the loader and the resolver.
  EXPECT_GT(tally.of("ok") + tally.of("ok with warnings"), 0u);
  EXPECT_GT(tally.of("error: malformed YAML"), 0u);
  EXPECT_GT(tally.of("error: unknown operation "), 0u);
}

// Regressions for what the mutations above found (an alias inside its own anchor, from a
// swapped word, in the "aliases" seed).

// A walk over the document that follows aliases without remembering the nodes it has seen: an
// alias inside the node it names makes a cycle, and the walk recursed until the stack
// overflowed (SIGSEGV).
TEST(RolesYamlMutation, AnAliasInsideItsOwnAnchorIsAnErrorNotACrash) {
  for (const std::string text : {"- &a [*a]\n", "roles: &r\n  - name: x\n    allow: *r\n"}) {
    SourceTexts sources;
    auto result = compile_sources({SourceInput{"roles.yaml", text}}, sources);
    EXPECT_FALSE(result.ok()) << shown(text);
    ASSERT_TRUE(result.diagnostics().has_errors()) << shown(text);
    EXPECT_TRUE(result.diagnostics().all()[0].where.known()) << shown(text);
  }
}

// A walk over the nodes visits a node once per path to it, and n aliases each naming the
// previous anchor twice make 2^n paths ("billion laughs"): 40 short lines would keep it busy for
// hours. Aliases are therefore rejected before any node is built, at the first one.
TEST(RolesYamlMutation, AliasesThatDoubleAtEachLevelAreRejectedAtTheFirstAlias) {
  std::string text = "x0: &a0 [\"q\", \"q\"]\n";
  for (int level = 1; level < 40; ++level) {
    text += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " [*a" + std::to_string(level - 1) +
            ", *a" + std::to_string(level - 1) + "]\n";
  }
  SourceTexts sources;
  auto result = compile_sources({SourceInput{"roles.yaml", text}}, sources);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics().all()[0].where.to_string() + ": " + result.diagnostics().all()[0].message,
            "roles.yaml:2:10: YAML aliases (*name) are not allowed in a roles file; write the value out where it is "
            "used");
}

}  // namespace
}  // namespace weftkit::policy

namespace weftkit::policy {
namespace {

// Found by the mutations above ("insert ',' at 0"): the whole file is ",". yaml-cpp 0.7's
// LoadAll loops forever on it, allocating (23 GB before the kernel's OOM killer stopped the
// first run of this suite); any file whose document starts with a ',' does the same
// ("[a],", "&x ,") (jbeder/yaml-cpp#1040). The loader must not call LoadAll unbounded.
TEST(RolesYamlMutation, AStrayCommaWhereTheDocumentStartsIsAnErrorNotAnEndlessLoop) {
  AddressSpaceLimit limit(kAddressSpaceLimit);
  for (const std::string text : {",", ",\n", "[SELECT],\n", "&x ,\n"}) {
    SourceTexts sources;
    std::optional<Result<PolicyProgram>> result;
    ASSERT_NO_THROW(result.emplace(compile_sources({SourceInput{"roles.yaml", text}}, sources))) << shown(text);
    EXPECT_FALSE(result->ok()) << shown(text);
    ASSERT_TRUE(result->diagnostics().has_errors()) << shown(text);
    EXPECT_TRUE(result->diagnostics().all()[0].where.known()) << shown(text);
  }
}

}  // namespace
}  // namespace weftkit::policy
