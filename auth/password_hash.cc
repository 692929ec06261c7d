// Hash recognition by prefix and shape, and verification through libxcrypt (crypt schemes)
// or PBKDF2 (SCRAM verifiers).
#include "auth/password_hash.h"

#include <crypt.h>

#include <charconv>
#include <climits>
#include <memory>

#include "auth/base64.h"
#include "auth/crypto_primitives.h"

namespace weftkit::auth {
namespace {

// crypt(3)'s alphabet: bcrypt orders it differently but uses the same characters.
bool is_crypt64(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::optional<uint32_t> parse_decimal(std::string_view text, uint32_t maximum) {
  if (text.empty() || text.size() > 10 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint32_t value = 0;
  auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (problem != std::errc() || end != text.data() + text.size() || value > maximum) return std::nullopt;
  return value;
}

std::string rehash_hint() { return "; make a new hash with htpasswd -B -C 12 or mkpasswd -m yescrypt"; }

std::variant<RecognisedHash, std::string> recognise_bcrypt(std::string_view hash) {
  // $2y$NN$ then 22 characters of salt and 31 of hash.
  if (hash.size() != 60 || hash[6] != '$' || !is_crypt64(hash.substr(7))) {
    return std::string("malformed bcrypt hash (expected $2y$NN$ and 53 characters)");
  }
  std::optional<uint32_t> cost = parse_decimal(hash.substr(4, 2), 31);
  if (hash[4] == '0' && hash[5] >= '4' && hash[5] <= '9') cost = static_cast<uint32_t>(hash[5] - '0');
  if (!cost || *cost < 4) return std::string("malformed bcrypt hash (its cost must be 04 to 31)");
  RecognisedHash recognised{HashScheme::kBcrypt, std::nullopt, {}};
  if (*cost < 10) {
    recognised.warnings.push_back("bcrypt cost " + std::to_string(*cost) +
                                  " is below 10; make a new hash with htpasswd -B -C 12");
  }
  return recognised;
}

std::variant<RecognisedHash, std::string> recognise_yescrypt(std::string_view hash) {
  // $y$PARAMS$SALT$HASH, the hash 43 characters.
  std::string_view rest = hash.substr(3);
  const size_t first = rest.find('$');
  const size_t second = first == std::string_view::npos ? first : rest.find('$', first + 1);
  if (second == std::string_view::npos) return std::string("malformed yescrypt hash (expected $y$PARAMS$SALT$HASH)");
  const std::string_view params = rest.substr(0, first);
  const std::string_view salt = rest.substr(first + 1, second - first - 1);
  const std::string_view digest = rest.substr(second + 1);
  if (params.empty() || salt.empty() || digest.size() != 43 || !is_crypt64(params) || !is_crypt64(salt) ||
      !is_crypt64(digest)) {
    return std::string("malformed yescrypt hash (expected $y$PARAMS$SALT$HASH)");
  }
  return RecognisedHash{HashScheme::kYescrypt, std::nullopt, {}};
}

std::variant<RecognisedHash, std::string> recognise_sha_crypt(std::string_view hash, HashScheme scheme) {
  // $5$[rounds=N$]SALT$HASH: salt up to 16 characters, hash 43 ($5$) or 86 ($6$) characters.
  const std::string_view name = scheme == HashScheme::kSha256Crypt ? "SHA-256-crypt" : "SHA-512-crypt";
  const size_t digest_size = scheme == HashScheme::kSha256Crypt ? 43 : 86;
  std::string_view rest = hash.substr(3);
  if (rest.starts_with("rounds=")) {
    const size_t end = rest.find('$');
    std::optional<uint32_t> rounds =
        end == std::string_view::npos ? std::nullopt : parse_decimal(rest.substr(7, end - 7), 999999999);
    if (!rounds || *rounds < 1000) {
      return "malformed " + std::string(name) + " hash (rounds must be 1000 to 999999999)";
    }
    rest.remove_prefix(end + 1);
  }
  const size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos || dollar == 0 || dollar > 16 || !is_crypt64(rest.substr(0, dollar)) ||
      rest.size() - dollar - 1 != digest_size || !is_crypt64(rest.substr(dollar + 1))) {
    return "malformed " + std::string(name) + " hash (expected $" + (scheme == HashScheme::kSha256Crypt ? "5" : "6") +
           "$[rounds=N$]SALT$HASH)";
  }
  return RecognisedHash{scheme, std::nullopt, {}};
}

std::variant<RecognisedHash, std::string> recognise_scram(std::string_view hash) {
  const std::string malformed =
      "malformed SCRAM-SHA-256 verifier (expected SCRAM-SHA-256$ITERATIONS:SALT$STOREDKEY:SERVERKEY, base64)";
  std::string_view rest = hash.substr(std::string_view("SCRAM-SHA-256$").size());
  const size_t colon = rest.find(':');
  const size_t dollar = rest.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || colon > dollar) return malformed;
  const size_t key_colon = rest.find(':', dollar + 1);
  if (key_colon == std::string_view::npos) return malformed;
  std::optional<uint32_t> iterations = parse_decimal(rest.substr(0, colon), INT_MAX);
  std::optional<std::string> salt = base64_decode(rest.substr(colon + 1, dollar - colon - 1));
  std::optional<std::string> stored_key = base64_decode(rest.substr(dollar + 1, key_colon - dollar - 1));
  std::optional<std::string> server_key = base64_decode(rest.substr(key_colon + 1));
  if (!iterations || *iterations == 0 || !salt || salt->empty() || !stored_key || stored_key->size() != kSha256Size ||
      !server_key || server_key->size() != kSha256Size) {
    return malformed;
  }
  RecognisedHash recognised{HashScheme::kScramSha256,
                            ScramVerifier{*iterations, std::move(*salt), std::move(*stored_key), std::move(*server_key)},
                            {}};
  if (*iterations < 4096) {
    recognised.warnings.push_back("SCRAM-SHA-256 iteration count " + std::to_string(*iterations) +
                                  " is below 4096 (RFC 7677's minimum)");
  }
  return recognised;
}

struct CryptDataDeleter {
  void operator()(crypt_data* data) const { delete data; }
};

// crypt_rn with its own (large) work area, so concurrent calls never share state.
std::optional<std::string> run_crypt(const std::string& password, const std::string& setting) {
  auto data = std::unique_ptr<crypt_data, CryptDataDeleter>(new crypt_data{});
  const char* out = crypt_rn(password.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return std::nullopt;  // libxcrypt's failure tokens start with '*'
  return std::string(out);
}

}  // namespace

std::variant<RecognisedHash, std::string> recognise_hash(std::string_view hash) {
  if (hash.starts_with("$2y$") || hash.starts_with("$2b$")) return recognise_bcrypt(hash);
  if (hash.starts_with("$y$")) return recognise_yescrypt(hash);
  if (hash.starts_with("$5$")) return recognise_sha_crypt(hash, HashScheme::kSha256Crypt);
  if (hash.starts_with("$6$")) return recognise_sha_crypt(hash, HashScheme::kSha512Crypt);
  if (hash.starts_with("SCRAM-SHA-256$")) return recognise_scram(hash);
  if (hash.starts_with("{SHA}")) return "{SHA} (unsalted SHA-1) hashes are refused" + rehash_hint();
  if (hash.starts_with("$apr1$")) return "$apr1$ (Apache MD5) hashes are refused" + rehash_hint();
  if (hash.starts_with("$1$")) return "$1$ (MD5-crypt) hashes are refused" + rehash_hint();
  if (hash.starts_with("$2a$") || hash.starts_with("$2x$")) {
    return "$2a$/$2x$ (bcrypt's old variants) hashes are refused" + rehash_hint();
  }
  if (hash.size() == 13 && is_crypt64(hash)) {
    return "DES crypt hashes are refused (they keep only 8 characters of a password)" + rehash_hint();
  }
  if (hash.starts_with("$")) return "unknown hash scheme" + rehash_hint();
  return "not a hash (a plaintext password?)" + rehash_hint();
}

bool verify_password(const PasswordEntry& entry, std::string_view password) {
  const bool has_nul = password.find('\0') != std::string_view::npos;
  if (entry.scheme == HashScheme::kScramSha256) {
    if (!entry.scram) return false;
    std::optional<ScramVerifier> computed = make_scram_verifier_from(password, entry.scram->salt, entry.scram->iterations);
    return computed && constant_time_equal(computed->stored_key, entry.scram->stored_key) && !has_nul;
  }
  // crypt reads a C string: hash what it would see, then refuse what it could not see.
  const std::string as_c_string(password.substr(0, password.find('\0')));
  std::optional<std::string> computed = run_crypt(as_c_string, entry.hash);
  const bool too_long_for_bcrypt = entry.scheme == HashScheme::kBcrypt && password.size() > 72;
  const bool equal = computed && constant_time_equal(*computed, entry.hash);
  return equal && !has_nul && !too_long_for_bcrypt;
}

std::optional<ScramVerifier> make_scram_verifier_from(std::string_view password, std::string_view salt,
                                                      uint32_t iterations) {
  std::optional<std::string> salted = pbkdf2_sha256(password, salt, iterations);
  if (!salted) return std::nullopt;
  std::optional<std::string> client_key = hmac_sha256(*salted, "Client Key");
  std::optional<std::string> server_key = hmac_sha256(*salted, "Server Key");
  std::optional<std::string> stored_key = client_key ? sha256(*client_key) : std::nullopt;
  if (!stored_key || !server_key) return std::nullopt;
  return ScramVerifier{iterations, std::string(salt), std::move(*stored_key), std::move(*server_key)};
}

std::optional<std::string> crypt_like(std::string_view password, const std::string& like) {
  return run_crypt(std::string(password.substr(0, password.find('\0'))), like);
}

}  // namespace weftkit::auth
