// The C API of the thin runtime alone: this binary links weftkit_runtime and nothing of the
// compiler, LLVM, ANTLR or yaml-cpp, opens an ahead-of-time module built from the examples by
// the real weftkit-policyc, and uses it through weftkit_policy.h as a C engine would.
#include <gtest/gtest.h>

#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <weftkit/weftkit_policy.h>
#include "tests/runtime/c_api_arrow_batch.h"
#include "tests/runtime/module_build.h"

namespace weftkit::c_api_testing {
namespace {

// Owning pointers for the runtime's handles (this binary has no compiler handle to free).
struct RuntimeDeleter {
  void operator()(weftkit_store* handle) const { weftkit_store_free(handle); }
  void operator()(weftkit_context* handle) const { weftkit_context_free(handle); }
  void operator()(weftkit_statement* handle) const { weftkit_statement_free(handle); }
  void operator()(weftkit_row_filter* handle) const { weftkit_row_filter_free(handle); }
  void operator()(weftkit_batch_exceptions* handle) const { weftkit_batch_exceptions_free(handle); }
  void operator()(weftkit_error* handle) const { weftkit_error_free(handle); }
  void operator()(char* text) const { weftkit_string_free(text); }
};
template <class Handle>
using Held = std::unique_ptr<Handle, RuntimeDeleter>;

std::string message_of(weftkit_error* error) {
  Held<weftkit_error> held(error);
  return error != nullptr ? error->message : "<no error>";
}

std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  pclose(pipe);
  return out;
}

const std::string kRoles = WEFTKIT_SOURCE_DIR "/examples/roles.yaml";
const std::string kPolicies = WEFTKIT_SOURCE_DIR "/examples/policies.sql";

class CApiModule : public ::testing::Test {
 protected:
  // One module per test process (ctest runs each test in its own).
  static void SetUpTestSuite() {
    directory_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                           ("weftkit-c-api-module-" + std::to_string(getpid())));
    std::filesystem::create_directories(*directory_);
    build_error_ = new std::string(testing::build_policy_module({kRoles, kPolicies}, module_path()));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(*directory_, ignored);
    delete directory_;
    delete build_error_;
  }
  static std::string module_path() { return (*directory_ / "policy.so").string(); }

  void SetUp() override {
    ASSERT_EQ(*build_error_, "");
    weftkit_store* store = nullptr;
    weftkit_error* error = nullptr;
    ASSERT_EQ(weftkit_store_open_module(module_path().c_str(), &store, &error), WEFTKIT_OK) << message_of(error);
    store_.reset(store);
  }

  Held<weftkit_context> connect(const char* user, const char* tenant) {
    weftkit_setting setting = {"app.tenant_id", tenant};
    weftkit_identity identity = {};
    identity.user = user;
    identity.tenant = tenant;
    identity.settings = &setting;
    identity.setting_count = 1;
    weftkit_context* context = nullptr;
    weftkit_error* error = nullptr;
    EXPECT_EQ(weftkit_context_build(store_.get(), &identity, &context, &error), WEFTKIT_OK) << message_of(error);
    return Held<weftkit_context>(context);
  }

  Held<weftkit_row_filter> open(weftkit_context* context, weftkit_command command) {
    weftkit_statement* statement = nullptr;
    EXPECT_EQ(weftkit_statement_begin(context, &statement, nullptr), WEFTKIT_OK);
    Held<weftkit_statement> held(statement);  // the filter outlives it
    weftkit_row_filter* filter = nullptr;
    weftkit_error* error = nullptr;
    EXPECT_EQ(weftkit_row_filter_open(statement, "orders", command, command != WEFTKIT_COMMAND_INSERT, false, &filter,
                                      &error),
              WEFTKIT_OK)
        << message_of(error);
    return Held<weftkit_row_filter>(filter);
  }

  uint64_t generation() const {
    uint64_t out = 0;
    EXPECT_EQ(weftkit_store_generation(store_.get(), &out), WEFTKIT_OK);
    return out;
  }

  static std::filesystem::path* directory_;
  static std::string* build_error_;
  Held<weftkit_store> store_;
};
std::filesystem::path* CApiModule::directory_ = nullptr;
std::string* CApiModule::build_error_ = nullptr;

// examples/policies.sql's orders (id bigint, tenant_id text, customer text, amount integer,
// status varchar(16), created date): examples/orders.jsonl's rows 1 to 4.
ArrowBatch example_orders() {
  return ArrowBatch({Column{"l", {1, 2, 3, 4}, {}},
                     Column{"u", {}, {"tenant-001", "tenant-001", "tenant-002", "tenant-002"}},
                     Column{"u", {}, {"Acme", "Globex", "Initech", "Umbrella"}},
                     Column{"i", {1200, 80, 560, 95}, {}},
                     Column{"u", {}, {"paid", "open", "paid", "refunded"}},
                     Column{"tdD", {20728, 20777, 20710, 20758}, {}}});
}

TEST_F(CApiModule, ThisBinaryLinksNoLlvmAntlrOrYaml) {
  std::string libraries = command_output("ldd " + std::filesystem::read_symlink("/proc/self/exe").string());
  EXPECT_NE(libraries.find("libc.so"), std::string::npos) << libraries;  // ldd did run
  EXPECT_EQ(libraries.find("LLVM"), std::string::npos) << libraries;
  EXPECT_EQ(libraries.find("antlr"), std::string::npos) << libraries;
  EXPECT_EQ(libraries.find("yaml"), std::string::npos) << libraries;
}

TEST_F(CApiModule, OpenedModuleServesGenerationOneAndAnswersChecks) {
  EXPECT_EQ(generation(), 1u);
  Held<weftkit_context> alice = connect("alice", "tenant-001");  // analyst
  EXPECT_TRUE(weftkit_allowed(alice.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_TRUE(weftkit_allowed(alice.get(), WEFTKIT_OP_COPY_TO, "orders"));
  EXPECT_FALSE(weftkit_allowed(alice.get(), WEFTKIT_OP_INSERT, "orders"));
  Held<weftkit_context> bob = connect("bob", "tenant-002");  // read_write, audit_guard
  EXPECT_TRUE(weftkit_allowed(bob.get(), WEFTKIT_OP_DELETE, "orders"));
  EXPECT_FALSE(weftkit_allowed(bob.get(), WEFTKIT_OP_DELETE, "audit_log"));
  weftkit_statement* statement = nullptr;
  ASSERT_EQ(weftkit_statement_begin(alice.get(), &statement, nullptr), WEFTKIT_OK);
  Held<weftkit_statement> held(statement);
  char* text = nullptr;
  ASSERT_EQ(weftkit_statement_explain_alloc(statement, WEFTKIT_OP_INSERT, "orders", &text, nullptr), WEFTKIT_OK);
  Held<char> owned(text);
  // examples/roles.yaml line 7: analyst's `    deny: [INSERT, UPDATE, DELETE]`, INSERT at column 12.
  EXPECT_EQ(std::string(text), "DENY INSERT on public.orders for alice; denied by role analyst at " + kRoles + ":7:12");
}

TEST_F(CApiModule, StoreReportsNativePlansAndNoInterpretedFilterForTheUsersOfRolesYaml) {
  uint64_t native_plans = 0;
  uint64_t interpreted = 1;
  ASSERT_EQ(weftkit_store_row_filter_counts(store_.get(), &native_plans, &interpreted), WEFTKIT_OK);
  const uint64_t precompiled = native_plans;
  EXPECT_GT(precompiled, 0u);
  EXPECT_EQ(interpreted, 0u);
  for (const char* user : {"alice", "bob", "carol", "dave", "mallory", "root"}) {
    Held<weftkit_context> context = connect(user, "tenant-001");
    for (weftkit_command command : {WEFTKIT_COMMAND_SELECT, WEFTKIT_COMMAND_UPDATE, WEFTKIT_COMMAND_DELETE}) {
      weftkit_statement* statement = nullptr;
      ASSERT_EQ(weftkit_statement_begin(context.get(), &statement, nullptr), WEFTKIT_OK);
      Held<weftkit_statement> held(statement);
      weftkit_row_filter* filter = nullptr;
      // Refused where the user may not run the command; opened (and counted) otherwise.
      if (weftkit_row_filter_open(statement, "orders", command, true, false, &filter, nullptr) == WEFTKIT_OK) {
        weftkit_row_filter_free(filter);
      }
    }
  }
  ASSERT_EQ(weftkit_store_row_filter_counts(store_.get(), &native_plans, &interpreted), WEFTKIT_OK);
  EXPECT_EQ(native_plans, precompiled);
  EXPECT_EQ(interpreted, 0u);
  EXPECT_EQ(weftkit_store_row_filter_counts(nullptr, &native_plans, &interpreted), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_store_row_filter_counts(store_.get(), nullptr, &interpreted), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_store_row_filter_counts(store_.get(), &native_plans, nullptr), WEFTKIT_INVALID_ARGUMENT);
}

TEST_F(CApiModule, BatchFilterAndRowChecksOfTheExamples) {
  // alice (analyst, tenant-001): tenant_isolation keeps rows 0 and 1, analysts_see_settled
  // (status IN ('paid', 'refunded')) only row 0.
  Held<weftkit_context> alice = connect("alice", "tenant-001");
  Held<weftkit_row_filter> select = open(alice.get(), WEFTKIT_COMMAND_SELECT);
  ArrowBatch batch = example_orders();
  uint64_t selection[1] = {~uint64_t{0}};
  weftkit_batch_exceptions* made = nullptr;
  weftkit_error* error = nullptr;
  ASSERT_EQ(weftkit_row_filter_batch(select.get(), &batch.schema(), &batch.array(), nullptr, selection, 1, &made, &error),
            WEFTKIT_OK)
      << message_of(error);
  Held<weftkit_batch_exceptions> exceptions(made);
  EXPECT_EQ(selection[0], 0b0001u);
  size_t count = 9;
  EXPECT_EQ(weftkit_batch_exceptions_count(exceptions.get(), &count), WEFTKIT_OK);
  EXPECT_EQ(count, 0u);

  // bob (tenant-002) inserting examples/new_orders.jsonl's row 6, of tenant-001: a violation.
  Held<weftkit_context> bob = connect("bob", "tenant-002");
  Held<weftkit_row_filter> insert = open(bob.get(), WEFTKIT_COMMAND_INSERT);
  weftkit_datum row[] = {weftkit_datum_int(6),        weftkit_datum_text("tenant-001", 10), weftkit_datum_text("Stark", 5),
                         weftkit_datum_int(300),      weftkit_datum_text("open", 4),        weftkit_datum_int(9829)};
  weftkit_row_result result = WEFTKIT_ROW_PASS;
  char* message = nullptr;
  ASSERT_EQ(weftkit_row_filter_check(insert.get(), row, std::size(row), nullptr, 0, &result, &message, nullptr), WEFTKIT_OK);
  Held<char> owned(message);
  EXPECT_EQ(result, WEFTKIT_ROW_VIOLATION);
  ASSERT_NE(message, nullptr);
  EXPECT_STREQ(message, "new row violates row-level security policy for table \"orders\"");
}

TEST_F(CApiModule, RowFilterReportsItsColumnCountAndRefusesARowOfAnotherLength) {
  Held<weftkit_context> bob = connect("bob", "tenant-002");
  Held<weftkit_row_filter> insert = open(bob.get(), WEFTKIT_COMMAND_INSERT);
  size_t count = 0;
  ASSERT_EQ(weftkit_row_filter_column_count(insert.get(), &count), WEFTKIT_OK);
  EXPECT_EQ(count, 6u);  // orders (id, tenant_id, customer, amount, status, created)
  // Heap rows exactly as long as stated: the AddressSanitizer run sees any read past them.
  std::vector<weftkit_datum> short_row = {weftkit_datum_int(6), weftkit_datum_text("tenant-002", 10),
                                          weftkit_datum_text("Stark", 5), weftkit_datum_int(300),
                                          weftkit_datum_text("open", 4)};
  weftkit_row_result result = WEFTKIT_ROW_ERROR;
  char* message = reinterpret_cast<char*>(0x1);
  weftkit_error* error = nullptr;
  EXPECT_EQ(weftkit_row_filter_check(insert.get(), short_row.data(), short_row.size(), nullptr, 0, &result, &message,
                                     &error),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(message_of(error), "weftkit_row_filter_check: the row has 5 datums but the filter's table has 6 columns");
  EXPECT_EQ(message, nullptr);
  EXPECT_EQ(result, WEFTKIT_ROW_ERROR);  // untouched
  short_row.push_back(weftkit_datum_int(9829));
  EXPECT_EQ(weftkit_row_filter_check(insert.get(), short_row.data(), short_row.size(), nullptr, 0, &result, nullptr,
                                     &error),
            WEFTKIT_OK)
      << message_of(error);
  EXPECT_EQ(result, WEFTKIT_ROW_PASS);
}

// A module answers checks by name from its own precomputed lookup: they must agree with the
// resource path and with statements on every spelling, and deny texts that are no names.
TEST_F(CApiModule, NamedChecksAgreeWithResourcesAndStatementsOnEverySpelling) {
  for (const char* user : {"alice", "bob", "carol", "dave", "root", "nobody"}) {
    Held<weftkit_context> context = connect(user, "tenant-001");
    weftkit_statement* begun = nullptr;
    ASSERT_EQ(weftkit_statement_begin(context.get(), &begun, nullptr), WEFTKIT_OK);
    Held<weftkit_statement> statement(begun);
    int allowed = 0;
    for (const char* table : {"orders", "public.orders", "customers", "audit_log", "sales.invoices", "staging.x",
                              "Orders", "public.Orders", "\"orders\"", "orders ", "", "a.b.c", "sales.*"}) {
      weftkit_resource* made = nullptr;
      ASSERT_EQ(weftkit_resource_create(context.get(), table, &made, nullptr), WEFTKIT_OK);
      std::unique_ptr<weftkit_resource, void (*)(weftkit_resource*)> resource(made, weftkit_resource_free);
      for (int op = WEFTKIT_OP_SELECT; op <= WEFTKIT_OP_EXECUTE; ++op) {
        auto operation = static_cast<weftkit_operation>(op);
        bool by_name = weftkit_allowed(context.get(), operation, table);
        EXPECT_EQ(weftkit_allowed_resource(context.get(), operation, resource.get()), by_name)
            << user << " op " << op << " on \"" << table << "\"";
        EXPECT_EQ(weftkit_statement_allowed(statement.get(), operation, table), by_name)
            << user << " op " << op << " on \"" << table << "\"";
        allowed += by_name;
      }
    }
    if (std::string(user) != "nobody") {
      EXPECT_GT(allowed, 0) << user;
    }
  }
  Held<weftkit_context> root = connect("root", "tenant-001");
  EXPECT_TRUE(weftkit_allowed(root.get(), WEFTKIT_OP_SELECT, "Orders"));  // a table, if not a declared one
  for (const char* malformed : {"\"orders\"", "orders ", "", "a.b.c", "sales.*"}) {
    EXPECT_FALSE(weftkit_allowed(root.get(), WEFTKIT_OP_SELECT, malformed)) << "\"" << malformed << "\"";
  }
}

TEST_F(CApiModule, OpenRejectsNullArgumentsAndMissingFiles) {
  weftkit_store* store = reinterpret_cast<weftkit_store*>(0x1);
  weftkit_error* error = nullptr;
  EXPECT_EQ(weftkit_store_open_module(nullptr, &store, &error), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(store, nullptr);
  EXPECT_EQ(message_of(error), "weftkit_store_open_module: path and out must not be NULL");
  EXPECT_EQ(weftkit_store_open_module(module_path().c_str(), nullptr, &error), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(message_of(error), "weftkit_store_open_module: path and out must not be NULL");
  std::string missing = (*directory_ / "missing.so").string();
  EXPECT_EQ(weftkit_store_open_module(missing.c_str(), &store, &error), WEFTKIT_NOT_FOUND);
  EXPECT_EQ(store, nullptr);
  EXPECT_EQ(message_of(error), "cannot read policy module " + missing + ": No such file or directory");
}

TEST_F(CApiModule, FailedModuleReloadKeepsServingTheOldVersion) {
  Held<weftkit_context> alice = connect("alice", "tenant-001");
  weftkit_error* error = nullptr;
  // A file that is not a shared library at all.
  EXPECT_EQ(weftkit_store_reload_module(store_.get(), kRoles.c_str(), &error), WEFTKIT_POLICY_ERROR);
  std::string message = message_of(error);
  const std::string prefix = "cannot load policy module " + kRoles + ": ";
  EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
  EXPECT_EQ(message, prefix + "not a policy module (not an ELF file)");
  EXPECT_EQ(generation(), 1u);
  EXPECT_TRUE(weftkit_allowed(alice.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_EQ(weftkit_store_reload_module(nullptr, module_path().c_str(), &error), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(message_of(error), "weftkit_store_reload_module: store and path must not be NULL");
  EXPECT_EQ(weftkit_store_reload_module(store_.get(), nullptr, &error), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(message_of(error), "weftkit_store_reload_module: store and path must not be NULL");
  EXPECT_EQ(generation(), 1u);
}

TEST_F(CApiModule, ReloadPublishesAModuleBuiltFromChangedPolicies) {
  // The examples plus a restrictive policy hiding orders of 1000 or more from everyone.
  std::string changed = (*directory_ / "policies_v2.sql").string();
  std::ifstream original(kPolicies);
  std::ofstream(changed) << original.rdbuf()
                         << "CREATE POLICY small_orders ON orders AS RESTRICTIVE FOR SELECT USING (amount < 1000);\n";
  std::string module_v2 = (*directory_ / "policy_v2.so").string();
  ASSERT_EQ(testing::build_policy_module({kRoles, changed}, module_v2), "");
  Held<weftkit_context> alice = connect("alice", "tenant-001");
  weftkit_error* error = nullptr;
  ASSERT_EQ(weftkit_store_reload_module(store_.get(), module_v2.c_str(), &error), WEFTKIT_OK) << message_of(error);
  EXPECT_EQ(generation(), 2u);
  // alice's only visible row (Acme, 1200) is now hidden as well.
  Held<weftkit_row_filter> select = open(alice.get(), WEFTKIT_COMMAND_SELECT);
  ArrowBatch batch = example_orders();
  uint64_t selection[1] = {~uint64_t{0}};
  weftkit_batch_exceptions* made = nullptr;
  ASSERT_EQ(weftkit_row_filter_batch(select.get(), &batch.schema(), &batch.array(), nullptr, selection, 1, &made, &error),
            WEFTKIT_OK)
      << message_of(error);
  Held<weftkit_batch_exceptions> exceptions(made);
  EXPECT_EQ(selection[0], 0u);
}

TEST_F(CApiModule, ReloadOfATruncatedModuleWaitsThenFailsWithBothLengthsAndKeepsServing) {
  std::string module = module_path();
  std::ifstream in(module, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string cut = (*directory_ / "cut.so").string();
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  weftkit_error* error = nullptr;
  EXPECT_EQ(weftkit_store_reload_module_waiting(store_.get(), cut.c_str(), 10, 50, &error), WEFTKIT_POLICY_ERROR);
  std::string message = message_of(error);
  const std::string expected = "cannot load policy module " + cut + ": truncated: " + std::to_string(bytes.size() / 2) +
                               " of " + std::to_string(bytes.size()) + " bytes (gave up after ";
  EXPECT_EQ(message.substr(0, expected.size()), expected) << message;
  EXPECT_EQ(generation(), 1u);
  weftkit_store* opened = nullptr;
  EXPECT_EQ(weftkit_store_open_module(cut.c_str(), &opened, &error), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(opened, nullptr);
  EXPECT_EQ(message_of(error), "cannot load policy module " + cut + ": truncated: " + std::to_string(bytes.size() / 2) +
                                   " of " + std::to_string(bytes.size()) + " bytes");
}

// What the watcher's callback was told, for the test to wait on.
struct WatchedReloads {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<weftkit_status, uint64_t>> outcomes;
};

void record_reload(void* user_data, weftkit_status status, uint64_t generation, const char* message) {
  auto* reloads = static_cast<WatchedReloads*>(user_data);
  std::lock_guard<std::mutex> lock(reloads->mutex);
  reloads->outcomes.emplace_back(status, generation);
  if (status != WEFTKIT_OK) ADD_FAILURE() << (message != nullptr ? message : "(no message)");
  reloads->changed.notify_all();
}

TEST_F(CApiModule, WatcherReloadsAModuleRenamedOverTheServingOne) {
  // The served module is a copy in a directory of its own, replaced as deployment tools do.
  std::filesystem::path watched = *directory_ / "watched";
  std::filesystem::create_directories(watched);
  std::filesystem::copy_file(module_path(), watched / "policy.so");
  std::string changed = (*directory_ / "policies_v3.sql").string();
  std::ifstream original(kPolicies);
  std::ofstream(changed) << original.rdbuf()
                         << "CREATE POLICY small_orders ON orders AS RESTRICTIVE FOR SELECT USING (amount < 1000);\n";
  ASSERT_EQ(testing::build_policy_module({kRoles, changed}, (watched / "policy.so.new").string()), "");
  WatchedReloads reloads;
  weftkit_module_watcher* watcher = nullptr;
  weftkit_error* error = nullptr;
  ASSERT_EQ(weftkit_store_watch_module(store_.get(), (watched / "policy.so").c_str(), 20, 5000, record_reload, &reloads,
                                       &watcher, &error),
            WEFTKIT_OK)
      << message_of(error);
  std::filesystem::rename(watched / "policy.so.new", watched / "policy.so");
  {
    std::unique_lock<std::mutex> lock(reloads.mutex);
    reloads.changed.wait_for(lock, std::chrono::seconds(20), [&] { return !reloads.outcomes.empty(); });
    ASSERT_EQ(reloads.outcomes.size(), 1u);
    EXPECT_EQ(reloads.outcomes[0].first, WEFTKIT_OK);
    EXPECT_EQ(reloads.outcomes[0].second, 2u);
  }
  weftkit_module_watcher_free(watcher);
  EXPECT_EQ(generation(), 2u);
  EXPECT_EQ(weftkit_store_watch_module(nullptr, "x", 20, 0, nullptr, nullptr, &watcher, &error), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(message_of(error), "weftkit_store_watch_module: store, path and out must not be NULL");
  weftkit_module_watcher_free(nullptr);
}

}  // namespace
}  // namespace weftkit::c_api_testing
