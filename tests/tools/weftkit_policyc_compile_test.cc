// weftkit-policyc compile and the bundle it writes: written whole or not at all, read back
// with the same decisions, and rejected with a message naming the damage when corrupted.
#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <array>
#include <nlohmann/json.hpp>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

using nlohmann::json;

// The layout documented in compiler/bundle/bundle.h: magic "WKPOLBND" | u32 version |
// u32 flags | u64 payload size | SHA-256 of the payload | payload.
constexpr size_t kVersionOffset = 8;
constexpr size_t kPayloadSizeOffset = 16;
constexpr size_t kDigestOffset = 24;
constexpr size_t kHeaderSize = 56;

const char* const kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n";

const char* const kBrokenRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELEKT]\n";

class CliCompile : public CliFixture {};

TEST_F(CliCompile, WritesTheBundleAndReportsWhatItHolds) {
  std::string out = path("roles.wkpb");
  ProcessResult result = policyc_in_repo({"compile", "examples/roles.yaml", "-o", out});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "wrote " + out + ": 12 roles, 7 users, 6 resource classes, 0 tables, 0 policies\n");
  EXPECT_EQ(result.err, "");
  ASSERT_TRUE(exists("roles.wkpb"));
  EXPECT_EQ(read_file(out).substr(0, 8), "WKPOLBND");
  EXPECT_FALSE(exists("roles.wkpb.tmp"));
}

TEST_F(CliCompile, LongOutputFlagWorksInBothSpellings) {
  write("roles.yaml", kRoles);
  EXPECT_EQ(policyc({"compile", "roles.yaml", "--output=a.wkpb"}).exit_code, 0);
  EXPECT_EQ(policyc({"compile", "--output", "b.wkpb", "roles.yaml"}).exit_code, 0);
  EXPECT_EQ(read_file(path("a.wkpb")), read_file(path("b.wkpb")));
}

TEST_F(CliCompile, SameInputsGiveByteIdenticalBundles) {
  write("roles.yaml", kRoles);
  ASSERT_EQ(policyc({"compile", "roles.yaml", "-o", "first.wkpb"}).exit_code, 0);
  ASSERT_EQ(policyc({"compile", "roles.yaml", "-o", "second.wkpb"}).exit_code, 0);
  EXPECT_EQ(read_file(path("first.wkpb")), read_file(path("second.wkpb")));
}

TEST_F(CliCompile, ErrorsWriteNothing) {
  write("roles.yaml", kBrokenRoles);
  ProcessResult result = policyc({"compile", "roles.yaml", "-o", "out.wkpb"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(first_line(result.err),
            "roles.yaml:3:13: error: unknown operation 'SELEKT' in role 'analyst'; did you mean 'SELECT'?");
  EXPECT_EQ(lines_of(result.err).back(), "1 error(s); nothing written");
  EXPECT_FALSE(exists("out.wkpb"));
  EXPECT_FALSE(exists("out.wkpb.tmp"));
}

TEST_F(CliCompile, ErrorsLeaveAnExistingBundleUntouched) {
  write("good.yaml", kRoles);
  ASSERT_EQ(policyc({"compile", "good.yaml", "-o", "out.wkpb"}).exit_code, 0);
  std::string before = read_file(path("out.wkpb"));
  write("broken.yaml", kBrokenRoles);
  EXPECT_EQ(policyc({"compile", "broken.yaml", "-o", "out.wkpb"}).exit_code, 1);
  EXPECT_EQ(read_file(path("out.wkpb")), before);
  EXPECT_FALSE(exists("out.wkpb.tmp"));
}

TEST_F(CliCompile, WarningsAreReportedButDoNotStopCompilation) {
  write("roles.yaml", "- name: both\n  allow: [SELECT]\n  deny: [SELECT]\n");
  ProcessResult result = policyc({"compile", "roles.yaml", "-o", "out.wkpb"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "wrote out.wkpb: 6 roles, 0 users, 1 resource classes, 0 tables, 0 policies\n");
  EXPECT_EQ(first_line(result.err),
            "roles.yaml:3:10: warning: role 'both' both allows and denies SELECT on the same resources; deny wins, "
            "so the allow has no effect");
  EXPECT_TRUE(exists("out.wkpb"));
}

TEST_F(CliCompile, UnwritableOutputIsAnError) {
  write("roles.yaml", kRoles);
  ProcessResult result = policyc({"compile", "roles.yaml", "-o", "no-such-dir/out.wkpb"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "weftkit-policyc: error: cannot open 'no-such-dir/out.wkpb.tmp' for writing\n");
}

// Reading bundles back: same decisions, and every kind of damage rejected by name.

class CliBundle : public CliFixture {
 protected:
  CliBundle() : bundle_(path("roles.wkpb")) {
    ProcessResult result = policyc_in_repo({"compile", "examples/roles.yaml", "-o", bundle_});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    bytes_ = read_file(bundle_);
  }

  // Writes `bytes` as damaged.wkpb; explain and check must both reject it with exactly
  // "damaged.wkpb: error: rejected bundle: WHY", exit 1, and nothing on stdout.
  void expect_rejected(const std::string& bytes, const std::string& why) const {
    write("damaged.wkpb", bytes);
    std::string error = "damaged.wkpb: error: rejected bundle: " + why + "\n";
    ProcessResult explain = policyc({"explain", "damaged.wkpb", "--user", "alice", "--op", "SELECT", "--table", "t"});
    EXPECT_EQ(explain.exit_code, 1);
    EXPECT_EQ(explain.out, "");
    EXPECT_EQ(explain.err, error);
    ProcessResult check = policyc({"check", "damaged.wkpb"});
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_EQ(check.out, "");
    EXPECT_EQ(check.err, error + "1 error(s), 0 warning(s)\n");
  }

  std::string payload_size_text() const { return std::to_string(bytes_.size() - kHeaderSize); }

  std::string bundle_;
  std::string bytes_;
};

std::string with_u32(std::string bytes, size_t offset, uint32_t value) {
  for (size_t index = 0; index < 4; ++index) bytes[offset + index] = static_cast<char>((value >> (8 * index)) & 0xff);
  return bytes;
}

// Recomputes the payload digest, as someone editing a bundle on purpose would.
std::string resealed(std::string bytes) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize, digest.data(), &size, EVP_sha256(), nullptr);
  bytes.replace(kDigestOffset, digest.size(), reinterpret_cast<const char*>(digest.data()), digest.size());
  return bytes;
}

TEST_F(CliBundle, ExplainOfTheBundleGivesTheSameOutputAsExplainOfTheYaml) {
  // The demo's queries, plus one with --role; each as text and as JSON.
  const std::vector<std::vector<std::string>> queries = {
      {"--user", "alice", "--op", "SELECT", "--table", "orders"},
      {"--user", "alice", "--op", "INSERT", "--table", "orders"},
      {"--user", "carol", "--op", "INSERT", "--table", "sales.invoices"},
      {"--user", "carol", "--op", "DROP", "--table", "sales.invoices"},
      {"--user", "dave", "--op", "UPDATE", "--table", "payroll"},
      {"--user", "bob", "--op", "DELETE", "--table", "audit_log"},
      {"--user", "mallory", "--op", "SELECT", "--table", "orders"},
      {"--user", "loader", "--op", "COPY FROM", "--table", "staging.events"},
      {"--user", "root", "--op", "DROP", "--table", "audit_log"},
      {"--user", "nobody", "--op", "SELECT", "--table", "orders"},
      {"--user", "dave", "--role", "migrator", "--op", "DROP", "--table", "orders"},
  };
  for (const std::vector<std::string>& query : queries) {
    for (bool as_json : {false, true}) {
      std::vector<std::string> from_yaml = {"explain", "examples/roles.yaml"};
      std::vector<std::string> from_bundle = {"explain", bundle_};
      from_yaml.insert(from_yaml.end(), query.begin(), query.end());
      from_bundle.insert(from_bundle.end(), query.begin(), query.end());
      if (as_json) {
        from_yaml.push_back("--json");
        from_bundle.push_back("--json");
      }
      ProcessResult expected = policyc_in_repo(from_yaml);
      ProcessResult actual = policyc_in_repo(from_bundle);
      SCOPED_TRACE(::testing::PrintToString(from_bundle));
      EXPECT_EQ(actual.exit_code, 0);
      EXPECT_EQ(actual.exit_code, expected.exit_code);
      EXPECT_EQ(actual.out, expected.out);
      EXPECT_EQ(actual.err, expected.err);
    }
  }
}

TEST_F(CliBundle, CheckAcceptsAnIntactBundle) {
  ProcessResult result = policyc({"check", "roles.wkpb"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ok: 12 roles (7 custom, 5 built-in), 7 users, 0 tables, 0 policies, 0 warnings\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CliBundle, FlippedPayloadByteIsRejectedAsCorrupted) {
  std::string damaged = bytes_;
  damaged[kHeaderSize + (damaged.size() - kHeaderSize) / 2] ^= 0x01;
  expect_rejected(damaged, "checksum mismatch: the file is corrupted");
}

TEST_F(CliBundle, FlippedChecksumByteIsRejectedAsCorrupted) {
  std::string damaged = bytes_;
  damaged[kDigestOffset] ^= 0x80;
  expect_rejected(damaged, "checksum mismatch: the file is corrupted");
}

TEST_F(CliBundle, TruncatedPayloadIsRejectedWithTheMissingSize) {
  std::string found = std::to_string(bytes_.size() - kHeaderSize - 10);
  expect_rejected(bytes_.substr(0, bytes_.size() - 10),
                  "truncated: the header promises " + payload_size_text() + " payload bytes, found " + found);
}

TEST_F(CliBundle, TruncatedHeaderIsRejected) {
  expect_rejected(bytes_.substr(0, kPayloadSizeOffset + 3), "truncated header");
}

TEST_F(CliBundle, TrailingBytesAreRejected) {
  expect_rejected(bytes_ + "xyz", "3 unexpected bytes after the payload");
}

TEST_F(CliBundle, OtherFormatVersionIsRejectedWithBothVersions) {
  expect_rejected(with_u32(bytes_, kVersionOffset, 1),
                  "format version 1 is not supported (this build reads version 4); recompile the policy with this "
                  "weftkit-policyc");
}

TEST_F(CliBundle, FileThatIsNotABundleIsRejectedByItsMagicNumber) {
  expect_rejected(kRoles, "not a WeftKit policy bundle (bad magic number)");
}

TEST_F(CliBundle, ResealedBundleWhoseMatrixDisagreesWithItsRolesIsRejected) {
  std::string damaged = bytes_;
  damaged[damaged.size() - 16] ^= 0x01;  // one allow bit of the last matrix cell
  expect_rejected(resealed(damaged), "inconsistent program: the permission matrix does not match the roles");
}

TEST_F(CliBundle, ExplainJsonReportsARejectedBundleOnStdout) {
  std::string damaged = bytes_;
  damaged[kHeaderSize] ^= 0x01;
  write("damaged.wkpb", damaged);
  ProcessResult result =
      policyc({"explain", "damaged.wkpb", "--json", "--user", "alice", "--op", "SELECT", "--table", "t"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(json::parse(result.out), json::parse(R"({"ok": false, "diagnostics": [
    {"file": "damaged.wkpb", "line": null, "column": null, "severity": "error",
     "message": "rejected bundle: checksum mismatch: the file is corrupted", "notes": []}]})"));
}

TEST_F(CliBundle, BundleTogetherWithOtherInputsIsAnError) {
  write("more.yaml", kRoles);
  ProcessResult result = policyc({"check", "more.yaml", "roles.wkpb"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "roles.wkpb: error: a compiled bundle is a whole program; give it alone, not with other inputs\n"
            "1 error(s), 0 warning(s)\n");
}

}  // namespace
}  // namespace weftkit::policy::testing
