// A fake AWS KMS (JSON 1.1 protocol) on a loopback server, built from AWS's public API and
// Signature Version 4 references. It verifies every request's signature independently of the
// project's signer: it rebuilds the canonical request from the bytes it received, derives the
// signing key from the secret key itself, and compares; it requires host, x-amz-date,
// x-amz-target and content-type (and the session token, when there is one) to be signed. It
// does real AES-256-GCM with the encryption context as additional data, and HMAC-SHA256 for
// GenerateMac. Failures, garbage and silence can be scripted as for the fake Vault.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/crypto/fake_http_server.h"

namespace weftkit::crypto::testing {

struct FakeKmsSettings {
  std::string region = "eu-west-1";
  std::string key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  std::string hmac_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/hmac-0000-1111-2222-333344445555";
  std::string access_key_id = "AKIDEXAMPLE0123456789";
  std::string secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string session_token;  // when set, X-Amz-Security-Token must carry it, signed
  FakeTls tls = {};  // set: served over https with this certificate
};

class FakeKms {
 public:
  explicit FakeKms(FakeKmsSettings settings = {});

  std::string url() const { return server_->url(); }
  int requests() const { return server_->requests(); }
  const FakeKmsSettings& settings() const { return settings_; }

  void queue_failures(std::vector<int> statuses);
  // As AWS throttles: HTTP 400 with __type ThrottlingException, `times` answers in a row.
  void queue_throttling(int times);
  void answer_garbage(std::string body);
  void stop_answering();
  FakeRequest last_request() const;
  std::vector<std::string> actions() const;  // X-Amz-Target of each verified request
  std::string last_reply_body() const;        // what the provider was answered last

 private:
  FakeReply handle(const FakeRequest& request);
  FakeReply respond(const FakeRequest& request);  // under mutex_
  std::string signature_problem(const FakeRequest& request) const;
  FakeReply encrypt(const std::string& body);
  FakeReply decrypt(const std::string& body);
  FakeReply generate_mac(const std::string& body);

  FakeKmsSettings settings_;
  mutable std::mutex mutex_;
  std::vector<std::uint8_t> encryption_key_;
  std::vector<std::uint8_t> hmac_key_;
  std::deque<int> failures_;
  std::string garbage_;
  bool silent_ = false;
  FakeRequest last_;
  std::string last_reply_body_;
  std::vector<std::string> actions_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first
};

}  // namespace weftkit::crypto::testing
