// An htpasswd users file (`name:hash` lines) loaded whole or not at all: every line with a
// refused or unparsable hash is reported with its line number, and any error refuses the file.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weftkit::auth {

enum class HashScheme : uint8_t {
  kBcrypt,       // $2y$ / $2b$ (htpasswd -B)
  kYescrypt,     // $y$ (mkpasswd -m yescrypt)
  kSha256Crypt,  // $5$ (htpasswd -2, mkpasswd -m sha-256)
  kSha512Crypt,  // $6$ (htpasswd -5, mkpasswd -m sha-512)
  kScramSha256,  // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (PostgreSQL's form)
};

// A SCRAM-SHA-256 verifier (RFC 5802): the salt and keys decoded from their base64.
struct ScramVerifier {
  uint32_t iterations = 0;
  std::string salt;
  std::string stored_key;  // 32 bytes: H(HMAC(SaltedPassword, "Client Key"))
  std::string server_key;  // 32 bytes: HMAC(SaltedPassword, "Server Key")
};

struct PasswordEntry {
  std::string name;
  HashScheme scheme = HashScheme::kBcrypt;
  std::string hash;                    // the whole hash text (crypt schemes verify against it)
  std::optional<ScramVerifier> scram;  // kScramSha256 only
  size_t line = 0;
};

class PasswordFile;

// Either the whole file, or its errors ("users:3: error: ..."). Warnings ("bcrypt cost 5 is
// below 10") never refuse a file.
struct PasswordFileLoad {
  std::shared_ptr<const PasswordFile> file;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  bool ok() const { return file != nullptr; }
};

class PasswordFile {
 public:
  // `origin` names the file in messages.
  static PasswordFileLoad parse(std::string_view text, std::string_view origin);
  static PasswordFileLoad load(const std::string& path);

  const PasswordEntry* find(std::string_view name) const;
  size_t size() const { return entries_.size(); }
  // What an unknown user is verified against so that it costs what a known one does: a
  // freshly made hash of the file's most common scheme and parameters. Null for an empty file.
  const PasswordEntry* dummy() const { return dummy_ ? &*dummy_ : nullptr; }
  // The iteration count an unknown user's mock SCRAM exchange announces (the file's most
  // common one, 4096 without SCRAM entries).
  uint32_t mock_scram_iterations() const { return mock_scram_iterations_; }

 private:
  std::map<std::string, PasswordEntry, std::less<>> entries_;
  std::optional<PasswordEntry> dummy_;
  uint32_t mock_scram_iterations_ = 4096;
};

std::string_view to_string(HashScheme scheme);

}  // namespace weftkit::auth
