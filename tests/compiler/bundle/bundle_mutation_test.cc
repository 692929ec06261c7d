// Seeded mutation testing of read_bundle: whatever bytes it is given, it never crashes, hangs or
// throws, and it either rejects the bundle with exactly one "rejected bundle: " error or returns a
// program that writes back to exactly the bytes it read (the damage was semantically neutral).
//
// Random damage alone mostly stops at the checksum, so most cases damage the payload and then
// re-seal it (new payload size, new SHA-256) to reach the structural decoder and the
// consistency checks, as a buggy or hostile writer would. One sample carries tables, row
// policies and their expression trees (format 2), the largest part of the decoder.
//
// Set WEFTKIT_MUTATION_TRACE=1 to print each case before it runs (to find a crashing one).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/bundle/bundle.h"
#include "compiler/driver/compile_files.h"
#include "tests/compiler/mutation_support.h"
#include "compiler/ir/expr_validation.h"

namespace weftkit::policy {
namespace {

// The header fields, from the layout documented in bundle.h.
constexpr size_t kPayloadSizeOffset = 8 + 4 + 4;
constexpr size_t kDigestOffset = kPayloadSizeOffset + 8;

using namespace weftkit::policy::mutation;  // Rng, AddressSpaceLimit, kSlowCase, tracing, read_text_file

void put_le(std::string& bytes, size_t offset, uint64_t value, int width) {
  for (int index = 0; index < width; ++index) {
    bytes[offset + index] = static_cast<char>((value >> (8 * index)) & 0xff);
  }
}

uint64_t get_le(std::string_view bytes, size_t offset, int width) {
  uint64_t value = 0;
  for (int index = 0; index < width; ++index) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[offset + index])) << (8 * index);
  }
  return value;
}

// Writes a header for `payload` with `payload_size` as its promised size and a correct SHA-256,
// computed here with OpenSSL directly so that the test does not trust the code under test.
std::string seal(std::string_view header, std::string_view payload, uint64_t payload_size) {
  std::array<unsigned char, 32> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(payload.data(), payload.size(), digest.data(), &digest_size, EVP_sha256(), nullptr) != 1 ||
      digest_size != digest.size()) {
    ADD_FAILURE() << "EVP_Digest failed";
  }
  std::string bytes(header.substr(0, kBundleHeaderSize));
  put_le(bytes, kPayloadSizeOffset, payload_size, 8);
  bytes.replace(kDigestOffset, digest.size(), reinterpret_cast<const char*>(digest.data()), digest.size());
  bytes.append(payload);
  return bytes;
}

// The inputs the bundles are compiled from: the shipped example and small ones that between
// them use every field of the payload (users with and without tenants, bypass_rls, every
// pattern kind, inheritance, deny rules, an empty role list, tables with every column type,
// forced row-level security, permissive and restrictive policies for each command, and
// expressions of most kinds).
struct Sample {
  std::string name;
  std::string bytes;
};

constexpr const char* kPolicyRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "  - name: support\n"
    "    allow: [SELECT, UPDATE, INSERT]\n"
    "    on: [orders]\n"
    "users:\n"
    "  - name: ann\n"
    "    roles: [analyst]\n"
    "    tenant: t-1\n";

constexpr const char* kPolicies =
    "CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text NOT NULL, amount integer, qty smallint,\n"
    "  status varchar(16), created date, updated timestamp, urgent boolean, score double precision,\n"
    "  ratio real, ref uuid);\n"
    "CREATE TABLE audit_log (id bigint, actor text NOT NULL, at timestamptz);\n"
    "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n"
    "ALTER TABLE orders FORCE ROW LEVEL SECURITY;\n"
    "ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY tenant_isolation ON orders\n"
    "  USING (tenant_id = current_setting('app.tenant_id') AND (amount > 10 OR NOT urgent));\n"
    "CREATE POLICY analysts_see_settled ON orders AS RESTRICTIVE FOR SELECT TO analyst\n"
    "  USING (status IN ('paid', 'refunded') AND created >= DATE '2024-01-01' AND score IS NOT NULL);\n"
    "CREATE POLICY support_edits_open ON orders FOR UPDATE TO support, analyst\n"
    "  USING (status = 'open' OR lower(status) LIKE 'o%')\n"
    "  WITH CHECK (coalesce(score, 0) < 1e3 AND qty * 2 + 1 <= abs(amount) AND id IS NOT NULL);\n"
    "CREATE POLICY support_deletes_nothing ON orders AS RESTRICTIVE FOR DELETE TO support USING (false);\n"
    "CREATE POLICY audit_append ON audit_log FOR INSERT TO PUBLIC\n"
    "  WITH CHECK (actor = current_user AND CASE WHEN at IS NULL THEN false ELSE true END);\n"
    "CREATE POLICY audit_read ON audit_log FOR ALL TO CURRENT_USER\n"
    "  USING (nullif(actor, '') IS NOT NULL AND length(actor || 'x') > 1);\n";

std::vector<Sample> sample_bundles() {
  const std::vector<std::pair<std::string, std::vector<SourceInput>>> inputs = {
      {"examples/roles.yaml",
       {{"roles.yaml", read_text_file(std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml")}}},
      {"builtins_only.yaml", {{"builtins_only.yaml", "roles: []\n"}}},
      {"one_role.yaml", {{"one_role.yaml", "- name: reader\n  allow: [SELECT]\n"}}},
      {"every_field.yaml",
       {{"every_field.yaml",
         "roles:\n"
         "  - name: reader\n"
         "    allow: [SELECT, \"COPY TO\"]\n"
         "    on: [orders, \"sales.*\", public.customers]\n"
         "  - name: writer\n"
         "    inherits: [reader, read_only]\n"
         "    allow: [INSERT, UPDATE, DDL]\n"
         "    deny: [DELETE, TRUNCATE]\n"
         "    on: [\"*\"]\n"
         "    bypass_rls: true\n"
         "  - name: auditor\n"
         "    deny: [ALL]\n"
         "    on: [\"audit.*\"]\n"
         "users:\n"
         "  - name: ann\n"
         "    roles: [writer, auditor]\n"
         "    tenant: t-1\n"
         "    tenants: [t-2, t-3]\n"
         "  - name: ben\n"
         "    roles: [reader]\n"}}},
      {"roles.yaml + policies.sql", {{"roles.yaml", kPolicyRoles}, {"policies.sql", kPolicies}}},
  };
  std::vector<Sample> samples;
  for (const auto& [name, sources_of_sample] : inputs) {
    SourceTexts sources;
    auto result = compile_sources(sources_of_sample, sources);
    EXPECT_TRUE(result.ok()) << name << ": " << render_diagnostics(result.diagnostics(), sources);
    if (result.ok()) samples.push_back({name, write_bundle(result.value())});
  }
  return samples;
}

constexpr size_t kSampleCount = 5;
constexpr size_t kOneRole = 2;
constexpr size_t kEveryField = 3;
constexpr size_t kWithPolicies = 4;

// Applies one random mutation to `bytes` and says what it did. `donor` is another bundle's
// bytes, spliced in so that well-formed pieces land in the wrong place.
std::string mutate(std::string& bytes, Rng& rng, std::string_view donor) {
  static constexpr uint32_t kInteresting32[] = {0,          1,          2,          3,          0x7f,
                                                0x80,       0xff,       0x100,      0xffff,     0x10000,
                                                0x10000000, 0x40000000, 0x7fffffff, 0x80000000, 0xfffffffe,
                                                0xffffffff};
  static constexpr uint8_t kInteresting8[] = {0, 1, 2, 0x7f, 0x80, 0xfe, 0xff};
  const size_t size = bytes.size();
  std::ostringstream what;
  uint64_t kind = size == 0 ? 7 : rng.below(12);
  switch (kind) {
    case 0: {
      size_t offset = rng.below(size);
      int bit = static_cast<int>(rng.below(8));
      bytes[offset] = static_cast<char>(bytes[offset] ^ (1 << bit));
      what << "flip bit " << bit << " of byte " << offset;
      break;
    }
    case 1: {
      size_t offset = rng.below(size);
      uint8_t value = rng.byte();
      bytes[offset] = static_cast<char>(value);
      what << "set byte " << offset << " to " << int{value};
      break;
    }
    case 2: {
      size_t offset = rng.below(size);
      uint8_t value = kInteresting8[rng.below(std::size(kInteresting8))];
      bytes[offset] = static_cast<char>(value);
      what << "set byte " << offset << " to " << int{value};
      break;
    }
    case 3: {
      if (size < 4) return mutate(bytes, rng, donor);
      size_t offset = rng.below(size - 3);
      uint32_t value = kInteresting32[rng.below(std::size(kInteresting32))];
      put_le(bytes, offset, value, 4);
      what << "write u32 " << value << " at " << offset;
      break;
    }
    case 4: {
      // Counts and lengths off by a little: the classic boundary mistakes.
      if (size < 4) return mutate(bytes, rng, donor);
      size_t offset = rng.below(size - 3);
      int64_t delta = static_cast<int64_t>(rng.below(9)) - 4;
      put_le(bytes, offset, get_le(bytes, offset, 4) + static_cast<uint64_t>(delta), 4);
      what << "add " << delta << " to the u32 at " << offset;
      break;
    }
    case 5: {
      if (size < 8) return mutate(bytes, rng, donor);
      size_t offset = rng.below(size - 7);
      uint64_t value = rng.percent(50) ? ~uint64_t{0} : uint64_t{1} << rng.below(64);
      put_le(bytes, offset, value, 8);
      what << "write u64 " << value << " at " << offset;
      break;
    }
    case 6: {
      size_t new_size = rng.below(size);
      bytes.resize(new_size);
      what << "truncate to " << new_size;
      break;
    }
    case 7: {
      size_t offset = rng.below(size + 1);
      size_t count = 1 + rng.below(16);
      std::string inserted;
      for (size_t index = 0; index < count; ++index) inserted.push_back(static_cast<char>(rng.byte()));
      bytes.insert(offset, inserted);
      what << "insert " << count << " random bytes at " << offset;
      break;
    }
    case 8: {
      size_t offset = rng.below(size);
      size_t count = 1 + rng.below(std::min<size_t>(32, size - offset));
      bytes.erase(offset, count);
      what << "erase " << count << " bytes at " << offset;
      break;
    }
    case 9: {
      size_t from = rng.below(size);
      size_t count = 1 + rng.below(std::min<size_t>(64, size - from));
      size_t to = rng.below(size + 1);
      bytes.insert(to, bytes.substr(from, count));
      what << "duplicate " << count << " bytes from " << from << " at " << to;
      break;
    }
    case 10: {
      size_t from = rng.below(size);
      size_t count = 1 + rng.below(std::min<size_t>(64, size - from));
      size_t to = rng.below(size - count + 1);
      std::string moved = bytes.substr(from, count);
      bytes.erase(from, count);
      bytes.insert(std::min(to, bytes.size()), moved);
      what << "move " << count << " bytes from " << from << " to " << to;
      break;
    }
    default: {
      if (donor.empty()) return mutate(bytes, rng, donor);
      size_t cut = rng.below(size + 1);
      size_t donor_cut = rng.below(donor.size() + 1);
      bytes.resize(cut);
      bytes.append(donor.substr(donor_cut));
      what << "splice the donor's bytes from " << donor_cut << " at " << cut;
      break;
    }
  }
  return what.str();
}

// The flag bytes of the roles and users part of a payload (builtin, bypass_rls, has_tenant),
// found by walking the layout that write_payload in bundle.cc produces.
struct FlagByte {
  size_t offset = 0;           // in the payload
  bool is_has_tenant = false;  // then a tenant string follows
  uint32_t tenant_size = 0;
};

std::vector<FlagByte> flag_bytes(std::string_view payload) {
  std::vector<FlagByte> flags;
  size_t at = 0;
  auto u32 = [&] {
    uint64_t value = at + 4 <= payload.size() ? get_le(payload, at, 4) : 0;
    at += 4;
    return static_cast<uint32_t>(value);
  };
  auto string = [&] {
    uint32_t size = u32();
    at += size;
    return size;
  };
  auto location = [&] {
    string();
    at += 8;
  };
  uint32_t roles = u32();
  for (uint32_t role = 0; role < roles && at < payload.size(); ++role) {
    string();
    flags.push_back({at++});
    flags.push_back({at++});
    location();
    at += 4 * static_cast<size_t>(u32());
    for (uint32_t pattern = u32(); pattern > 0 && at < payload.size(); --pattern) {
      at += 1;
      string();
      string();
    }
    for (uint32_t rule = u32(); rule > 0 && at < payload.size(); --rule) {
      at += 1 + 8;
      string();
      location();
    }
  }
  uint32_t users = u32();
  for (uint32_t user = 0; user < users && at < payload.size(); ++user) {
    string();
    for (uint32_t grant = u32(); grant > 0 && at < payload.size(); --grant) {
      at += 4;
      location();
    }
    FlagByte has_tenant{at++, true};
    has_tenant.tenant_size = string();
    flags.push_back(has_tenant);
    for (uint32_t other = u32(); other > 0 && at < payload.size(); --other) string();  // other tenants
    location();
  }
  flags.erase(std::remove_if(flags.begin(), flags.end(), [&](const FlagByte& flag) { return flag.offset >= payload.size(); }),
              flags.end());
  return flags;
}

// What became of the mutated bundles, by the first words of the rejection.
class Tally {
 public:
  void count(const std::string& outcome) { ++outcomes_[outcome]; }
  size_t of(const std::string& outcome) const {
    auto found = outcomes_.find(outcome);
    return found == outcomes_.end() ? 0 : found->second;
  }
  size_t total() const {
    size_t sum = 0;
    for (const auto& [outcome, count] : outcomes_) sum += count;
    return sum;
  }
  std::string summary() const {
    std::ostringstream out;
    for (const auto& [outcome, count] : outcomes_) out << "  " << count << "  " << outcome << "\n";
    return out.str();
  }

 private:
  std::map<std::string, size_t> outcomes_;
};

std::string outcome_of(const std::string& message) {
  static const std::vector<std::string> kKinds = {
      "rejected bundle: not a WeftKit policy bundle", "rejected bundle: truncated header",
      "rejected bundle: format version",              "rejected bundle: unknown flags",
      "rejected bundle: truncated:",                  "rejected bundle: checksum mismatch",
      "rejected bundle: malformed payload",           "rejected bundle: inconsistent program"};
  for (const std::string& kind : kKinds) {
    if (message.rfind(kind, 0) == 0) return kind;
  }
  if (message.find("unexpected bytes after the payload") != std::string::npos) return "rejected bundle: trailing bytes";
  return "rejected bundle: (other) " + message;
}

// Reads one mutated bundle and checks the contract; `trace` says how it was made. Without
// re-sealing, the only bytes that may load are the original's (`unsealed_original`).
void expect_rejected_or_neutral(const std::string& mutated, const std::string& trace, Tally& tally,
                                const std::string* unsealed_original = nullptr) {
  static int failures = 0;
  constexpr int kMaxReportedFailures = 20;
  auto fail = [&](const std::string& why) {
    if (++failures <= kMaxReportedFailures) ADD_FAILURE() << why << "\n  case: " << trace;
    tally.count("FAILED: " + why.substr(0, why.find(':')));
  };
  if (tracing()) std::cerr << "[bundle mutation] " << trace << std::endl;
  const auto start = std::chrono::steady_clock::now();
  std::optional<Result<PolicyProgram>> result;
  try {
    result.emplace(read_bundle(mutated, "m.wkpb"));
  } catch (const std::exception& error) {
    fail(std::string("read_bundle threw: ") + error.what());
    return;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (elapsed > kSlowCase) {
    fail("slow: took " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()) +
         " ms");
  }
  if (result->ok()) {
    if (!result->diagnostics().empty()) fail("accepted with diagnostics: " + result->diagnostics().all()[0].message);
    if (unsealed_original != nullptr && mutated != *unsealed_original) {
      fail("accepted: damaged bytes that were not re-sealed");
    } else if (write_bundle(result->value()) == mutated) {
      tally.count("accepted: writes back the same bytes");
    } else {
      fail("accepted: but writes back different bytes");
    }
    return;
  }
  const auto& all = result->diagnostics().all();
  if (all.size() != 1) {
    fail("rejected: with " + std::to_string(all.size()) + " diagnostics instead of one");
    return;
  }
  const Diagnostic& diagnostic = all[0];
  if (diagnostic.severity != Severity::kError) fail("rejected: the diagnostic is not an error");
  if (diagnostic.where.to_string() != "m.wkpb") fail("rejected: at " + diagnostic.where.to_string() + ", not the file");
  if (diagnostic.message.rfind("rejected bundle: ", 0) != 0) {
    fail("rejected: message does not start with 'rejected bundle: ': " + diagnostic.message);
  }
  tally.count(outcome_of(diagnostic.message));
}

std::string describe(const Sample& sample, const char* mode, int iteration, const std::vector<std::string>& steps) {
  std::string trace = sample.name + " " + mode + " #" + std::to_string(iteration) + ":";
  for (const std::string& step : steps) trace += " " + step + ";";
  return trace;
}

constexpr uint64_t kSeed = 0x5eed'b0d1'e5ull;

// Damage anywhere, header included, without re-sealing: caught by the header checks and the
// checksum, except for the rare change that undoes itself.
TEST(BundleMutation, DamagedBundlesAreRejectedWholeOrAreUnchanged) {
  AddressSpaceLimit limit(kAddressSpaceLimit);
  const std::vector<Sample> samples = sample_bundles();
  ASSERT_EQ(samples.size(), kSampleCount);
  constexpr int kCasesPerSample = 1500;
  Rng rng(kSeed);
  Tally tally;
  for (size_t index = 0; index < samples.size(); ++index) {
    const Sample& sample = samples[index];
    const std::string& donor = samples[(index + 1) % samples.size()].bytes;
    for (int iteration = 0; iteration < kCasesPerSample; ++iteration) {
      std::string mutated = sample.bytes;
      std::vector<std::string> steps;
      for (uint64_t count = 1 + rng.below(3); count > 0; --count) steps.push_back(mutate(mutated, rng, donor));
      expect_rejected_or_neutral(mutated, describe(sample, "raw", iteration, steps), tally, &sample.bytes);
    }
  }
  std::cout << "raw mutations of " << samples.size() << " bundles: " << tally.total() << " cases\n" << tally.summary();
  EXPECT_EQ(tally.total(), samples.size() * kCasesPerSample);
  EXPECT_GT(tally.of("rejected bundle: checksum mismatch"), 0u);
  EXPECT_GT(tally.of("rejected bundle: truncated:"), 0u);
  EXPECT_GT(tally.of("rejected bundle: not a WeftKit policy bundle"), 0u);
}

// Damage to the payload followed by a correct new header: only the structural decoder and
// the consistency checks stand between these bytes and a loaded program.
TEST(BundleMutation, ResealedPayloadDamageIsRejectedByTheDecoderOrIsNeutral) {
  AddressSpaceLimit limit(kAddressSpaceLimit);
  const std::vector<Sample> samples = sample_bundles();
  ASSERT_EQ(samples.size(), kSampleCount);
  constexpr int kCasesPerSample = 5000;
  Rng rng(kSeed + 1);
  Tally tally;
  for (size_t index = 0; index < samples.size(); ++index) {
    const Sample& sample = samples[index];
    const std::string_view header = std::string_view(sample.bytes).substr(0, kBundleHeaderSize);
    const std::string_view donor = std::string_view(samples[(index + 1) % samples.size()].bytes).substr(kBundleHeaderSize);
    for (int iteration = 0; iteration < kCasesPerSample; ++iteration) {
      std::string payload = sample.bytes.substr(kBundleHeaderSize);
      std::vector<std::string> steps;
      for (uint64_t count = 1 + rng.below(3); count > 0; --count) steps.push_back(mutate(payload, rng, donor));
      // Now and then the header keeps the old size, so that the size check is exercised too.
      uint64_t promised = payload.size();
      if (rng.percent(5)) {
        promised = get_le(sample.bytes, kPayloadSizeOffset, 8);
        steps.push_back("keep the old payload size");
      }
      expect_rejected_or_neutral(seal(header, payload, promised), describe(sample, "resealed", iteration, steps),
                                 tally);
    }
  }
  std::cout << "re-sealed payload mutations of " << samples.size() << " bundles: " << tally.total() << " cases\n"
            << tally.summary();
  EXPECT_EQ(tally.total(), samples.size() * kCasesPerSample);
  // The point of re-sealing: the checksum catches none of these, the decoder and the
  // consistency checks catch most, and some damage (a location, a name) is simply data.
  EXPECT_EQ(tally.of("rejected bundle: checksum mismatch"), 0u);
  EXPECT_GT(tally.of("rejected bundle: malformed payload"), 0u);
  EXPECT_GT(tally.of("rejected bundle: inconsistent program"), 0u);
  EXPECT_GT(tally.of("accepted: writes back the same bytes"), 0u);
}

// Every single-byte change of every payload position of two bundles, re-sealed: no position
// is left to chance, in the roles part or in the tables and expressions part.
void check_every_byte(const Sample& sample, std::initializer_list<uint8_t> values) {
  const std::string_view header = std::string_view(sample.bytes).substr(0, kBundleHeaderSize);
  const std::string original = sample.bytes.substr(kBundleHeaderSize);
  Tally tally;
  for (size_t offset = 0; offset < original.size(); ++offset) {
    for (uint8_t value : values) {
      if (static_cast<uint8_t>(original[offset]) == value) continue;
      std::string payload = original;
      payload[offset] = static_cast<char>(value);
      expect_rejected_or_neutral(seal(header, payload, payload.size()),
                                 sample.name + " set payload byte " + std::to_string(offset) + " to " +
                                     std::to_string(value),
                                 tally);
    }
  }
  std::cout << "single-byte payload changes of " << sample.name << ": " << tally.total() << " cases\n"
            << tally.summary();
  EXPECT_GE(tally.total(), (values.size() - 1) * original.size());
}

TEST(BundleMutation, EveryResealedByteOfASmallBundleIsCheckedWithEveryInterestingValue) {
  AddressSpaceLimit limit(kAddressSpaceLimit);
  const std::vector<Sample> samples = sample_bundles();
  ASSERT_EQ(samples.size(), kSampleCount);
  check_every_byte(samples[kOneRole], {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff});
}

TEST(BundleMutation, EveryResealedByteOfTablesAndPoliciesIsChecked) {
  AddressSpaceLimit limit(kAddressSpaceLimit);
  const std::vector<Sample> samples = sample_bundles();
  ASSERT_EQ(samples.size(), kSampleCount);
  check_every_byte(samples[kWithPolicies], {0x00, 0x02, 0xff});
}

size_t height(const Expr& expr) {
  size_t below = 0;
  for (const Expr& arg : expr.args) below = std::max(below, height(arg));
  return below + 1;
}

// A program whose first USING condition is wrapped in NOTs until its tree is `levels` high.
std::string bundle_with_condition_height(const PolicyProgram& program, size_t levels) {
  PolicyProgram copy = program;
  Expr& root = *copy.tables.at(0).policies.at(0).using_expr;
  for (size_t current = height(root); current < levels; ++current) {
    Expr negation;
    negation.kind = ExprKind::kNot;
    negation.type = root.type;
    negation.where = root.where;
    negation.args.push_back(std::move(root));
    root = std::move(negation);
  }
  return write_bundle(copy);
}

// Everything that walks an expression tree from a bundle (the decoder, the validation, the
// evaluators) recurses once per level, so the decoder bounds the depth before recursing.
TEST(BundleMutation, ExpressionTreesDeeperThanTheLimitAreRejectedAndThoseWithinItLoad) {
  const std::vector<Sample> samples = sample_bundles();
  ASSERT_EQ(samples.size(), kSampleCount);
  const PolicyProgram program = read_bundle(samples[kWithPolicies].bytes, "b.wkpb").value();
  ASSERT_TRUE(program.tables.at(0).policies.at(0).using_expr.has_value());

  const std::string within = bundle_with_condition_height(program, kMaxExprDepth);
  auto loaded = read_bundle(within, "b.wkpb");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics().all()[0].message;
  EXPECT_EQ(height(*loaded.value().tables.at(0).policies.at(0).using_expr), size_t{kMaxExprDepth});
  EXPECT_EQ(write_bundle(loaded.value()), within);

  auto rejected = read_bundle(bundle_with_condition_height(program, kMaxExprDepth + 2), "b.wkpb");
  ASSERT_FALSE(rejected.ok());
  ASSERT_EQ(rejected.diagnostics().all().size(), 1u);
  EXPECT_EQ(rejected.diagnostics().all()[0].message.rfind(
                "rejected bundle: malformed payload: expression nested deeper than " + std::to_string(kMaxExprDepth),
                0),
            0u)
      << rejected.diagnostics().all()[0].message;
}

// Regressions for what the mutation tests above found (fixed in 2c77258).

// role_count * class_count * 16 is compared with the bytes that follow in 64-bit arithmetic;
// 2^30 * 2^30 * 16 wraps to 0, so the check passes and the decoder asks for a vector of 2^60
// masks: std::length_error escapes read_bundle (the CLI dies with an "internal error", an
// embedding engine's hot reload gets an exception across the API).
TEST(BundleMutation, MatrixDimensionsWhoseProductOverflowsAreRejected) {
  const std::vector<Sample> samples = sample_bundles();
  const std::string& bundle = samples[kOneRole].bytes;
  const PolicyProgram program = read_bundle(bundle, "b.wkpb").value();
  ASSERT_TRUE(program.tables.empty());
  // The payload ends with the matrix (two u32 dimensions, then the cells) and a table count of 0.
  const std::string original = bundle.substr(kBundleHeaderSize);
  const size_t matrix_bytes = 8 + 16 * program.permissions.allow.size();
  ASSERT_EQ(get_le(original, original.size() - 4, 4), 0u);
  std::string payload = original.substr(0, original.size() - 4 - matrix_bytes);
  payload.append("\x00\x00\x00\x40\x00\x00\x00\x40", 8);  // role_count = class_count = 2^30, no cells
  payload.append("\x00\x00\x00\x00", 4);                  // no tables
  std::optional<Result<PolicyProgram>> result;
  ASSERT_NO_THROW(result.emplace(read_bundle(seal(bundle, payload, payload.size()), "b.wkpb")));
  ASSERT_FALSE(result->ok());
  ASSERT_EQ(result->diagnostics().all().size(), 1u);
  EXPECT_EQ(result->diagnostics().all()[0].message.rfind("rejected bundle: malformed payload: ", 0), 0u)
      << result->diagnostics().all()[0].message;
}

// Bytes read as "not zero" (the flags of roles, users, tables, columns and policies, the
// presence of an optional expression, a value's null flag) or as a few bits (an expression's
// flags) load whatever their value and write back normalised; a tenant string after a "no
// tenant" flag is read and dropped. Different checksum-valid files thus load as the same
// program: the bundle is not the one canonical form of what it holds, and bytes the reader
// ignores can ride along in a file that verifies.
TEST(BundleMutation, NonCanonicalBytesAreRejected) {
  const std::vector<Sample> samples = sample_bundles();
  for (size_t index : {kEveryField, kWithPolicies}) {
    const std::string& bundle = samples[index].bytes;
    const std::string original = bundle.substr(kBundleHeaderSize);
    std::vector<size_t> loaded_differently;
    for (size_t offset = 0; offset < original.size(); ++offset) {
      const uint8_t byte = static_cast<uint8_t>(original[offset]);
      if (byte > 0x0f) continue;
      std::string payload = original;
      payload[offset] = static_cast<char>(byte == 1 ? 2 : byte | 0x10);
      const std::string mutated = seal(bundle, payload, payload.size());
      auto result = read_bundle(mutated, "b.wkpb");
      if (result.ok() && write_bundle(result.value()) != mutated) loaded_differently.push_back(offset);
    }
    EXPECT_TRUE(loaded_differently.empty())
        << samples[index].name << ": " << loaded_differently.size()
        << " payload bytes load with another value and write back normalised, the first at offset "
        << loaded_differently[0];
  }
  // every_field.yaml: the last user, ben, has no tenant.
  const std::string& bundle = samples[kEveryField].bytes;
  const std::string original = bundle.substr(kBundleHeaderSize);
  const std::vector<FlagByte> flags = flag_bytes(original);
  ASSERT_FALSE(flags.empty());
  const FlagByte& no_tenant = flags.back();
  ASSERT_TRUE(no_tenant.is_has_tenant);
  ASSERT_EQ(original[no_tenant.offset], 0);
  ASSERT_EQ(no_tenant.tenant_size, 0u);
  std::string payload = original;
  payload.replace(no_tenant.offset + 1, 4, std::string("\x06\x00\x00\x00hidden", 10));
  auto result = read_bundle(seal(bundle, payload, payload.size()), "b.wkpb");
  ASSERT_FALSE(result.ok()) << "a tenant string after has_tenant = 0 is accepted and dropped";
  EXPECT_EQ(result.diagnostics().all()[0].message.rfind("rejected bundle: malformed payload: ", 0), 0u)
      << result.diagnostics().all()[0].message;
}

}  // namespace
}  // namespace weftkit::policy
