// Certificates for the mTLS and TLS tests, made at test time by the real `openssl req` and
// `openssl ca` in a private temporary directory: a root CA, an intermediate, client
// certificates good and bad, a server certificate, a CRL, and an unrelated CA.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace weftkit::auth::testing {

// A child process's exit code (-1: killed after the timeout or by a signal) and its standard
// output and error, interleaved. Standard input is /dev/null.
struct ChildOutcome {
  int exit_code = -1;
  std::string output;
};
ChildOutcome run_child(const std::vector<std::string>& argv, const std::string& scratch_directory,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

struct TestPki {
  std::string directory;  // removed by the destructor
  std::string root_ca;    // PEM files
  std::string crl;        // the intermediate's CRL, revoking the "revoked" client
  std::string root_crl;   // the root's CRL (covers the intermediate only)
  std::string other_root_ca;
  // Each client: <name>.pem (the client certificate then the intermediate), <name>.crt (the
  // client certificate alone), <name>.key; names: good (CN=alice, O=acme), expired, not_yet_valid,
  // revoked, server_purpose, no_tenant (CN=bob only), wrong_ca (signed by the other root).
  std::string chain(const std::string& name) const { return directory + "/" + name + ".pem"; }
  std::string certificate(const std::string& name) const { return directory + "/" + name + ".crt"; }
  std::string key(const std::string& name) const { return directory + "/" + name + ".key"; }
  std::string intermediate_ca;  // PEM of the intermediate alone
  // The TLS server's certificate (signed by the root, serverAuth, IP 127.0.0.1) and key, and a
  // second certificate with another key and subject for reload tests.
  std::string server_certificate, server_key, server2_certificate, server2_key;

  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;
};

}  // namespace weftkit::auth::testing
