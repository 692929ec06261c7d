// weftkit-kv as its users meet it: the real engine on a loopback port, the real curl, tokens
// and certificates made as an operator makes them. Each test starts its own engine in its own
// scratch directory.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <thread>

#include "tests/examples/engine_test_support.h"
#include "tests/support/scratch_directory.h"

namespace weftkit::testing {
namespace {

const std::string kSecret = "kv-test-secret-of-at-least-32-bytes-length";

const std::string kRoles =
    "users:\n"
    "  - name: alice\n    roles: [read_write]\n    tenant: tenant-001\n"
    "  - name: bob\n    roles: [read_write]\n    tenant: tenant-002\n"
    "  - name: rita\n    roles: [read_only]\n    tenant: tenant-001\n";
const std::string kItemsTable = "CREATE TABLE items (key text, value text);\n";

std::string random_master_key() {
  std::random_device device;
  std::string bytes;
  for (int index = 0; index < 32; ++index) bytes += static_cast<char>(device() & 0xff);
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t index = 0; index < bytes.size(); index += 3) {
    uint32_t group = uint8_t(bytes[index]) << 16;
    if (index + 1 < bytes.size()) group |= uint8_t(bytes[index + 1]) << 8;
    if (index + 2 < bytes.size()) group |= uint8_t(bytes[index + 2]);
    out += alphabet[(group >> 18) & 63];
    out += alphabet[(group >> 12) & 63];
    out += index + 1 < bytes.size() ? alphabet[(group >> 6) & 63] : '=';
    out += index + 2 < bytes.size() ? alphabet[group & 63] : '=';
  }
  return out;
}

struct CurlAnswer {
  int status = 0;      // HTTP status, 0 when curl got none
  std::string body;
  double seconds = 0;  // curl's time_total: TLS handshake, login, check and answer
  int exit_code = -1;  // curl's own
  std::string error;   // curl's stderr
};

class KvEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = TestPki::make(scratch_.path());
    write_text(roles_path(), kRoles);
    write_text(scratch_.path() + "/items.sql", kItemsTable);
    environment_ = {
        {"WEFTKIT_AUTH", "jwt"},
        {"WEFTKIT_JWT_SECRET", kSecret},
        {"WEFTKIT_TLS_CERT", pki_.server_certificate},
        {"WEFTKIT_TLS_KEY", pki_.server_key},
        {"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
        {"WEFTKIT_KEY_PROVIDER", "env"},
        {"WEFTKIT_KEY", master_key_},
        {"WEFTKIT_AUDIT", "true"},
        {"WEFTKIT_AUDIT_OUTPUT", audit_path()},
        {"WEFTKIT_DATA_DIR", data_dir()},
    };
  }

  // With the policy files (compiled by the engine), unless `policy_arguments` says otherwise.
  void start(std::vector<std::string> policy_arguments = {}) {
    if (policy_arguments.empty()) policy_arguments = {"--policy", roles_path(), "--policy", scratch_.path() + "/items.sql"};
    port_ = free_loopback_port();
    std::vector<std::string> arguments = {"--listen", "127.0.0.1:" + std::to_string(port_)};
    arguments.insert(arguments.end(), policy_arguments.begin(), policy_arguments.end());
    engine_ = std::make_unique<EngineProcess>(WEFTKIT_KV_ENGINE, arguments, environment_,
                                              scratch_.path() + "/engine.log", port_);
    engine_->start();
  }

  std::string token(const std::string& user, const std::string& tenant, int64_t expires_in = 600) const {
    int64_t now = std::time(nullptr);
    return hs256_token(kSecret, "{\"sub\":\"" + user + "\",\"tenant_id\":\"" + tenant + "\",\"iat\":" +
                                    std::to_string(now) + ",\"exp\":" + std::to_string(now + expires_in) + "}");
  }

  // curl as the product page runs it, with the test CA; extra arguments before the URL.
  CurlAnswer curl(const std::string& bearer, const std::string& path, std::vector<std::string> extra = {}) const {
    std::vector<std::string> arguments = {"-sS", "--cacert", pki_.ca_certificate, "-w", "\n%{http_code} %{time_total}"};
    if (!bearer.empty()) {
      arguments.push_back("-H");
      arguments.push_back("Authorization: Bearer " + bearer);
    }
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back("https://localhost:" + std::to_string(port_) + path);
    ProcessOutcome outcome = run_client("curl", arguments);
    CurlAnswer answer;
    answer.exit_code = outcome.exit_code;
    answer.error = outcome.err;
    size_t last_line = outcome.out.rfind('\n');
    if (last_line != std::string::npos) {
      answer.status = std::atoi(outcome.out.c_str() + last_line + 1);
      size_t space = outcome.out.find(' ', last_line);
      if (space != std::string::npos) answer.seconds = std::atof(outcome.out.c_str() + space + 1);
      answer.body = outcome.out.substr(0, last_line);
    }
    return answer;
  }

  CurlAnswer put(const std::string& bearer, const std::string& key, const std::string& value) const {
    return curl(bearer, "/items/" + key, {"-X", "PUT", "--data-binary", value});
  }

  std::string roles_path() const { return scratch_.path() + "/roles.yaml"; }
  std::string audit_path() const { return scratch_.path() + "/audit.jsonl"; }
  std::string data_dir() const { return scratch_.path() + "/data"; }

  ScratchDirectory scratch_{"weftkit-kv-test-"};
  TestPki pki_;
  std::string master_key_ = random_master_key();
  std::map<std::string, std::string> environment_;
  int port_ = 0;
  std::unique_ptr<EngineProcess> engine_;
};

TEST_F(KvEngine, ProductPageCurlCommandReadsTheItemOfTheTokensTenant) {
  start();
  ASSERT_EQ(put(token("alice", "tenant-001"), "abc", "hello from tenant-001").status, 201);
  CurlAnswer answer = curl(token("alice", "tenant-001"), "/items/abc");
  EXPECT_EQ(answer.status, 200) << answer.body << answer.error;
  EXPECT_EQ(answer.body, "hello from tenant-001");
  EXPECT_EQ(put(token("alice", "tenant-001"), "abc", "changed").status, 200);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/abc").body, "changed");
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/abc", {"-X", "DELETE"}).status, 204);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/abc").status, 404);
}

TEST_F(KvEngine, EachTenantSeesOnlyItsOwnItemsUnderTheSameKey) {
  start();
  ASSERT_EQ(put(token("alice", "tenant-001"), "shared-key", "one").status, 201);
  ASSERT_EQ(put(token("bob", "tenant-002"), "shared-key", "two").status, 201);
  ASSERT_EQ(put(token("bob", "tenant-002"), "only-two", "secret of two").status, 201);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/shared-key").body, "one");
  EXPECT_EQ(curl(token("bob", "tenant-002"), "/items/shared-key").body, "two");
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/only-two").status, 404);
  CurlAnswer listing = curl(token("alice", "tenant-001"), "/items?prefix=");
  EXPECT_EQ(listing.status, 200);
  EXPECT_EQ(listing.body, "{\"items\":[{\"key\":\"shared-key\",\"bytes\":3}]}\n");
  // A token may not claim a tenant its user does not have in roles.yaml.
  CurlAnswer foreign = curl(token("alice", "tenant-002"), "/items/only-two");
  EXPECT_EQ(foreign.status, 401);
  EXPECT_NE(foreign.body.find("tenant_not_allowed"), std::string::npos) << foreign.body;
}

TEST_F(KvEngine, ReadOnlyUserMayReadButNotWrite) {
  start();
  ASSERT_EQ(put(token("alice", "tenant-001"), "k", "v").status, 201);
  EXPECT_EQ(curl(token("rita", "tenant-001"), "/items/k").body, "v");
  CurlAnswer denied = put(token("rita", "tenant-001"), "k2", "nope");
  EXPECT_EQ(denied.status, 403);
  EXPECT_NE(denied.body.find("rita may not INSERT items"), std::string::npos) << denied.body;
  EXPECT_EQ(curl(token("rita", "tenant-001"), "/items/k", {"-X", "DELETE"}).status, 403);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/k2").status, 404);
}

TEST_F(KvEngine, MissingExpiredOrForgedTokensAreRefusedWith401) {
  start();
  CurlAnswer missing = curl("", "/items/abc");
  EXPECT_EQ(missing.status, 401);
  EXPECT_NE(missing.body.find("missing_token"), std::string::npos) << missing.body;
  CurlAnswer expired = curl(token("alice", "tenant-001", -3600), "/items/abc");
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.body.find("\"expired\""), std::string::npos) << expired.body;
  std::string forged = hs256_token("another-secret-that-is-32-bytes-long!!", "{\"sub\":\"alice\",\"tenant_id\":\"tenant-001\"}");
  CurlAnswer bad_signature = curl(forged, "/items/abc");
  EXPECT_EQ(bad_signature.status, 401);
  EXPECT_NE(bad_signature.body.find("bad_signature"), std::string::npos) << bad_signature.body;
}

TEST_F(KvEngine, BodiesOverTheLimitAndMalformedKeysAreRefused) {
  start();
  std::string big_file = scratch_.path() + "/big";
  write_text(big_file, std::string(1024 * 1024 + 1, 'x'));
  CurlAnswer big = curl(token("alice", "tenant-001"), "/items/big", {"-X", "PUT", "--data-binary", "@" + big_file});
  EXPECT_EQ(big.status, 413) << big.body << big.error;
  CurlAnswer long_key = curl(token("alice", "tenant-001"), "/items/" + std::string(300, 'k'));
  EXPECT_EQ(long_key.status, 400);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/other").status, 404);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items", {"-X", "DELETE"}).status, 405);
}

TEST_F(KvEngine, RestartKeepsEveryStoredItem) {
  start();
  for (int index = 0; index < 20; ++index) {
    ASSERT_EQ(put(token("alice", "tenant-001"), "key-" + std::to_string(index), "value-" + std::to_string(index)).status, 201);
  }
  ASSERT_EQ(engine_->stop(), 0) << engine_->output();
  start();
  for (int index = 0; index < 20; ++index) {
    EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/key-" + std::to_string(index)).body, "value-" + std::to_string(index));
  }
}

TEST_F(KvEngine, DataDirectoryHoldsNoPlaintextOfAnyStoredValueOrKey) {
  start();
  const std::string value = "PLAINTEXT-CANARY-8c1f2e", key = "key-canary-77aa";
  ASSERT_EQ(put(token("alice", "tenant-001"), key, value).status, 201);
  ASSERT_EQ(put(token("bob", "tenant-002"), key, value + "-two").status, 201);
  engine_->stop();
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string bytes = read_text(entry.path().string());
    EXPECT_EQ(bytes.find(value), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(key), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 3);  // the keyring and one file per tenant
}

TEST_F(KvEngine, EditedRolesAreServedWithoutARestartAndABrokenEditChangesNothing) {
  start();
  ASSERT_EQ(put(token("rita", "tenant-001"), "k", "v").status, 403);
  write_text(roles_path(), "users:\n  - name: rita\n    roles: [read_write]\n    tenant: tenant-001\n");
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 201; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = put(token("rita", "tenant-001"), "k", "v").status;
  }
  EXPECT_EQ(status, 201) << engine_->output();
  write_text(roles_path(), "users:\n  - name: rita\n    roles: [no_such_role]\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(put(token("rita", "tenant-001"), "k", "v2").status, 200) << engine_->output();
  EXPECT_NE(engine_->output().find("policy reload refused"), std::string::npos) << engine_->output();
}

TEST_F(KvEngine, ServesAModuleCompiledAheadOfTimeAndReloadsItWhenANewOneIsRenamedOverIt) {
  const std::string module = scratch_.path() + "/policy.so";
  auto compile_module = [&](const std::string& output) {
    ProcessOutcome compiled = run_client(WEFTKIT_POLICYC, {"compile", roles_path(), scratch_.path() + "/items.sql",
                                                           "--emit=so", "-o", output}, {}, std::chrono::seconds(120));
    ASSERT_EQ(compiled.exit_code, 0) << compiled.out << compiled.err;
  };
  compile_module(module);
  start({"--module", module});
  ASSERT_EQ(put(token("alice", "tenant-001"), "k", "v").status, 201);
  ASSERT_EQ(put(token("rita", "tenant-001"), "k", "v").status, 403);
  write_text(roles_path(), "users:\n  - name: rita\n    roles: [read_write]\n    tenant: tenant-001\n");
  compile_module(module + ".new");
  std::filesystem::rename(module + ".new", module);
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = put(token("rita", "tenant-001"), "k", "v2").status;
  }
  EXPECT_EQ(status, 200) << engine_->output();
  EXPECT_EQ(curl(token("rita", "tenant-001"), "/items/k").body, "v2");
}

TEST_F(KvEngine, AuditLogRecordsLoginsRefusalsDenialsAndReloadsAndVerifies) {
  start();
  ASSERT_EQ(put(token("alice", "tenant-001"), "k", "v").status, 201);
  ASSERT_EQ(put(token("rita", "tenant-001"), "k", "v").status, 403);
  ASSERT_EQ(curl(token("alice", "tenant-001", -3600), "/items/k").status, 401);
  ASSERT_EQ(curl(token("alice", "tenant-002"), "/items/k").status, 401);
  write_text(roles_path(), kRoles + "# edited\n");
  for (int attempt = 0; attempt < 100 && read_text(audit_path()).find("\"policy_reload\"") == std::string::npos; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(engine_->stop(), 0);
  std::string log = read_text(audit_path());
  EXPECT_NE(log.find("\"authz_deny\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"auth\""), std::string::npos) << log;
  EXPECT_NE(log.find("rita"), std::string::npos) << log;
  EXPECT_NE(log.find("\"expired\""), std::string::npos) << log;
  EXPECT_NE(log.find("tenant_not_allowed"), std::string::npos) << log;
  EXPECT_NE(log.find("\"policy_reload\""), std::string::npos) << log;
  EXPECT_EQ(log.find(kSecret), std::string::npos) << "the JWT secret reached the audit log";
  ProcessOutcome verify = run_client(WEFTKIT_POLICYC, {"audit", "verify", audit_path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(KvEngine, ConfigurationErrorsStopTheEngineWithEveryProblemNamed) {
  environment_["WEFTKIT_AUTH"] = "password";
  environment_["WEFTKIT_TLS_CERTT"] = "typo";
  port_ = free_loopback_port();
  ProcessOutcome outcome = run_client(WEFTKIT_KV_ENGINE, {"--listen", "127.0.0.1:" + std::to_string(port_), "--policy", roles_path()},
                                      environment_);
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.err.find("WEFTKIT_TLS_CERTT"), std::string::npos) << outcome.err;
  EXPECT_EQ(outcome.err.find(kSecret), std::string::npos) << "a secret was printed";
  EXPECT_EQ(outcome.err.find(master_key_), std::string::npos) << "the master key was printed";
}

TEST_F(KvEngine, HostileConnectionsLeaveTheEngineServingOthers) {
  start();
  auto connect_raw = [&]() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
  };
  auto open_descriptors = [&] {
    return std::distance(std::filesystem::directory_iterator("/proc/" + std::to_string(engine_->pid()) + "/fd"),
                         std::filesystem::directory_iterator());
  };
  ASSERT_EQ(put(token("alice", "tenant-001"), "warm", "up").status, 201);
  const auto descriptors_before = open_descriptors();
  for (int index = 0; index < 1000; ++index) close(connect_raw());
  int garbage = connect_raw();
  std::string noise(4096, '\x16');
  ASSERT_GT(write(garbage, noise.data(), noise.size()), 0);
  close(garbage);
  int half_open = connect_raw();  // a client that says nothing and stays
  ASSERT_EQ(put(token("alice", "tenant-001"), "still", "serving").status, 201);
  EXPECT_EQ(curl(token("alice", "tenant-001"), "/items/still").body, "serving");
  close(half_open);
  EXPECT_TRUE(engine_->running());
  // Every dropped connection's descriptor is closed once its thread sees the end of it.
  auto descriptors_after = open_descriptors();
  for (int attempt = 0; attempt < 100 && descriptors_after > descriptors_before; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    descriptors_after = open_descriptors();
  }
  EXPECT_LE(descriptors_after, descriptors_before) << "descriptors leaked by 1,000 dropped connections";
}

TEST_F(KvEngine, ClientsOfTwoTenantsGetEveryAnswerRightWhileThePolicyReloadsEvery100Ms) {
  start();
  ASSERT_EQ(put(token("alice", "tenant-001"), "mine", "of tenant-001").status, 201);
  ASSERT_EQ(put(token("bob", "tenant-002"), "mine", "of tenant-002").status, 201);
  std::atomic<bool> done{false};
  std::thread reloader([&] {
    for (int round = 0; !done.load(); ++round) {
      // The same grants each time, written in two spellings, so every reload publishes; saved
      // the way editors and configuration tools save, a new file renamed over the old one
      // (a file truncated and rewritten in place can be read half-written, and a roles.yaml
      // cut short is a valid one that grants less).
      write_text(roles_path() + ".new", kRoles + (round % 2 == 0 ? "" : "# edit " + std::to_string(round) + "\n"));
      std::filesystem::rename(roles_path() + ".new", roles_path());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::atomic<int> requests{0}, wrong{0};
  std::vector<std::string> failures[4];
  std::vector<double> seconds[4];
  std::vector<std::thread> clients;
  for (int client = 0; client < 4; ++client) {
    clients.emplace_back([&, client] {
      const bool first = client % 2 == 0;
      const std::string user = first ? "alice" : "bob", tenant = first ? "tenant-001" : "tenant-002";
      for (int round = 0; round < 25; ++round) {
        CurlAnswer answer = client < 2 ? curl(token(user, tenant), "/items/mine")
                                       : put(token(user, tenant), "k" + std::to_string(client) + "-" + std::to_string(round), "v");
        ++requests;
        seconds[client].push_back(answer.seconds);
        bool right = client < 2 ? answer.status == 200 && answer.body == "of " + tenant : answer.status == 201;
        if (!right) {
          ++wrong;
          failures[client].push_back(std::to_string(answer.status) + " " + answer.body + answer.error);
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  done = true;
  reloader.join();
  EXPECT_EQ(requests.load(), 100);
  EXPECT_EQ(wrong.load(), 0) << (failures[0].empty() ? "" : failures[0].front())
                             << (failures[2].empty() ? "" : failures[2].front());
  EXPECT_NE(engine_->output().find("policy reloaded"), std::string::npos) << engine_->output();
  std::vector<double> all;
  for (const std::vector<double>& one : seconds) all.insert(all.end(), one.begin(), one.end());
  std::sort(all.begin(), all.end());
  auto at = [&](double fraction) { return 1000 * all[std::min(all.size() - 1, size_t(fraction * all.size()))]; };
  std::cout << "[ stats ] " << all.size() << " requests by curl (each a new TLS connection); ms p50 " << at(0.5)
            << ", p95 " << at(0.95) << ", max " << 1000 * all.back() << "\n";
}

class KvEngineMtls : public KvEngine {
 protected:
  void SetUp() override {
    KvEngine::SetUp();
    environment_.erase("WEFTKIT_JWT_SECRET");
    environment_["WEFTKIT_AUTH"] = "mtls";
    environment_["WEFTKIT_MTLS_CA"] = pki_.ca_certificate;
  }
  CurlAnswer curl_with(const std::pair<std::string, std::string>& client, const std::string& path,
                       std::vector<std::string> extra = {}) const {
    std::vector<std::string> arguments = {"--cert", client.first, "--key", client.second};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return curl("", path, arguments);
  }
};

TEST_F(KvEngineMtls, ClientCertificateIsTheLoginAndItsOrganizationTheTenant) {
  start();
  auto alice = pki_.client("alice", "tenant-001");
  auto bob = pki_.client("bob", "tenant-002");
  CurlAnswer stored = curl_with(alice, "/items/cert-key", {"-X", "PUT", "--data-binary", "from alice"});
  ASSERT_EQ(stored.status, 201) << stored.body << stored.error;
  EXPECT_EQ(curl_with(alice, "/items/cert-key").body, "from alice");
  EXPECT_EQ(curl_with(bob, "/items/cert-key").status, 404);
}

TEST_F(KvEngineMtls, CertificateOfAnotherCaOrNoneIsRefused) {
  start();
  auto stranger = pki_.client("alice", "tenant-001", /*self_signed_ca=*/true);
  CurlAnswer untrusted = curl_with(stranger, "/items/x");
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_EQ(untrusted.status, 0) << untrusted.body;
  CurlAnswer none = curl("", "/items/x");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_EQ(none.status, 0) << none.body;
  // Refused inside the handshake, before any login: the engine records it itself.
  ASSERT_EQ(engine_->stop(), 0);
  std::string log = read_text(audit_path());
  EXPECT_NE(log.find("TLS handshake refused"), std::string::npos) << log;
  ProcessOutcome verify = run_client(WEFTKIT_POLICYC, {"audit", "verify", audit_path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace weftkit::testing
