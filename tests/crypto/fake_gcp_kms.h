// A fake Google Cloud KMS (REST v1) with its own OAuth token endpoint on one loopback server,
// built from Google's public Cloud KMS and service-account (JWT bearer grant) references. It
// requires a Bearer token it issued (or the fixed one), the exact key and MAC key version
// names, and every CRC32C field, checking each against the bytes received; it does real
// AES-256-GCM with the additionalAuthenticatedData and HMAC-SHA256 for macSign. The token
// endpoint verifies the RS256 assertion with the test service account's public key. Answers
// can be corrupted, failed, replaced by garbage or withheld on request.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tests/crypto/fake_http_server.h"

namespace weftkit::crypto::testing {

struct FakeGcpKmsSettings {
  std::string key = "projects/weftkit-test/locations/europe-west1/keyRings/ring/cryptoKeys/master";
  std::string mac_key_version = "projects/weftkit-test/locations/europe-west1/keyRings/ring/cryptoKeys/auth/cryptoKeyVersions/1";
  std::string fixed_token = "ya29.fixed-test-access-token-0123456789";  // accepted as is
  std::string client_email = "weftkit@weftkit-test.iam.gserviceaccount.com";
  std::int64_t token_lifetime_seconds = 3600;  // expires_in of issued tokens
  FakeTls tls = {};  // set: served over https with this certificate
};

// What the fake does to the next answers (or to the next request as received).
enum class GcpCorruption {
  kNone,
  kCiphertextCrc,        // encrypt: ciphertextCrc32c of other bytes
  kCiphertextBytes,      // encrypt: one ciphertext byte flipped after its CRC was computed
  kUnverifiedPlaintext,  // encrypt: verifiedPlaintextCrc32c false
  kUnverifiedAad,        // encrypt: verifiedAdditionalAuthenticatedDataCrc32c false
  kPlaintextCrc,         // decrypt: plaintextCrc32c of other bytes
  kMacCrc,               // macSign: macCrc32c of other bytes
  kRequestInTransit,     // any: one byte of the received payload flipped before the CRC check
};

class FakeGcpKms {
 public:
  explicit FakeGcpKms(FakeGcpKmsSettings settings = {});
  ~FakeGcpKms();

  std::string url() const { return server_->url(); }
  std::string token_uri() const { return url() + "/token"; }
  int requests() const { return server_->requests(); }
  const FakeGcpKmsSettings& settings() const { return settings_; }

  // Writes a service-account key file for this fake's account (its token_uri, its RSA key).
  void write_service_account(const std::string& path) const;
  // A service-account file whose key this fake does not know (same email): assertions fail.
  static void write_foreign_service_account(const std::string& path, const std::string& email, const std::string& token_uri);

  void queue_failures(std::vector<int> statuses);  // 429 answers RESOURCE_EXHAUSTED
  // The next `times` calls to encrypt, decrypt or macSign are corrupted this way.
  void corrupt_next(GcpCorruption corruption, int times = 1);
  void answer_garbage(std::string body);
  void stop_answering();
  void revoke_tokens();  // every issued token becomes unknown (401)

  int tokens_issued() const;
  std::vector<std::string> methods() const;  // ":encrypt", ":decrypt", ":macSign" of accepted calls
  FakeRequest last_request() const;

 private:
  FakeReply handle(const FakeRequest& request);
  FakeReply token(const FakeRequest& request);
  FakeReply encrypt(const std::string& body);
  FakeReply decrypt(const std::string& body);
  FakeReply mac_sign(const std::string& body);
  std::string assertion_problem(const std::string& assertion) const;

  FakeGcpKmsSettings settings_;
  EVP_PKEY* account_key_ = nullptr;
  mutable std::mutex mutex_;
  std::vector<std::uint8_t> encryption_key_;
  std::vector<std::uint8_t> hmac_key_;
  std::deque<int> failures_;
  GcpCorruption corruption_ = GcpCorruption::kNone;  // for this call (set from the two below)
  GcpCorruption pending_corruption_ = GcpCorruption::kNone;
  int corruptions_left_ = 0;
  std::string garbage_;
  bool silent_ = false;
  std::set<std::string> tokens_;
  int issued_ = 0;
  std::vector<std::string> methods_;
  FakeRequest last_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first
};

}  // namespace weftkit::crypto::testing
