// verify_files (verify.h): reads every line of every file, then walks them in order checking
// each record's hash, its sequence number and its link to the previous record.
#include <weftkit/audit/record.h>
#include <weftkit/audit/verify.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace weftkit::audit {
namespace {

struct Line {
  const std::string* file;
  uint64_t number;
  std::string_view text;  // without its newline, into the file's content
};

struct ParsedRecord {
  uint64_t seq = 0;
  std::string prev;
  std::string hash;
  std::string canonical;
};

bool is_lower_hex(std::string_view text) {
  return text.size() == kHashHexSize &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The record's members, or the reason it is not a version-1 record. The hash member must be
// the last one, written exactly as the writer writes it, so that the canonical form is the
// line's own bytes.
std::optional<ParsedRecord> parse_record(std::string_view text, std::string& why) {
  static constexpr std::string_view kHashMember = ",\"hash\":\"";
  const std::size_t suffix = kHashMember.size() + kHashHexSize + 2;
  if (text.size() < suffix + 2 || text.compare(text.size() - suffix, kHashMember.size(), kHashMember) != 0 ||
      text.compare(text.size() - 2, 2, "\"}") != 0) {
    why = "the line does not end with the record's hash";
    return std::nullopt;
  }
  ParsedRecord record;
  record.hash = std::string(text.substr(text.size() - kHashHexSize - 2, kHashHexSize));
  record.canonical = std::string(text.substr(0, text.size() - suffix)) + "}";
  const nlohmann::json object = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) {
    why = "the line is not a JSON object";
    return std::nullopt;
  }
  const auto member = [&](const char* name) -> const nlohmann::json* {
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
  };
  const auto* version = member("v");
  const auto* seq = member("seq");
  const auto* prev = member("prev");
  if (version == nullptr || !version->is_number_unsigned() || version->get<uint64_t>() != kRecordVersion) {
    why = "the record is not format version 1";
    return std::nullopt;
  }
  if (seq == nullptr || !seq->is_number_unsigned()) {
    why = "the record has no sequence number";
    return std::nullopt;
  }
  if (prev == nullptr || !prev->is_string() || !is_lower_hex(prev->get_ref<const std::string&>())) {
    why = "the record has no previous hash";
    return std::nullopt;
  }
  if (!is_lower_hex(record.hash)) {
    why = "the record's hash is not 64 lowercase hex digits";
    return std::nullopt;
  }
  record.seq = seq->get<uint64_t>();
  record.prev = prev->get<std::string>();
  return record;
}

// Only the sequence number, for looking ahead; nullopt when the line is not a record.
std::optional<uint64_t> peek_seq(std::string_view text) {
  std::string why;
  const auto record = parse_record(text, why);
  if (!record) return std::nullopt;
  return record->seq;
}

Problem make_problem(ProblemKind kind, const Line& line, std::optional<uint64_t> seq, std::string detail) {
  return Problem{kind, *line.file, line.number, seq, std::move(detail)};
}

}  // namespace

std::string_view to_string(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::kAltered: return "altered";
    case ProblemKind::kRemoved: return "removed";
    case ProblemKind::kInserted: return "inserted";
    case ProblemKind::kReordered: return "reordered";
    case ProblemKind::kMalformed: return "malformed";
  }
  return "unknown";
}

StatusOr<VerifyReport> verify_files(const std::vector<std::string>& files, const VerifyOptions& options) {
  std::deque<std::string> contents;  // stable addresses for the lines' views
  std::vector<Line> lines;
  VerifyReport report;
  std::optional<Line> torn;
  for (std::size_t file_index = 0; file_index < files.size(); ++file_index) {
    const std::string& file = files[file_index];
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status(StatusCode::kNotFound, "audit verify: cannot open " + file + ": " + std::strerror(errno));
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return Status(StatusCode::kInternal, "audit verify: cannot read " + file);
    const std::string& content = contents.emplace_back(buffer.str());
    const std::string_view view(content);
    std::size_t start = 0;
    uint64_t number = 0;
    while (start < content.size()) {
      const std::size_t end = content.find('\n', start);
      ++number;
      if (end == std::string::npos) {
        Line fragment{&file, number, view.substr(start)};
        if (file_index + 1 == files.size()) {
          torn = std::move(fragment);
        } else {
          lines.push_back(std::move(fragment));  // checked below: a fragment mid-log is malformed
        }
        break;
      }
      lines.push_back(Line{&file, number, view.substr(start, end - start)});
      start = end + 1;
    }
  }

  auto hasher_or = ChainHasher::create(options.hmac_key);
  if (!hasher_or.is_ok()) return hasher_or.status();
  ChainHasher hasher = std::move(hasher_or).value();

  std::optional<uint64_t> expected_seq = options.require_genesis ? std::optional<uint64_t>(1) : std::nullopt;
  std::optional<std::string> previous_hash =
      options.require_genesis ? std::optional<std::string>(kGenesisHash) : std::nullopt;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    std::string why;
    const auto record = parse_record(line.text, why);
    if (!record) {
      report.problem = make_problem(ProblemKind::kMalformed, line, std::nullopt, why);
      return report;
    }
    const uint64_t seq = record->seq;

    auto hash_or = hasher.hex_hash(record->canonical);
    if (!hash_or.is_ok()) return hash_or.status();
    if (hash_or.value() != record->hash) {
      // A record whose sequence number repeats a neighbour's was put there; otherwise an
      // existing record was changed.
      const std::optional<uint64_t> next_seq = i + 1 < lines.size() ? peek_seq(lines[i + 1].text) : std::nullopt;
      const bool repeats = (expected_seq && seq < *expected_seq) || (next_seq && *next_seq == seq);
      report.problem = make_problem(repeats ? ProblemKind::kInserted : ProblemKind::kAltered, line, seq,
                                    options.hmac_key ? "the record's HMAC-SHA256 does not match its content"
                                                     : "the record's SHA-256 does not match its content");
      return report;
    }
    if (expected_seq && seq < *expected_seq) {
      report.problem = make_problem(ProblemKind::kInserted, line, seq,
                                    "sequence number " + std::to_string(seq) + " where " +
                                        std::to_string(*expected_seq) + " was expected (already seen or older)");
      return report;
    }
    if (expected_seq && seq > *expected_seq) {
      // Missing records that turn up later were moved, not removed.
      bool found_later = false;
      for (std::size_t j = i + 1; j < lines.size() && !found_later; ++j) {
        const auto later = peek_seq(lines[j].text);
        found_later = later && *later >= *expected_seq && *later < seq;
      }
      report.problem = make_problem(
          found_later ? ProblemKind::kReordered : ProblemKind::kRemoved, line, seq,
          found_later ? "sequence number " + std::to_string(seq) + " comes before " + std::to_string(*expected_seq)
                      : "records " + std::to_string(*expected_seq) + " to " + std::to_string(seq - 1) + " are missing");
      return report;
    }
    if (previous_hash && record->prev != *previous_hash) {
      report.problem = make_problem(ProblemKind::kAltered, line, seq,
                                    i == 0 ? "the first record does not start the chain"
                                           : "`prev` does not match the previous record's hash");
      return report;
    }
    expected_seq = seq + 1;
    previous_hash = record->hash;
    ++report.verified;
  }
  if (torn) report.torn_last_line = torn->number;
  return report;
}

std::vector<std::string> rotated_files(const std::string& active) {
  namespace fs = std::filesystem;
  const fs::path active_path(active);
  const fs::path directory = active_path.has_parent_path() ? active_path.parent_path() : fs::path(".");
  const std::string prefix = active_path.filename().string() + ".";
  std::vector<std::pair<uint64_t, std::string>> numbered;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string suffix = name.substr(prefix.size());
    if (suffix.size() > 18 || !std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    numbered.emplace_back(std::stoull(suffix), (active_path.has_parent_path() ? directory / name : fs::path(name)).string());
  }
  std::sort(numbered.begin(), numbered.end());
  std::vector<std::string> files;
  for (auto& [number, path] : numbered) files.push_back(std::move(path));
  if (fs::exists(active_path, error)) files.push_back(active);
  return files;
}

std::string describe(const VerifyReport& report) {
  std::string text;
  if (report.problem) {
    const Problem& problem = *report.problem;
    text = problem.file + ":" + std::to_string(problem.line) + ": ";
    if (problem.seq) text += "seq " + std::to_string(*problem.seq) + ": ";
    text += std::string(to_string(problem.kind)) + ": " + problem.detail;
    text += " (" + std::to_string(report.verified) + " records verified before it)";
  } else {
    text = std::to_string(report.verified) + " records verified";
    if (report.torn_last_line) text += "; last line " + std::to_string(*report.torn_last_line) + " torn (incomplete write)";
  }
  return text;
}

}  // namespace weftkit::audit
