// Parsing a users file line by line, collecting every problem; the file is built only when
// there is none, so a caller never holds half of one.
#include "weftkit/auth/password_file.h"

#include <fstream>
#include <sstream>

#include "auth/base64.h"
#include "auth/crypto_primitives.h"
#include "auth/password_hash.h"
#include "weftkit/auth/login_name.h"

namespace weftkit::auth {

std::string_view to_string(HashScheme scheme) {
  switch (scheme) {
    case HashScheme::kBcrypt: return "bcrypt";
    case HashScheme::kYescrypt: return "yescrypt";
    case HashScheme::kSha256Crypt: return "sha256-crypt";
    case HashScheme::kSha512Crypt: return "sha512-crypt";
    case HashScheme::kScramSha256: return "scram-sha-256";
  }
  return "?";
}

namespace {

// The dummy an unknown user is checked against: the most common scheme's first entry, re-hashed
// from random bytes so that nobody's password can match it, with the same cost parameters.
std::optional<PasswordEntry> make_dummy(const std::map<std::string, PasswordEntry, std::less<>>& entries,
                                        uint32_t& mock_scram_iterations) {
  std::map<HashScheme, size_t> counts;
  std::map<uint32_t, size_t> iteration_counts;
  for (const auto& [name, entry] : entries) {
    ++counts[entry.scheme];
    if (entry.scram) ++iteration_counts[entry.scram->iterations];
  }
  size_t best_iterations = 0;
  for (const auto& [iterations, count] : iteration_counts) {
    if (count > best_iterations) {
      best_iterations = count;
      mock_scram_iterations = iterations;
    }
  }
  if (counts.empty()) return std::nullopt;
  HashScheme scheme = counts.begin()->first;
  for (const auto& [candidate, count] : counts) {
    if (count > counts[scheme]) scheme = candidate;
  }
  const PasswordEntry* like = nullptr;
  for (const auto& [name, entry] : entries) {
    if (entry.scheme == scheme && (like == nullptr || entry.line < like->line)) like = &entry;
  }
  std::optional<std::string> secret = random_bytes(24);
  if (!secret) return std::nullopt;
  const std::string password = base64_encode(*secret);
  PasswordEntry dummy;
  dummy.name = "";
  dummy.scheme = scheme;
  if (scheme == HashScheme::kScramSha256) {
    std::optional<std::string> salt = random_bytes(16);
    if (!salt) return std::nullopt;
    dummy.scram = make_scram_verifier_from(password, *salt, mock_scram_iterations);
    if (!dummy.scram) return std::nullopt;
  } else {
    std::optional<std::string> hash = crypt_like(password, like->hash);
    if (!hash) return std::nullopt;
    dummy.hash = std::move(*hash);
  }
  return dummy;
}

}  // namespace

PasswordFileLoad PasswordFile::parse(std::string_view text, std::string_view origin) {
  PasswordFileLoad load;
  auto file = std::make_shared<PasswordFile>();
  auto where = [&](size_t line) { return std::string(origin) + ":" + std::to_string(line) + ": "; };
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.starts_with('#')) continue;  // as Apache reads these files

    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon + 1 == line.size()) {
      load.errors.push_back(where(line_number) + "error: no hash (expected name:hash)");
      continue;
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view hash = line.substr(colon + 1);
    if (name.empty()) {
      load.errors.push_back(where(line_number) + "error: empty user name");
      continue;
    }
    if (StatusOr<LoginName> split = split_login_name(name); !split.is_ok()) {
      load.errors.push_back(where(line_number) + "error: " + split.status().message());
      continue;
    }
    std::variant<RecognisedHash, std::string> recognised = recognise_hash(hash);
    if (std::string* why = std::get_if<std::string>(&recognised)) {
      load.errors.push_back(where(line_number) + "error: user \"" + std::string(name) + "\": " + *why);
      continue;
    }
    RecognisedHash& accepted = std::get<RecognisedHash>(recognised);
    for (const std::string& warning : accepted.warnings) {
      load.warnings.push_back(where(line_number) + "warning: user \"" + std::string(name) + "\": " + warning);
    }
    if (auto existing = file->entries_.find(name); existing != file->entries_.end()) {
      load.errors.push_back(where(line_number) + "error: duplicate user \"" + std::string(name) + "\" (first on line " +
                            std::to_string(existing->second.line) + ")");
      continue;
    }
    file->entries_.emplace(std::string(name), PasswordEntry{std::string(name), accepted.scheme, std::string(hash),
                                                            std::move(accepted.scram), line_number});
  }
  if (!load.errors.empty()) return load;
  file->dummy_ = make_dummy(file->entries_, file->mock_scram_iterations_);
  if (!file->entries_.empty() && !file->dummy_) {
    load.errors.push_back(std::string(origin) + ": error: could not make the hash unknown users are checked against");
    return load;
  }
  load.file = std::move(file);
  return load;
}

PasswordFileLoad PasswordFile::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    PasswordFileLoad load;
    load.errors.push_back(path + ": error: cannot open the users file");
    return load;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    PasswordFileLoad load;
    load.errors.push_back(path + ": error: cannot read the users file");
    return load;
  }
  return parse(text.str(), path);
}

const PasswordEntry* PasswordFile::find(std::string_view name) const {
  auto found = entries_.find(name);
  return found == entries_.end() ? nullptr : &found->second;
}

}  // namespace weftkit::auth
