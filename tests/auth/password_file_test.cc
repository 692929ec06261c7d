// Users files as htpasswd and mkpasswd write them: accepted schemes verify, refused ones name
// their line and reason, and any error refuses the whole file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/auth/tool_output.h"
#include "weftkit/auth/password_file.h"

namespace weftkit::auth {
namespace {

using ::testing::ElementsAre;
using testing::htpasswd_line;
using testing::mkpasswd_hash;
using testing::openssl_passwd;

TEST(PasswordFile, AcceptsEveryHashKindTheToolsWrite) {
  const std::string text = htpasswd_line({"-B", "-C", "10"}, "bcrypt_y", "pw-y") + "\n" +
                           "bcrypt_b:" + mkpasswd_hash("bcrypt", "pw-b") + "\n" +
                           "yes:" + mkpasswd_hash("yescrypt", "pw-yes") + "\n" +
                           htpasswd_line({"-5"}, "sha512", "pw-512") + "\n" +
                           htpasswd_line({"-2"}, "sha256", "pw-256") + "\n" +
                           "sha512m:" + mkpasswd_hash("sha-512", "pw-512m") + "\n";
  PasswordFileLoad load = PasswordFile::parse(text, "users");
  ASSERT_TRUE(load.ok()) << ::testing::PrintToString(load.errors);
  EXPECT_EQ(load.file->size(), 6u);
  EXPECT_EQ(load.file->find("bcrypt_y")->scheme, HashScheme::kBcrypt);
  EXPECT_EQ(load.file->find("bcrypt_b")->scheme, HashScheme::kBcrypt);
  EXPECT_EQ(load.file->find("yes")->scheme, HashScheme::kYescrypt);
  EXPECT_EQ(load.file->find("sha512")->scheme, HashScheme::kSha512Crypt);
  EXPECT_EQ(load.file->find("sha256")->scheme, HashScheme::kSha256Crypt);
  EXPECT_EQ(load.file->find("sha512m")->line, 6u);
  // mkpasswd's bcrypt default cost is 5.
  EXPECT_THAT(load.warnings, ElementsAre("users:2: warning: user \"bcrypt_b\": bcrypt cost 5 is below 10; make a new "
                                         "hash with htpasswd -B -C 12"));
}

TEST(PasswordFile, RefusesWeakKindsWithLineNumberAndReason) {
  const std::string text = htpasswd_line({"-s"}, "sha1", "x") + "\n" +  // {SHA}
                           htpasswd_line({"-m"}, "apache_md5", "x") + "\n" +  // $apr1$
                           "md5:" + openssl_passwd("-1", "x") + "\n" +
                           "apr1:" + openssl_passwd("-apr1", "x") + "\n" +
                           htpasswd_line({"-d"}, "des", "x") + "\n" +
                           htpasswd_line({"-p"}, "plain", "secret-password") + "\n" +
                           "nohash\n" +
                           "emptyhash:\n" +
                           "old_bcrypt:" + mkpasswd_hash("bcrypt-a", "x") + "\n";
  PasswordFileLoad load = PasswordFile::parse(text, "users.htpasswd");
  EXPECT_FALSE(load.ok());
  const std::string hint = "; make a new hash with htpasswd -B -C 12 or mkpasswd -m yescrypt";
  EXPECT_THAT(load.errors,
              ElementsAre("users.htpasswd:1: error: user \"sha1\": {SHA} (unsalted SHA-1) hashes are refused" + hint,
                          "users.htpasswd:2: error: user \"apache_md5\": $apr1$ (Apache MD5) hashes are refused" + hint,
                          "users.htpasswd:3: error: user \"md5\": $1$ (MD5-crypt) hashes are refused" + hint,
                          "users.htpasswd:4: error: user \"apr1\": $apr1$ (Apache MD5) hashes are refused" + hint,
                          "users.htpasswd:5: error: user \"des\": DES crypt hashes are refused (they keep only 8 "
                          "characters of a password)" + hint,
                          "users.htpasswd:6: error: user \"plain\": not a hash (a plaintext password?)" + hint,
                          "users.htpasswd:7: error: no hash (expected name:hash)",
                          "users.htpasswd:8: error: no hash (expected name:hash)",
                          "users.htpasswd:9: error: user \"old_bcrypt\": $2a$/$2x$ (bcrypt's old variants) hashes are "
                          "refused" + hint));
  for (const std::string& error : load.errors) EXPECT_EQ(error.find("secret-password"), std::string::npos);
}

TEST(PasswordFile, DuplicateNameRefusesTheWholeFile) {
  const std::string text = htpasswd_line({"-2"}, "alice", "one") + "\n" + htpasswd_line({"-2"}, "bob", "two") + "\n" +
                           htpasswd_line({"-2"}, "alice", "three") + "\n";
  PasswordFileLoad load = PasswordFile::parse(text, "users");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(load.file, nullptr);
  EXPECT_THAT(load.errors, ElementsAre("users:3: error: duplicate user \"alice\" (first on line 1)"));
}

TEST(PasswordFile, OneBadLineAmongGoodOnesRefusesTheWholeFile) {
  const std::string text = htpasswd_line({"-2"}, "alice", "one") + "\n" + htpasswd_line({"-m"}, "bob", "two") + "\n";
  PasswordFileLoad load = PasswordFile::parse(text, "users");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(load.errors.size(), 1u);
}

TEST(PasswordFile, LowBcryptCostIsAWarningNotAnError) {
  PasswordFileLoad load = PasswordFile::parse(htpasswd_line({"-B", "-C", "5"}, "alice", "pw") + "\n", "users");
  ASSERT_TRUE(load.ok());
  EXPECT_THAT(load.warnings, ElementsAre("users:1: warning: user \"alice\": bcrypt cost 5 is below 10; make a new hash "
                                         "with htpasswd -B -C 12"));
}

TEST(PasswordFile, MalformedHashesOfAcceptedSchemesAreRefused) {
  const std::string text =
      "short_bcrypt:$2y$10$abc\n"
      "cost3:$2y$03$KSlew.U8pbTRjMONV4pqJOPNk9E9uv3dfjFd6o6Tapm8x70noqrFO\n"
      "yes:$y$j9T$onlysalt\n"
      "sha:$6$rounds=10$salt$hash\n"
      "scram:SCRAM-SHA-256$4096:c2FsdA==$notbase64!:AAAA\n"
      "unknown:$7$whatever\n";
  PasswordFileLoad load = PasswordFile::parse(text, "u");
  EXPECT_THAT(load.errors,
              ElementsAre("u:1: error: user \"short_bcrypt\": malformed bcrypt hash (expected $2y$NN$ and 53 characters)",
                          "u:2: error: user \"cost3\": malformed bcrypt hash (its cost must be 04 to 31)",
                          "u:3: error: user \"yes\": malformed yescrypt hash (expected $y$PARAMS$SALT$HASH)",
                          "u:4: error: user \"sha\": malformed SHA-512-crypt hash (rounds must be 1000 to 999999999)",
                          "u:5: error: user \"scram\": malformed SCRAM-SHA-256 verifier (expected "
                          "SCRAM-SHA-256$ITERATIONS:SALT$STOREDKEY:SERVERKEY, base64)",
                          "u:6: error: user \"unknown\": unknown hash scheme; make a new hash with htpasswd -B -C 12 or "
                          "mkpasswd -m yescrypt"));
}

TEST(PasswordFile, NamesWithAnEmptyUserOrTenantPartAreRefused) {
  const std::string hash = htpasswd_line({"-2"}, "x", "pw").substr(2);
  PasswordFileLoad load = PasswordFile::parse("@acme:" + hash + "\nbob@:" + hash + "\n:" + hash + "\n", "u");
  EXPECT_THAT(load.errors, ElementsAre("u:1: error: login name \"@acme\" has an empty user part",
                                       "u:2: error: login name \"bob@\" has an empty tenant part",
                                       "u:3: error: empty user name"));
}

TEST(PasswordFile, CommentsBlankLinesAndCrLfAreAccepted) {
  const std::string text = "# operators' users\n\n" + htpasswd_line({"-2"}, "alice", "pw") + "\r\n";
  PasswordFileLoad load = PasswordFile::parse(text, "u");
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load.file->size(), 1u);
  EXPECT_EQ(load.file->find("alice")->line, 3u);
}

TEST(PasswordFile, ScramVerifierLineIsParsed) {
  // RFC 7677's user: password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
  PasswordFileLoad load = PasswordFile::parse(
      "user:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
      "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=\n",
      "u");
  ASSERT_TRUE(load.ok()) << ::testing::PrintToString(load.errors);
  const PasswordEntry* entry = load.file->find("user");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->scheme, HashScheme::kScramSha256);
  EXPECT_EQ(entry->scram->iterations, 4096u);
  EXPECT_EQ(entry->scram->salt.size(), 16u);
  EXPECT_EQ(load.file->mock_scram_iterations(), 4096u);
}

TEST(PasswordFile, MissingFileIsAnError) {
  PasswordFileLoad load = PasswordFile::load("/nonexistent/users.htpasswd");
  EXPECT_THAT(load.errors, ElementsAre("/nonexistent/users.htpasswd: error: cannot open the users file"));
}

TEST(PasswordFile, DummyForUnknownUsersHasTheCommonSchemeAndCost) {
  const std::string text = htpasswd_line({"-B", "-C", "11"}, "a", "1") + "\n" + htpasswd_line({"-B", "-C", "11"}, "b", "2") +
                           "\n" + htpasswd_line({"-2"}, "c", "3") + "\n";
  PasswordFileLoad load = PasswordFile::parse(text, "u");
  ASSERT_TRUE(load.ok());
  const PasswordEntry* dummy = load.file->dummy();
  ASSERT_NE(dummy, nullptr);
  EXPECT_EQ(dummy->scheme, HashScheme::kBcrypt);
  EXPECT_EQ(dummy->hash.substr(0, 7), "$2y$11$");
  EXPECT_EQ(dummy->hash.size(), 60u);
  EXPECT_NE(dummy->hash, load.file->find("a")->hash);
  EXPECT_EQ(PasswordFile::parse("", "empty").file->dummy(), nullptr);
}

}  // namespace
}  // namespace weftkit::auth
