// The bundle round-trips a program exactly, and any damage is rejected whole with its reason.
#include "compiler/bundle/bundle.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "compiler/driver/compile_files.h"

namespace weftkit::policy {
namespace {

PolicyProgram example_program() {
  SourceTexts sources;
  auto result = compile_files({std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml"}, sources);
  EXPECT_TRUE(result.ok()) << render_diagnostics(result.diagnostics(), sources);
  return std::move(result).value();
}

std::string rejection(std::string_view bytes) {
  auto result = read_bundle(bytes, "b.wkpb");
  EXPECT_FALSE(result.ok());
  if (result.diagnostics().all().empty()) return "(no diagnostic)";
  const Diagnostic& diagnostic = result.diagnostics().all()[0];
  return diagnostic.where.to_string() + ": " + diagnostic.message;
}

void put_u32(std::string& bytes, size_t offset, uint32_t value) {
  for (int index = 0; index < 4; ++index) bytes[offset + index] = static_cast<char>((value >> (8 * index)) & 0xff);
}

TEST(Bundle, RoundTripReproducesTheProgramExactly) {
  PolicyProgram program = example_program();
  std::string bytes = write_bundle(program);
  auto loaded = read_bundle(bytes, "b.wkpb");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics().all()[0].message;
  const PolicyProgram& copy = loaded.value();
  ASSERT_EQ(copy.roles.size(), program.roles.size());
  for (size_t index = 0; index < program.roles.size(); ++index) {
    const RoleDefinition& a = program.roles[index];
    const RoleDefinition& b = copy.roles[index];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.builtin, b.builtin);
    EXPECT_EQ(a.bypass_rls, b.bypass_rls);
    EXPECT_EQ(a.where.to_string(), b.where.to_string());
    EXPECT_EQ(a.inherits, b.inherits);
    EXPECT_EQ(a.scope, b.scope);
    ASSERT_EQ(a.rules.size(), b.rules.size());
    for (size_t rule = 0; rule < a.rules.size(); ++rule) {
      EXPECT_EQ(a.rules[rule].effect, b.rules[rule].effect);
      EXPECT_EQ(a.rules[rule].ops, b.rules[rule].ops);
      EXPECT_EQ(a.rules[rule].written, b.rules[rule].written);
      EXPECT_EQ(a.rules[rule].where.to_string(), b.rules[rule].where.to_string());
    }
  }
  ASSERT_EQ(copy.users.size(), program.users.size());
  for (size_t index = 0; index < program.users.size(); ++index) {
    EXPECT_EQ(copy.users[index].name, program.users[index].name);
    EXPECT_EQ(copy.users[index].tenant, program.users[index].tenant);
    EXPECT_EQ(copy.users[index].other_tenants, program.users[index].other_tenants);
    ASSERT_EQ(copy.users[index].roles.size(), program.users[index].roles.size());
    for (size_t role = 0; role < program.users[index].roles.size(); ++role) {
      EXPECT_EQ(copy.users[index].roles[role].role, program.users[index].roles[role].role);
      EXPECT_EQ(copy.users[index].roles[role].where.to_string(), program.users[index].roles[role].where.to_string());
    }
  }
  EXPECT_EQ(copy.resource_classes.classes, program.resource_classes.classes);
  EXPECT_EQ(copy.permissions.allow, program.permissions.allow);
  EXPECT_EQ(copy.permissions.deny, program.permissions.deny);
  EXPECT_EQ(write_bundle(copy), bytes) << "writing what was read gives the same bytes";
}

TEST(Bundle, RoundTripKeepsTablesPoliciesAndTheirExpressions) {
  SourceTexts sources;
  auto compiled = compile_files({std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml",
                                 std::string(WEFTKIT_SOURCE_DIR) + "/examples/policies.sql"},
                                sources);
  ASSERT_TRUE(compiled.ok()) << render_diagnostics(compiled.diagnostics(), sources);
  const PolicyProgram& program = compiled.value();
  std::string bytes = write_bundle(program);
  auto loaded = read_bundle(bytes, "b.wkpb");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics().all()[0].message;
  const PolicyProgram& copy = loaded.value();
  ASSERT_EQ(copy.tables.size(), 2u);
  for (size_t table = 0; table < program.tables.size(); ++table) {
    const TableDefinition& a = program.tables[table];
    const TableDefinition& b = copy.tables[table];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.rls_enabled, b.rls_enabled);
    ASSERT_EQ(a.columns.size(), b.columns.size());
    for (size_t column = 0; column < a.columns.size(); ++column) {
      EXPECT_EQ(a.columns[column].name, b.columns[column].name);
      EXPECT_EQ(a.columns[column].type, b.columns[column].type);
    }
    ASSERT_EQ(a.policies.size(), b.policies.size());
    for (size_t policy = 0; policy < a.policies.size(); ++policy) {
      const RowPolicy& p = a.policies[policy];
      const RowPolicy& q = b.policies[policy];
      EXPECT_EQ(p.name, q.name);
      EXPECT_EQ(p.permissive, q.permissive);
      EXPECT_EQ(p.command, q.command);
      EXPECT_EQ(p.using_expr.has_value(), q.using_expr.has_value());
      if (p.using_expr) {
        EXPECT_EQ(describe_expr(*p.using_expr), describe_expr(*q.using_expr));
      }
      if (p.check_expr) {
        EXPECT_EQ(describe_expr(*p.check_expr), describe_expr(*q.check_expr));
      }
    }
  }
  EXPECT_EQ(write_bundle(copy), bytes);
}

// Numeric constants travel as numeric's text, which keeps every digit, the scale and the
// special values; a long list of small constants at the end of the payload still fits.
TEST(Bundle, RoundTripKeepsNumericConstantsExactly) {
  std::string long_list;
  std::string long_list_described;
  for (int value = 0; value < 300; ++value) {
    long_list += (value == 0 ? "" : ", ") + std::to_string(value);
    long_list_described += " " + std::to_string(value) + "::integer";
  }
  SourceTexts sources;
  auto compiled = compile_sources(
      {SourceInput{"p.sql",
                   "CREATE TABLE t (i integer);\n"
                   "CREATE POLICY p ON t USING (i::numeric IN (0.000, 'NaN', 'Infinity', '-Infinity', 1e-60, "
                   "-123456789012345678901234567890123456789012345678901234567890.50) OR i IN (" +
                       long_list + "));\n"}},
      sources);
  ASSERT_TRUE(compiled.ok()) << render_diagnostics(compiled.diagnostics(), sources);
  std::string bytes = write_bundle(compiled.value());
  auto loaded = read_bundle(bytes, "b.wkpb");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics().all()[0].message;
  EXPECT_EQ(describe_expr(*loaded.value().tables[0].policies[0].using_expr),
            "(or (in (cast numeric $i) 0.000::numeric NaN::numeric Infinity::numeric -Infinity::numeric 0." +
                std::string(59, '0') + "1::numeric -123456789012345678901234567890123456789012345678901234567890.50::numeric) "
                "(in $i" + long_list_described + "))");
  EXPECT_EQ(write_bundle(loaded.value()), bytes);
}

TEST(Bundle, SameInputGivesTheSameBytes) {
  EXPECT_EQ(write_bundle(example_program()), write_bundle(example_program()));
}

TEST(Bundle, EveryFlippedPayloadByteIsCaught) {
  std::string bytes = write_bundle(example_program());
  for (size_t offset = kBundleHeaderSize; offset < bytes.size(); offset += 7) {
    std::string damaged = bytes;
    damaged[offset] = static_cast<char>(damaged[offset] ^ 0x01);
    EXPECT_EQ(rejection(damaged), "b.wkpb: rejected bundle: checksum mismatch: the file is corrupted") << offset;
  }
}

TEST(Bundle, EveryTruncationIsRejected) {
  std::string bytes = write_bundle(example_program());
  for (size_t size = 0; size < bytes.size(); size += 5) {
    auto result = read_bundle(std::string_view(bytes).substr(0, size), "b.wkpb");
    EXPECT_FALSE(result.ok()) << "size " << size;
  }
  EXPECT_EQ(rejection(bytes.substr(0, bytes.size() - 1)),
            "b.wkpb: rejected bundle: truncated: the header promises " + std::to_string(bytes.size() - kBundleHeaderSize) +
                " payload bytes, found " + std::to_string(bytes.size() - kBundleHeaderSize - 1));
  EXPECT_EQ(rejection(bytes.substr(0, 20)), "b.wkpb: rejected bundle: truncated header");
}

TEST(Bundle, TrailingBytesAreRejected) {
  EXPECT_EQ(rejection(write_bundle(example_program()) + "xy"),
            "b.wkpb: rejected bundle: 2 unexpected bytes after the payload");
}

TEST(Bundle, WrongMagicIsNotABundle) {
  std::string bytes = write_bundle(example_program());
  bytes[0] = 'X';
  EXPECT_EQ(rejection(bytes), "b.wkpb: rejected bundle: not a WeftKit policy bundle (bad magic number)");
  EXPECT_EQ(rejection("- name: a\n"), "b.wkpb: rejected bundle: not a WeftKit policy bundle (bad magic number)");
}

TEST(Bundle, OtherFormatVersionIsRejectedWithAdvice) {
  std::string bytes = write_bundle(example_program());
  put_u32(bytes, 8, 2);
  EXPECT_EQ(rejection(bytes), "b.wkpb: rejected bundle: format version 2 is not supported (this build reads version 4); "
                              "recompile the policy with this weftkit-policyc");
}

TEST(Bundle, UnknownFlagsAreRejected) {
  std::string bytes = write_bundle(example_program());
  put_u32(bytes, 12, 4);
  EXPECT_EQ(rejection(bytes), "b.wkpb: rejected bundle: unknown flags 4");
}

// A payload that passes the checksum (as if written by a buggy or hostile writer) is still
// validated: ids in range and the matrix equal to what the roles imply.
TEST(Bundle, InconsistentPayloadIsRejectedEvenWithAValidChecksum) {
  PolicyProgram program = example_program();
  program.permissions.allow[0] = 0;  // superuser loses a permission the roles say it has
  EXPECT_EQ(rejection(write_bundle(program)),
            "b.wkpb: rejected bundle: inconsistent program: the permission matrix does not match the roles");

  program = example_program();
  program.users[0].roles[0].role = 999;
  EXPECT_EQ(rejection(write_bundle(program)),
            "b.wkpb: rejected bundle: inconsistent program: user 'alice' holds a role id out of range");

  program = example_program();
  program.roles.back().inherits.push_back(1000);
  EXPECT_EQ(rejection(write_bundle(program)), "b.wkpb: rejected bundle: inconsistent program: role '" +
                                                  program.roles.back().name + "' inherits a role id out of range");

  program = example_program();
  program.roles[5].rules[0].ops = OpMask{1} << 40;
  EXPECT_EQ(rejection(write_bundle(program)), "b.wkpb: rejected bundle: inconsistent program: role '" +
                                                  program.roles[5].name + "' has an unknown operation bit");
}

TEST(Bundle, CompileFilesAcceptsABundleAloneOnly) {
  std::string path = ::testing::TempDir() + "/bundle_test.wkpb";
  std::ofstream(path, std::ios::binary) << write_bundle(example_program());
  SourceTexts sources;
  auto alone = compile_files({path}, sources);
  EXPECT_TRUE(alone.ok());
  auto mixed = compile_files({path, std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml"}, sources);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.diagnostics().all()[0].message,
            "a compiled bundle is a whole program; give it alone, not with other inputs");
}

}  // namespace
}  // namespace weftkit::policy
