// The JIT's permission check equals the reference evaluator on every (principal, operation,
// resource): on examples/roles.yaml and on seeded random role files. Out-of-range classes and
// operations are denied without reading past the principal's masks.
#include "codegen/llvm/jit_program.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "codegen/semantics/permission_check.h"
#include "compiler/driver/compile_files.h"

namespace weftkit::policy::llvm_backend {
namespace {

using semantics::Principal;

PolicyProgram compile_roles(const std::string& text) {
  SourceTexts sources;
  auto result = compile_sources({SourceInput{"roles.yaml", text}}, sources);
  EXPECT_TRUE(result.ok()) << render_diagnostics(result.diagnostics(), sources) << "\n" << text;
  if (!result.ok()) return PolicyProgram{};
  return std::move(result).value();
}

std::string example_roles() {
  std::ifstream in(std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

JitEngine& engine() {
  static JitEngine* instance = [] {
    Result<JitEngine> created = JitEngine::create();
    EXPECT_TRUE(created.ok()) << render_diagnostics(created.diagnostics(), SourceTexts{});
    return new JitEngine(std::move(created).value());
  }();
  return *instance;
}

JitProgram jit_compile(const PolicyProgram& program) {
  Result<JitProgram> compiled = engine().compile(program);
  EXPECT_TRUE(compiled.ok()) << render_diagnostics(compiled.diagnostics(), SourceTexts{});
  EXPECT_TRUE(compiled.diagnostics().empty()) << render_diagnostics(compiled.diagnostics(), SourceTexts{});
  return std::move(compiled).value();
}

std::vector<RoleId> held_role_ids(const Principal& principal) {
  std::vector<RoleId> ids;
  for (const semantics::HeldRole& held : principal.roles) ids.push_back(held.role);
  return ids;
}

// Names covering every kind of class the generators and the examples produce: exact tables,
// the rest of a wildcard schema, and everything else.
std::vector<ResourceName> resource_pool(const PolicyProgram& program) {
  std::vector<ResourceName> pool;
  for (const char* schema : {"public", "sales", "staging", "s0", "s1", "s2", "elsewhere"}) {
    for (const char* table : {"orders", "customers", "audit_log", "t0", "t1", "t2", "t3", "unlisted"}) {
      pool.push_back({schema, table});
    }
  }
  for (const ResourceClass& resource_class : program.resource_classes.classes) {
    if (resource_class.kind == ResourceClass::Kind::kExact) pool.push_back({resource_class.schema, resource_class.table});
  }
  return pool;
}

// Every operation on every pooled resource: the JIT answer equals is_allowed.
void expect_jit_equals_reference(const PolicyProgram& program, const JitProgram& jit, const Principal& principal) {
  std::vector<uint64_t> masks = jit.masks_for_roles(held_role_ids(principal));
  ASSERT_EQ(masks.size(), program.permissions.class_count + 1u);
  EXPECT_EQ(masks.back(), 0u) << "the trailing row that out-of-range classes read is zero";
  std::vector<OpMask> reference = semantics::effective_masks(program, principal);
  EXPECT_EQ(std::vector<uint64_t>(masks.begin(), masks.end() - 1), reference) << "user " << principal.user;
  for (const ResourceName& resource : resource_pool(program)) {
    ResourceClassId resource_class = program.resource_classes.classify(resource);
    for (int index = 0; index < kOperationCount; ++index) {
      auto op = static_cast<Operation>(index);
      bool expected = semantics::is_allowed(program, principal, op, resource);
      bool actual = jit.check(masks.data(), resource_class, static_cast<uint32_t>(index));
      ASSERT_EQ(actual, expected) << "user " << principal.user << ", " << operation_name(op) << " on "
                                  << resource.qualified() << " (class " << resource_class << ")";
    }
  }
}

TEST(JitPermissionCheck, EqualsReferenceOnExampleRolesForEveryUserAndEveryRole) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit = jit_compile(program);
  ASSERT_NE(jit.check, nullptr);
  for (const UserDefinition& user : program.users) {
    expect_jit_equals_reference(program, jit, semantics::resolve_principal(program, user.name, {}));
  }
  for (RoleId role = 0; role < program.roles.size(); ++role) {
    expect_jit_equals_reference(program, jit, semantics::resolve_principal(program, "nobody", {role}));
  }
  expect_jit_equals_reference(program, jit, semantics::resolve_principal(program, "nobody", {}));
}

// A random roles.yaml: roles with allow and deny lists, inheritance from earlier roles and the
// built-ins, scopes from a small pool of names (so that they overlap), and users.
std::string random_roles_file(std::mt19937& random, int role_count, int user_count) {
  const std::vector<std::string> operations = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                                               "TRIGGER", "\"COPY TO\"", "\"COPY FROM\"", "CREATE", "ALTER", "DROP",
                                               "GRANT", "REVOKE", "CONNECT", "EXECUTE", "DDL", "ALL"};
  const std::vector<std::string> scopes = {"\"*\"", "\"s0.*\"", "\"s1.*\"", "t0", "t1", "s0.t0", "s0.t2", "s1.t1",
                                           "s2.t3", "orders"};
  const std::vector<std::string> builtins = {"superuser", "read_write", "read_only", "schema_admin", "no_access"};
  auto pick = [&random](size_t count) { return std::uniform_int_distribution<size_t>(0, count - 1)(random); };
  auto chance = [&random](int percent) { return std::uniform_int_distribution<int>(0, 99)(random) < percent; };
  auto some = [&](const std::vector<std::string>& from, size_t most) {
    std::vector<std::string> chosen;
    size_t count = pick(most + 1);
    for (size_t index = 0; index < count; ++index) {
      const std::string& item = from[pick(from.size())];
      if (std::find(chosen.begin(), chosen.end(), item) == chosen.end()) chosen.push_back(item);
    }
    return chosen;
  };
  auto list = [](const std::vector<std::string>& items) {
    std::string text = "[";
    for (size_t index = 0; index < items.size(); ++index) text += (index ? ", " : "") + items[index];
    return text + "]";
  };

  std::string text = "roles:\n";
  for (int role = 0; role < role_count; ++role) {
    text += "  - name: r" + std::to_string(role) + "\n";
    std::vector<std::string> allow = some(operations, 4);
    std::vector<std::string> deny = chance(40) ? some(operations, 2) : std::vector<std::string>{};
    if (allow.empty() && deny.empty()) allow.push_back("SELECT");
    if (!allow.empty()) text += "    allow: " + list(allow) + "\n";
    if (!deny.empty()) text += "    deny: " + list(deny) + "\n";
    if (chance(60)) {
      std::vector<std::string> on = some(scopes, 3);
      if (on.empty()) on.push_back("t0");
      text += "    on: " + list(on) + "\n";
    }
    std::vector<std::string> parents;
    if (chance(30)) parents.push_back(builtins[pick(builtins.size())]);
    if (role > 0 && chance(50)) parents.push_back("r" + std::to_string(pick(static_cast<size_t>(role))));
    if (role > 1 && chance(25)) parents.push_back("r" + std::to_string(pick(static_cast<size_t>(role))));
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    if (!parents.empty()) text += "    inherits: " + list(parents) + "\n";
  }
  text += "users:\n";
  for (int user = 0; user < user_count; ++user) {
    std::vector<std::string> roles;
    size_t held = pick(4);
    for (size_t index = 0; index < held; ++index) {
      std::string role = chance(20) ? builtins[pick(builtins.size())] : "r" + std::to_string(pick(role_count));
      if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
    }
    text += "  - name: u" + std::to_string(user) + "\n    roles: " + list(roles) + "\n";
  }
  return text;
}

TEST(JitPermissionCheck, EqualsReferenceOnSeededRandomRoleFiles) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    std::string text = random_roles_file(random, 3 + static_cast<int>(seed % 12), 6);
    PolicyProgram program = compile_roles(text);
    ASSERT_GT(program.permissions.class_count, 0u) << text;
    JitProgram jit = jit_compile(program);
    for (const UserDefinition& user : program.users) {
      expect_jit_equals_reference(program, jit, semantics::resolve_principal(program, user.name, {}));
    }
    // Principals that also request roles on top of (or instead of) their users: entry.
    std::uniform_int_distribution<RoleId> any_role(0, static_cast<RoleId>(program.roles.size() - 1));
    for (int principal = 0; principal < 20; ++principal) {
      std::vector<RoleId> requested;
      for (int count = principal % 4; count > 0; --count) requested.push_back(any_role(random));
      std::string user = principal % 2 ? "u" + std::to_string(principal % 6) : "stranger";
      expect_jit_equals_reference(program, jit, semantics::resolve_principal(program, user, requested));
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(JitPermissionCheck, OutOfRangeClassIsDeniedEvenWhenEveryRealClassAllowsEverything) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit = jit_compile(program);
  // Every real class all ones; the trailing entry is zero, as principal_masks writes it.
  std::vector<uint64_t> masks(jit.mask_count, ~uint64_t{0});
  masks.back() = 0;
  for (uint32_t resource_class : {jit.class_count, jit.class_count + 1, jit.class_count + 1000, 0x7fffffffu,
                                  0xffffffffu}) {
    for (uint32_t op = 0; op < 64; ++op) {
      EXPECT_FALSE(jit.check(masks.data(), resource_class, op)) << "class " << resource_class << " op " << op;
    }
  }
  for (uint32_t resource_class = 0; resource_class < jit.class_count; ++resource_class) {
    EXPECT_TRUE(jit.check(masks.data(), resource_class, 0));
  }
}

TEST(JitPermissionCheck, OperationsFromSixtyFourUpAreDeniedEvenWithEveryBitSet) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit = jit_compile(program);
  std::vector<uint64_t> masks(jit.mask_count, ~uint64_t{0});
  masks.back() = 0;
  // Without the op < 64 mask, op 64 would shift by 64 & 63 = 0 and read bit 0.
  for (uint32_t op : {64u, 65u, 127u, 128u, 1000u, 0x80000000u, 0xffffffffu}) {
    EXPECT_FALSE(jit.check(masks.data(), 0, op)) << "op " << op;
  }
  EXPECT_TRUE(jit.check(masks.data(), 0, 63));
}

TEST(JitPermissionCheck, UnknownOperationsOfARealPrincipalAreDenied) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit = jit_compile(program);
  std::vector<uint64_t> masks = jit.masks_for_roles({program.find_role("superuser").value()});
  EXPECT_TRUE(jit.check(masks.data(), 0, static_cast<uint32_t>(Operation::kExecute)));
  for (uint32_t op = kOperationCount; op < 70; ++op) EXPECT_FALSE(jit.check(masks.data(), 0, op)) << "op " << op;
}

TEST(JitPermissionCheck, UnknownRoleIdsContributeNothing) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit = jit_compile(program);
  RoleId read_only = program.find_role("read_only").value();
  std::vector<uint64_t> alone = jit.masks_for_roles({read_only});
  std::vector<uint64_t> with_unknown = jit.masks_for_roles({jit.role_count, read_only, 0xffffffffu});
  EXPECT_EQ(with_unknown, alone);
  EXPECT_EQ(jit.masks_for_roles({jit.role_count + 7}), std::vector<uint64_t>(jit.mask_count, 0));
}

TEST(JitProgramLifetime, ReleaseFreesTheCodeAndNullsTheFunctions) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit = jit_compile(program);
  ASSERT_FALSE(jit.released());
  Diagnostics diagnostics;
  EXPECT_TRUE(jit.release(&diagnostics));
  EXPECT_TRUE(diagnostics.empty()) << render_diagnostics(diagnostics, SourceTexts{});
  EXPECT_TRUE(jit.released());
  EXPECT_EQ(jit.check, nullptr);
  EXPECT_EQ(jit.principal_masks, nullptr);
  EXPECT_TRUE(jit.release()) << "releasing twice is a no-op";
}

TEST(JitProgramLifetime, ManyVersionsCompileAndFreeIndependently) {
  PolicyProgram program = compile_roles(example_roles());
  RoleId superuser = program.find_role("superuser").value();
  std::vector<JitProgram> versions;
  for (int version = 0; version < 8; ++version) versions.push_back(jit_compile(program));
  // Freeing every other version leaves the rest callable: each has its own tracker and dylib.
  for (size_t index = 0; index < versions.size(); index += 2) EXPECT_TRUE(versions[index].release());
  for (size_t index = 1; index < versions.size(); index += 2) {
    std::vector<uint64_t> masks = versions[index].masks_for_roles({superuser});
    EXPECT_TRUE(versions[index].check(masks.data(), 0, 0));
  }
}

TEST(JitProgramLifetime, AProgramOutlivesTheEngineHandleItCameFrom) {
  PolicyProgram program = compile_roles(example_roles());
  JitProgram jit;
  {
    Result<JitEngine> local = JitEngine::create();
    ASSERT_TRUE(local.ok());
    Result<JitProgram> compiled = local.value().compile(program);
    ASSERT_TRUE(compiled.ok());
    jit = std::move(compiled).value();
  }
  std::vector<uint64_t> masks = jit.masks_for_roles({program.find_role("read_only").value()});
  EXPECT_TRUE(jit.check(masks.data(), 0, static_cast<uint32_t>(Operation::kSelect)));
  EXPECT_FALSE(jit.check(masks.data(), 0, static_cast<uint32_t>(Operation::kInsert)));
  EXPECT_TRUE(jit.release());
}

}  // namespace
}  // namespace weftkit::policy::llvm_backend
