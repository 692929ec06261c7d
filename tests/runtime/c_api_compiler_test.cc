// The C API's compiler and store: compiling files into a store, reloading it (a failure
// changes nothing and names file:line:col), generations, and handle lifetimes.
#include <gtest/gtest.h>

#include <iterator>
#include <string>

#include "tests/runtime/c_api_fixture.h"

namespace weftkit::c_api_testing {
namespace {

const std::string kBrokenPolicy = "CREATE POLICY broken ON orders USING (amout > 0);\n";

TEST(CApiCompiler, CreateRejectsANullOut) {
  ErrorSlot error;
  EXPECT_EQ(weftkit_compiler_create(nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.code(), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_compiler_create: out must not be NULL");
}

TEST_F(CApiTest, CompileRejectsANullCompilerOrOut) {
  std::string roles = files_.path("roles.yaml");
  const char* files[] = {roles.c_str()};
  ErrorSlot error;
  weftkit_store* store = reinterpret_cast<weftkit_store*>(0x1);
  EXPECT_EQ(weftkit_compiler_compile(nullptr, files, 1, &store, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(store, nullptr);
  EXPECT_EQ(error.message(), "weftkit_compiler_compile: compiler and out must not be NULL");
  EXPECT_EQ(weftkit_compiler_compile(compiler_.get(), files, 1, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_compiler_compile: compiler and out must not be NULL");
}

TEST_F(CApiTest, CompileRejectsNoFilesAndNullFileNames) {
  ErrorSlot error;
  weftkit_store* store = nullptr;
  EXPECT_EQ(weftkit_compiler_compile(compiler_.get(), nullptr, 2, &store, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "no files given (files is NULL or file_count is 0)");
  std::string roles = files_.path("roles.yaml");
  const char* files[] = {roles.c_str(), nullptr};
  EXPECT_EQ(weftkit_compiler_compile(compiler_.get(), files, 0, &store, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "no files given (files is NULL or file_count is 0)");
  EXPECT_EQ(weftkit_compiler_compile(compiler_.get(), files, 2, &store, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "files[1] is NULL");
  EXPECT_EQ(store, nullptr);
}

TEST_F(CApiTest, CompileFailureNamesFileLineColumnAndMakesNoStore) {
  files_.write("broken.sql", std::string(kPoliciesSql) + kBrokenPolicy);
  std::string roles = files_.path("roles.yaml");
  std::string broken = files_.path("broken.sql");
  const char* files[] = {roles.c_str(), broken.c_str()};
  ErrorSlot error;
  weftkit_store* store = nullptr;
  EXPECT_EQ(weftkit_compiler_compile(compiler_.get(), files, 2, &store, error.out()), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(store, nullptr);
  EXPECT_EQ(error.code(), WEFTKIT_POLICY_ERROR);
  // kPoliciesSql has 8 lines: the broken policy is line 9, "amout" at column 39.
  EXPECT_EQ(error.message(), broken + ":9:39: error: column \"amout\" does not exist\n"
                                      "  CREATE POLICY broken ON orders USING (amout > 0);\n"
                                      "                                        ^\n");
}

TEST_F(CApiTest, CompiledStoreServesGenerationOne) {
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(generation(), 1u);
}

TEST(CApiStore, GenerationRejectsNullArguments) {
  uint64_t generation = 7;
  EXPECT_EQ(weftkit_store_generation(nullptr, &generation), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(generation, 7u);
}

TEST_F(CApiTest, GenerationRejectsANullOut) {
  EXPECT_EQ(weftkit_store_generation(store_.get(), nullptr), WEFTKIT_INVALID_ARGUMENT);
}

TEST_F(CApiTest, FailedReloadKeepsServingTheOldVersionAndNamesFileLineColumn) {
  Owned<weftkit_context> carol = connect("carol", "tenant-001");
  ASSERT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "orders"));
  // A roles file that would take INSERT away, with a SQL file that does not compile.
  files_.write("roles_v2.yaml", std::string(kRolesYaml).replace(std::string(kRolesYaml).find("SELECT, INSERT, UPDATE"),
                                                                 22, "SELECT"));
  files_.write("broken.sql", std::string(kPoliciesSql) + kBrokenPolicy);
  ErrorSlot error;
  EXPECT_EQ(reload({"roles_v2.yaml", "broken.sql"}, error), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(error.message(), files_.path("broken.sql") + ":9:39: error: column \"amout\" does not exist\n"
                                                         "  CREATE POLICY broken ON orders USING (amout > 0);\n"
                                                         "                                        ^\n");
  EXPECT_EQ(generation(), 1u);
  EXPECT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "orders"));  // the old roles still serve
}

TEST_F(CApiTest, FailedReloadOfBadYamlNamesFileLineColumn) {
  files_.write("roles_bad.yaml", "roles:\n  - name: a\n    allow: [SELECT, INSRET]\n");
  ErrorSlot error;
  EXPECT_EQ(reload({"roles_bad.yaml", "policies.sql"}, error), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(error.message(),
            files_.path("roles_bad.yaml") +
                ":3:21: error: unknown operation 'INSRET' in role 'a'; did you mean 'INSERT'?\n"
                "      allow: [SELECT, INSRET]\n"  // the source line, indented by two
                "                      ^\n"
                "note: operations are: SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, COPY TO, "
                "COPY FROM, CREATE, ALTER, DROP, GRANT, REVOKE, CONNECT, EXECUTE, DDL, ALL\n");
  EXPECT_EQ(generation(), 1u);
}

TEST_F(CApiTest, SuccessfulReloadServesTheNewVersionAtTheNextGeneration) {
  Owned<weftkit_context> carol = connect("carol", "tenant-001");
  files_.write("roles.yaml", std::string(kRolesYaml).replace(std::string(kRolesYaml).find("SELECT, INSERT, UPDATE"), 22,
                                                             "SELECT"));
  ErrorSlot error;
  EXPECT_EQ(reload({"roles.yaml", "policies.sql"}, error), WEFTKIT_OK) << error.message();
  EXPECT_EQ(error.get(), nullptr);
  EXPECT_EQ(generation(), 2u);
  EXPECT_FALSE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "orders"));
  EXPECT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_SELECT, "orders"));
}

TEST_F(CApiTest, ReloadRejectsNullArguments) {
  std::string roles = files_.path("roles.yaml");
  const char* files[] = {roles.c_str()};
  ErrorSlot error;
  EXPECT_EQ(weftkit_compiler_reload(nullptr, store_.get(), files, 1, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_compiler_reload: compiler and store must not be NULL");
  EXPECT_EQ(weftkit_compiler_reload(compiler_.get(), nullptr, files, 1, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_compiler_reload: compiler and store must not be NULL");
  EXPECT_EQ(weftkit_compiler_reload(compiler_.get(), store_.get(), nullptr, 1, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "no files given (files is NULL or file_count is 0)");
  EXPECT_EQ(generation(), 1u);
}

TEST_F(CApiTest, ErrorOutParameterMayBeNull) {
  files_.write("broken.sql", kBrokenPolicy);
  std::string broken = files_.path("broken.sql");
  const char* files[] = {broken.c_str()};
  EXPECT_EQ(weftkit_compiler_reload(compiler_.get(), store_.get(), files, 1, nullptr), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(weftkit_compiler_reload(nullptr, nullptr, nullptr, 0, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(generation(), 1u);
}

TEST_F(CApiTest, StoreAndItsFiltersOutliveTheCompilerThatMadeThem) {
  compiler_.reset();
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  EXPECT_TRUE(weftkit_allowed(bob.get(), WEFTKIT_OP_DELETE, "orders"));
  // Opening a filter JIT-compiles its plan now, with the freed compiler's engine.
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT);
  ASSERT_NE(filter, nullptr);
  weftkit_datum row[] = {weftkit_datum_int(1), weftkit_datum_text("tenant-001", 10), weftkit_datum_int(5),
                         weftkit_datum_text("open", 4)};
  weftkit_row_result result = WEFTKIT_ROW_ERROR;
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), row, std::size(row), nullptr, 0, &result, nullptr, nullptr), WEFTKIT_OK);
  EXPECT_EQ(result, WEFTKIT_ROW_PASS);
}

TEST_F(CApiTest, ContextKeepsItsStoreAliveAfterStoreFree) {
  Owned<weftkit_context> alice = connect("alice", "tenant-001");
  store_.reset();
  EXPECT_TRUE(weftkit_allowed(alice.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_allowed(alice.get(), WEFTKIT_OP_INSERT, "orders"));
  Owned<weftkit_statement> statement = begin(alice.get());
  EXPECT_TRUE(weftkit_statement_allowed(statement.get(), WEFTKIT_OP_COPY_TO, "orders"));
}

}  // namespace
}  // namespace weftkit::c_api_testing
