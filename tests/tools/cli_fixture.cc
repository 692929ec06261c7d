// Temporary directories, file helpers and the weftkit-policyc runners used by the CLI tests.
#include "tests/tools/cli_fixture.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#ifndef WEFTKIT_POLICYC_PATH
#error "WEFTKIT_POLICYC_PATH must be defined by the build"
#endif
#ifndef WEFTKIT_SOURCE_DIR
#error "WEFTKIT_SOURCE_DIR must be defined by the build"
#endif

namespace weftkit::policy::testing {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string::npos) newline = text.size();
    lines.push_back(text.substr(start, newline - start));
    start = newline + 1;
  }
  return lines;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string source_excerpt(const std::string& source_line, int column) {
  return "  " + source_line + "\n  " + std::string(static_cast<size_t>(column - 1), ' ') + "^\n";
}

std::string position_in(const std::string& text, std::string_view after, std::string_view line_with,
                        std::string_view token) {
  std::vector<std::string> lines = lines_of(text);
  size_t index = 0;
  while (index < lines.size() && lines[index].find(after) == std::string::npos) ++index;
  for (; index < lines.size(); ++index) {
    if (lines[index].find(line_with) == std::string::npos) continue;
    size_t column = lines[index].find(token);
    if (column == std::string::npos) break;
    return std::to_string(index + 1) + ":" + std::to_string(column + 1);
  }
  ADD_FAILURE() << "no line with '" << line_with << "' and '" << token << "' after '" << after << "'";
  return "?:?";
}

CliFixture::CliFixture() {
  std::string pattern = (std::filesystem::path(::testing::TempDir()) / "weftkit-cli-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  directory_ = pattern;
}

CliFixture::~CliFixture() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

ProcessResult CliFixture::policyc(const std::vector<std::string>& arguments) const {
  return run_process(WEFTKIT_POLICYC_PATH, arguments, directory_.string());
}

ProcessResult CliFixture::policyc_in_repo(const std::vector<std::string>& arguments) {
  return run_process(WEFTKIT_POLICYC_PATH, arguments, WEFTKIT_SOURCE_DIR);
}

std::string CliFixture::example_roles_text() {
  return read_file(std::filesystem::path(WEFTKIT_SOURCE_DIR) / "examples" / "roles.yaml");
}

}  // namespace weftkit::policy::testing
