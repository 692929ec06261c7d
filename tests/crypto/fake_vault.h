// A fake HashiCorp Vault transit engine on a loopback server, built from Vault's public HTTP API
// reference. It checks the protocol strictly (token, namespace header, mount, key name, method,
// JSON body fields) and does real cryptography under its own transit key: AES-256-GCM with a
// random 96-bit nonce, "vault:v<N>:" + base64(nonce | ciphertext | tag), and HMAC-SHA256, one
// key per version as transit keeps them. The test can queue statuses to answer first (500, 429,
// 400, ...), make it answer garbage, or never answer.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/crypto/fake_http_server.h"

namespace weftkit::crypto::testing {

struct FakeVaultSettings {
  std::string token = "hvs.test-token-0123456789abcdef";
  std::string mount = "transit";
  std::string key = "weftkit";
  std::string namespace_name;  // when set, X-Vault-Namespace must equal it (and be absent otherwise)
  FakeTls tls = {};            // set: served over https with this certificate
};

class FakeVault {
 public:
  explicit FakeVault(FakeVaultSettings settings = {});

  std::string url() const { return server_->url(); }
  int requests() const { return server_->requests(); }
  int failed_handshakes() const { return server_->failed_handshakes(); }
  const FakeVaultSettings& settings() const { return settings_; }

  // The next requests are answered with these statuses (and Vault's JSON error form) before
  // the protocol is looked at.
  void queue_failures(std::vector<int> statuses);
  // Every later request gets 200 with this (non-JSON or wrong-shape) body.
  void answer_garbage(std::string body);
  // Every later request is left unanswered.
  void stop_answering();
  // A new transit key version (new encryptions use it; old versions still decrypt and HMAC).
  void rotate();
  // What the server saw last (paths, headers, bodies; for the tests' protocol assertions).
  FakeRequest last_request() const;
  std::vector<std::string> paths() const;

 private:
  FakeReply handle(const FakeRequest& request);
  FakeReply encrypt(const std::string& body);
  FakeReply decrypt(const std::string& body);
  FakeReply hmac(const std::string& body);

  FakeVaultSettings settings_;
  mutable std::mutex mutex_;
  std::vector<std::vector<std::uint8_t>> encryption_keys_;  // [version - 1]
  std::vector<std::vector<std::uint8_t>> hmac_keys_;
  std::deque<int> failures_;
  std::string garbage_;
  bool silent_ = false;
  FakeRequest last_;
  std::vector<std::string> paths_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first, while the state above lives
};

}  // namespace weftkit::crypto::testing
