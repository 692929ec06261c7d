// verify_files against an untouched log and against each kind of tampering, keyed and not.
#include <weftkit/audit/record.h>
#include <weftkit/audit/verify.h>

#include <gtest/gtest.h>

#include <cstdio>

#include "tests/audit/audit_test_files.h"

namespace weftkit::audit {
namespace {

using testing::join_lines;
using testing::read_file;
using testing::ScratchDirectory;
using testing::write_file;

const std::string kKey = "audit-test-key-0123456789";

AuditEvent numbered_event(uint64_t number) {
  char identity[16];
  std::snprintf(identity, sizeof identity, "user%03llu", static_cast<unsigned long long>(number));
  AuditEvent event;
  event.kind = EventKind::kAuthzDeny;
  event.timestamp = Clock::time_point(std::chrono::seconds(1796622060 + number));
  event.identity = identity;
  event.tenant = "tenant-001";
  event.operation = "SELECT";
  event.resource = "orders";
  event.result = "denied";
  event.source_ip = "10.0.0.7";
  return event;
}

// A record line (no newline) as the writer would write it.
std::string record_line(const AuditEvent& event, const ChainPosition& position, const std::optional<std::string>& key) {
  auto hasher = ChainHasher::create(key);
  const std::string canonical = canonical_record(event, position);
  std::string line = finish_record(canonical, hasher.value().hex_hash(canonical).value());
  line.pop_back();
  return line;
}

std::string hash_of(const std::string& line) { return line.substr(line.size() - 2 - kHashHexSize, kHashHexSize); }

// Records 1..count, chained from the genesis hash.
std::vector<std::string> make_log(uint64_t count, const std::optional<std::string>& key) {
  std::vector<std::string> lines;
  ChainPosition position;
  for (uint64_t seq = 1; seq <= count; ++seq) {
    position.seq = seq;
    lines.push_back(record_line(numbered_event(seq), position, key));
    position.prev_hash = hash_of(lines.back());
  }
  return lines;
}

class AuditVerifyTest : public ::testing::Test {
 protected:
  VerifyReport verify_lines(const std::vector<std::string>& lines, const std::optional<std::string>& key) {
    return verify_content(join_lines(lines), key);
  }
  VerifyReport verify_content(const std::string& content, const std::optional<std::string>& key) {
    write_file(path_, content);
    VerifyOptions options;
    options.hmac_key = key;
    auto report = verify_files({path_}, options);
    EXPECT_TRUE(report.is_ok()) << report.status().message();
    return report.value();
  }
  void expect_problem(const VerifyReport& report, ProblemKind kind, uint64_t line, std::optional<uint64_t> seq,
                      uint64_t verified) {
    ASSERT_TRUE(report.problem.has_value()) << describe(report);
    EXPECT_EQ(report.problem->kind, kind) << describe(report);
    EXPECT_EQ(report.problem->file, path_);
    EXPECT_EQ(report.problem->line, line) << describe(report);
    EXPECT_EQ(report.problem->seq, seq) << describe(report);
    EXPECT_EQ(report.verified, verified);
  }

  ScratchDirectory directory_;
  std::string path_ = directory_.file("audit.jsonl");
};

TEST_F(AuditVerifyTest, UntouchedLogIsVerifiedInFull) {
  for (const auto& key : {std::optional<std::string>(), std::optional<std::string>(kKey)}) {
    const VerifyReport report = verify_lines(make_log(20, key), key);
    EXPECT_TRUE(report.ok()) << describe(report);
    EXPECT_EQ(report.verified, 20u);
    EXPECT_FALSE(report.torn_last_line.has_value());
    EXPECT_EQ(describe(report), "20 records verified");
  }
}

TEST_F(AuditVerifyTest, EmptyFileVerifiesZeroRecords) {
  const VerifyReport report = verify_content("", std::nullopt);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.verified, 0u);
}

TEST_F(AuditVerifyTest, EditedFieldIsReportedAsAlteredAtThatRecord) {
  for (const auto& key : {std::optional<std::string>(), std::optional<std::string>(kKey)}) {
    auto lines = make_log(10, key);
    const std::size_t at = lines[4].find("user005");
    lines[4].replace(at, 7, "admin05");
    const VerifyReport report = verify_lines(lines, key);
    expect_problem(report, ProblemKind::kAltered, 5, 5, 4);
    EXPECT_EQ(report.problem->detail, key ? "the record's HMAC-SHA256 does not match its content"
                                          : "the record's SHA-256 does not match its content");
  }
}

TEST_F(AuditVerifyTest, DeletedLineIsReportedAsRemovedAtTheRecordAfterTheGap) {
  auto lines = make_log(10, kKey);
  lines.erase(lines.begin() + 3);  // seq 4
  const VerifyReport report = verify_lines(lines, kKey);
  expect_problem(report, ProblemKind::kRemoved, 4, 5, 3);
  EXPECT_EQ(report.problem->detail, "records 4 to 4 are missing");
}

TEST_F(AuditVerifyTest, DeletedFirstLineIsReportedAsRemoved) {
  auto lines = make_log(5, std::nullopt);
  lines.erase(lines.begin());
  expect_problem(verify_lines(lines, std::nullopt), ProblemKind::kRemoved, 1, 2, 0);
}

TEST_F(AuditVerifyTest, LogWithoutItsOlderFilesVerifiesWhenGenesisIsNotRequired) {
  auto lines = make_log(5, kKey);
  lines.erase(lines.begin(), lines.begin() + 2);
  write_file(path_, join_lines(lines));
  VerifyOptions options;
  options.hmac_key = kKey;
  options.require_genesis = false;
  const auto report = verify_files({path_}, options);
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report.value().ok()) << describe(report.value());
  EXPECT_EQ(report.value().verified, 3u);
}

TEST_F(AuditVerifyTest, ForgedLineWithoutTheKeyIsReportedAsInsertedWhereItStands) {
  auto lines = make_log(10, kKey);
  // The forger copies record 4's position and signs with plain SHA-256: no key.
  ChainPosition position{4, hash_of(lines[2])};
  AuditEvent forged = numbered_event(4);
  forged.identity = "nobody";
  lines.insert(lines.begin() + 3, record_line(forged, position, std::nullopt));
  expect_problem(verify_lines(lines, kKey), ProblemKind::kInserted, 4, 4, 3);
}

TEST_F(AuditVerifyTest, ForgedLineInAnUnkeyedChainIsReportedAtTheRecordItDisplaces) {
  auto lines = make_log(10, std::nullopt);
  // Without a key the forger computes a valid hash and link; the genuine record 4 then
  // repeats a sequence number, and that is where the chain breaks.
  ChainPosition position{4, hash_of(lines[2])};
  AuditEvent forged = numbered_event(4);
  forged.identity = "nobody";
  lines.insert(lines.begin() + 3, record_line(forged, position, std::nullopt));
  const VerifyReport report = verify_lines(lines, std::nullopt);
  expect_problem(report, ProblemKind::kInserted, 5, 4, 4);
  EXPECT_EQ(report.problem->detail, "sequence number 4 where 5 was expected (already seen or older)");
}

TEST_F(AuditVerifyTest, ReplayedCopyOfARecordIsReportedAsInserted) {
  auto lines = make_log(10, kKey);
  lines.insert(lines.begin() + 6, lines[2]);  // seq 3 again after seq 6
  expect_problem(verify_lines(lines, kKey), ProblemKind::kInserted, 7, 3, 6);
}

TEST_F(AuditVerifyTest, SwappedLinesAreReportedAtTheFirstOutOfOrderRecord) {
  auto lines = make_log(10, kKey);
  std::swap(lines[5], lines[6]);  // seq 7 now comes before seq 6
  const VerifyReport report = verify_lines(lines, kKey);
  expect_problem(report, ProblemKind::kReordered, 6, 7, 5);
  EXPECT_EQ(report.problem->detail, "sequence number 7 comes before 6");
}

TEST_F(AuditVerifyTest, LineCutInTheMiddleIsReportedAsMalformedAtThatLine) {
  auto lines = make_log(10, kKey);
  lines[4].resize(lines[4].size() / 2);
  const VerifyReport report = verify_lines(lines, kKey);
  expect_problem(report, ProblemKind::kMalformed, 5, std::nullopt, 4);
  EXPECT_EQ(report.problem->detail, "the line does not end with the record's hash");
}

TEST_F(AuditVerifyTest, HashRecomputedWithoutTheKeyIsDetectedWhenKeyed) {
  auto lines = make_log(10, kKey);
  AuditEvent edited = numbered_event(5);
  edited.result = "allowed";
  lines[4] = record_line(edited, ChainPosition{5, hash_of(lines[3])}, std::nullopt);
  expect_problem(verify_lines(lines, kKey), ProblemKind::kAltered, 5, 5, 4);
}

TEST_F(AuditVerifyTest, WithoutAKeyARecomputedHashIsCaughtOnlyByTheNextLink) {
  auto lines = make_log(10, std::nullopt);
  AuditEvent edited = numbered_event(5);
  edited.result = "allowed";
  lines[4] = record_line(edited, ChainPosition{5, hash_of(lines[3])}, std::nullopt);
  const VerifyReport report = verify_lines(lines, std::nullopt);
  expect_problem(report, ProblemKind::kAltered, 6, 6, 5);
  EXPECT_EQ(report.problem->detail, "`prev` does not match the previous record's hash");
}

TEST_F(AuditVerifyTest, WrongKeyFailsAtTheFirstRecord) {
  expect_problem(verify_lines(make_log(3, kKey), std::string("another key")), ProblemKind::kAltered, 1, 1, 0);
}

TEST_F(AuditVerifyTest, UnkeyedVerifyOfAKeyedLogFailsAtTheFirstRecord) {
  expect_problem(verify_lines(make_log(3, kKey), std::nullopt), ProblemKind::kAltered, 1, 1, 0);
}

TEST_F(AuditVerifyTest, TornLastLineIsReportedAsTornNotAsTampering) {
  const auto lines = make_log(10, kKey);
  std::string content = join_lines(lines);
  content.resize(content.size() - lines.back().size() / 2 - 1);
  const VerifyReport report = verify_content(content, kKey);
  EXPECT_TRUE(report.ok()) << describe(report);
  EXPECT_EQ(report.verified, 9u);
  EXPECT_EQ(report.torn_last_line, 10u);
  EXPECT_EQ(describe(report), "9 records verified; last line 10 torn (incomplete write)");
}

TEST_F(AuditVerifyTest, CompleteLastRecordMissingOnlyItsNewlineIsStillTorn) {
  const auto lines = make_log(4, std::nullopt);
  std::string content = join_lines(lines);
  content.pop_back();
  const VerifyReport report = verify_content(content, std::nullopt);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.verified, 3u);
  EXPECT_EQ(report.torn_last_line, 4u);
}

TEST_F(AuditVerifyTest, ProblemDescriptionNamesFileLineSeqAndKind) {
  auto lines = make_log(4, kKey);
  std::swap(lines[1], lines[2]);
  EXPECT_EQ(describe(verify_lines(lines, kKey)),
            path_ + ":2: seq 3: reordered: sequence number 3 comes before 2 (1 records verified before it)");
}

TEST(AuditVerify, RotatedFilesVerifyAsOneChainOldestFirst) {
  ScratchDirectory directory;
  const auto lines = make_log(30, kKey);
  const std::string active = directory.file("audit.jsonl");
  write_file(active + ".1", join_lines({lines.begin(), lines.begin() + 10}));
  write_file(active + ".2", join_lines({lines.begin() + 10, lines.begin() + 20}));
  write_file(active, join_lines({lines.begin() + 20, lines.end()}));
  write_file(active + ".bak", "not a log\n");
  const auto files = rotated_files(active);
  ASSERT_EQ(files, (std::vector<std::string>{active + ".1", active + ".2", active}));
  VerifyOptions options;
  options.hmac_key = kKey;
  const auto report = verify_files(files, options);
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report.value().ok()) << describe(report.value());
  EXPECT_EQ(report.value().verified, 30u);
}

TEST(AuditVerify, MissingRotatedFileIsReportedAsRemovedAtTheNextFile) {
  ScratchDirectory directory;
  const auto lines = make_log(30, kKey);
  const std::string active = directory.file("audit.jsonl");
  write_file(active + ".1", join_lines({lines.begin(), lines.begin() + 10}));
  write_file(active, join_lines({lines.begin() + 20, lines.end()}));
  VerifyOptions options;
  options.hmac_key = kKey;
  const auto report = verify_files(rotated_files(active), options);
  ASSERT_TRUE(report.is_ok());
  ASSERT_TRUE(report.value().problem.has_value());
  EXPECT_EQ(report.value().problem->kind, ProblemKind::kRemoved);
  EXPECT_EQ(report.value().problem->file, active);
  EXPECT_EQ(report.value().problem->line, 1u);
  EXPECT_EQ(report.value().problem->seq, 21u);
  EXPECT_EQ(report.value().problem->detail, "records 11 to 20 are missing");
}

TEST(AuditVerify, FragmentAtTheEndOfAnOlderFileIsMalformedNotTorn) {
  ScratchDirectory directory;
  const auto lines = make_log(4, std::nullopt);
  const std::string first = directory.file("a.jsonl.1");
  const std::string second = directory.file("a.jsonl");
  write_file(first, join_lines({lines[0], lines[1]}) + lines[2].substr(0, 30));
  write_file(second, join_lines({lines[3]}));
  const auto report = verify_files({first, second}, VerifyOptions{});
  ASSERT_TRUE(report.is_ok());
  ASSERT_TRUE(report.value().problem.has_value());
  EXPECT_EQ(report.value().problem->kind, ProblemKind::kMalformed);
  EXPECT_EQ(report.value().problem->file, first);
  EXPECT_EQ(report.value().problem->line, 3u);
}

TEST(AuditVerify, UnreadableFileIsAnErrorNotAReport) {
  const auto report = verify_files({"/nonexistent/audit.jsonl"}, VerifyOptions{});
  ASSERT_FALSE(report.is_ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(report.status().message(), "audit verify: cannot open /nonexistent/audit.jsonl: No such file or directory");
}

}  // namespace
}  // namespace weftkit::audit
