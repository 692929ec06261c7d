// Copying, editing and naming the served policy files.
#include "examples/embed/policy_workspace.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace weftkit::embed {
namespace {

StatusOr<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, "cannot open " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Written to a temporary name and renamed over the file, so a reader of the file sees the old
// text or the new, never half of it.
Status write_file(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return Status(StatusCode::kInternal, "cannot write " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return Status(StatusCode::kInternal, "cannot rename " + temporary + ": " + error.message());
  return Status::ok();
}

}  // namespace

StatusOr<std::unique_ptr<PolicyWorkspace>> PolicyWorkspace::create(const std::vector<std::string>& sources) {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-embed-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Status(StatusCode::kInternal, "cannot create a temporary directory");
  std::unique_ptr<PolicyWorkspace> workspace(new PolicyWorkspace());
  workspace->directory_ = pattern;
  for (const std::string& source : sources) {
    StatusOr<std::string> content = read_file(source);
    if (!content.is_ok()) return content.status();
    std::string copy = workspace->directory_ + "/" + std::filesystem::path(source).filename().string();
    Status written = write_file(copy, content.value());
    if (!written.is_ok()) return written;
    workspace->files_.push_back(copy);
  }
  return workspace;
}

PolicyWorkspace::~PolicyWorkspace() {
  std::error_code ignored;
  if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
}

Status PolicyWorkspace::edit(const std::string& file_name, std::string_view from, std::string_view to) const {
  std::string path = directory_ + "/" + file_name;
  StatusOr<std::string> content = read_file(path);
  if (!content.is_ok()) return content.status();
  std::string text = std::move(content).value();
  size_t found = text.find(from);
  if (found == std::string::npos || text.find(from, found + 1) != std::string::npos) {
    return Status(StatusCode::kInvalidArgument,
                  file_name + " does not contain exactly one \"" + std::string(from) + "\" to edit");
  }
  text.replace(found, from.size(), to);
  return write_file(path, text);
}

std::string PolicyWorkspace::shown(std::string text) const {
  for (size_t found = text.find(directory_); found != std::string::npos; found = text.find(directory_, found)) {
    text.replace(found, directory_.size(), "<policy-dir>");
  }
  return text;
}

}  // namespace weftkit::embed
