// The C API's statements: one policy version from begin to free, checks inside it, and
// explanations into a caller's buffer (snprintf's contract) or an allocated string.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tests/runtime/c_api_fixture.h"

namespace weftkit::c_api_testing {
namespace {

TEST_F(CApiTest, StatementBeginRejectsNullArguments) {
  Owned<weftkit_context> bob = connect("bob");
  ErrorSlot error;
  weftkit_statement* statement = reinterpret_cast<weftkit_statement*>(0x1);
  EXPECT_EQ(weftkit_statement_begin(nullptr, &statement, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(statement, nullptr);
  EXPECT_EQ(error.message(), "weftkit_statement_begin: context and out must not be NULL");
  EXPECT_EQ(weftkit_statement_begin(bob.get(), nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_statement_begin: context and out must not be NULL");
}

TEST_F(CApiTest, StatementKeepsTheVersionItBeganWithAcrossAReload) {
  Owned<weftkit_context> carol = connect("carol", "tenant-001");
  Owned<weftkit_statement> before = begin(carol.get());
  std::string roles = kRolesYaml;
  files_.write("roles.yaml", roles.replace(roles.find("SELECT, INSERT, UPDATE"), 22, "SELECT"));
  ErrorSlot error;
  ASSERT_EQ(reload({"roles.yaml", "policies.sql"}, error), WEFTKIT_OK) << error.message();
  EXPECT_TRUE(weftkit_statement_allowed(before.get(), WEFTKIT_OP_INSERT, "orders"));
  // Its row filters come from the same version: INSERT is still permitted in it.
  weftkit_row_filter* filter = nullptr;
  EXPECT_EQ(weftkit_row_filter_open(before.get(), "orders", WEFTKIT_COMMAND_INSERT, false, false, &filter, error.out()),
            WEFTKIT_OK)
      << error.message();
  weftkit_row_filter_free(filter);
  Owned<weftkit_statement> after = begin(carol.get());
  EXPECT_FALSE(weftkit_statement_allowed(after.get(), WEFTKIT_OP_INSERT, "orders"));
  EXPECT_TRUE(weftkit_statement_allowed(after.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "orders"));
}

TEST_F(CApiTest, StatementAllowedDeniesNullArgumentsAndOperationsOutOfRange) {
  Owned<weftkit_context> root = connect("root");
  Owned<weftkit_statement> statement = begin(root.get());
  EXPECT_FALSE(weftkit_statement_allowed(nullptr, WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_statement_allowed(statement.get(), WEFTKIT_OP_SELECT, nullptr));
  EXPECT_FALSE(weftkit_statement_allowed(statement.get(), static_cast<weftkit_operation>(16), "orders"));
  EXPECT_TRUE(weftkit_statement_allowed(statement.get(), WEFTKIT_OP_SELECT, "orders"));
}

class CApiExplainTest : public CApiTest {
 protected:
  void SetUp() override {
    alice_ = connect("alice", "tenant-001");
    statement_ = begin(alice_.get());
  }
  // roles.yaml line 4 is analyst's `    deny: [INSERT, UPDATE, DELETE]`: INSERT at column 12.
  std::string deny_insert() const {
    return "DENY INSERT on public.orders for alice; denied by role analyst at " + files_.path("roles.yaml") + ":4:12";
  }
  Owned<weftkit_context> alice_;
  Owned<weftkit_statement> statement_;
};

TEST_F(CApiExplainTest, IntoABufferThatFits) {
  char buffer[512];
  size_t length = 0;
  ErrorSlot error;
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, "orders", buffer, sizeof buffer, &length,
                                      error.out()),
            WEFTKIT_OK);
  EXPECT_EQ(error.get(), nullptr);
  EXPECT_EQ(std::string(buffer), deny_insert());
  EXPECT_EQ(length, deny_insert().size());
  // roles.yaml line 3 is `    allow: [SELECT, "COPY TO"]`: SELECT at column 13.
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_SELECT, "orders", buffer, sizeof buffer, nullptr,
                                      nullptr),
            WEFTKIT_OK);
  EXPECT_EQ(std::string(buffer),
            "ALLOW SELECT on public.orders for alice; allowed by role analyst at " + files_.path("roles.yaml") + ":3:13");
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_DROP, "orders", buffer, sizeof buffer, nullptr,
                                      nullptr),
            WEFTKIT_OK);
  EXPECT_EQ(std::string(buffer), "DENY DROP on public.orders for alice: no held role allows it (denied by default)");
}

TEST_F(CApiExplainTest, TruncatesLikeSnprintfAndReportsTheFullLength) {
  const std::string full = deny_insert();
  char buffer[10];
  std::memset(buffer, 'x', sizeof buffer);
  size_t length = 0;
  ErrorSlot error;
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, "orders", buffer, sizeof buffer, &length,
                                      error.out()),
            WEFTKIT_BUFFER_TOO_SMALL);
  EXPECT_EQ(std::string(buffer), "DENY INSE");
  EXPECT_EQ(length, full.size());
  EXPECT_EQ(error.code(), WEFTKIT_BUFFER_TOO_SMALL);
  EXPECT_EQ(error.message(),
            "the explanation needs " + std::to_string(full.size() + 1) + " bytes with its NUL; the buffer has 10");

  // Exactly the text without room for its NUL is still too small; one more byte fits.
  std::string exact(full.size(), 'x');
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, "orders", exact.data(), exact.size(),
                                      nullptr, nullptr),
            WEFTKIT_BUFFER_TOO_SMALL);
  EXPECT_EQ(std::string(exact.c_str()), full.substr(0, full.size() - 1));
  std::string roomy(full.size() + 1, 'x');
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, "orders", roomy.data(), roomy.size(),
                                      nullptr, nullptr),
            WEFTKIT_OK);
  EXPECT_EQ(std::string(roomy.c_str()), full);
}

TEST_F(CApiExplainTest, NullBufferOfSizeZeroAsksForTheLength) {
  size_t length = 0;
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, "orders", nullptr, 0, &length, nullptr),
            WEFTKIT_BUFFER_TOO_SMALL);
  EXPECT_EQ(length, deny_insert().size());
}

TEST_F(CApiExplainTest, RejectsNullArgumentsAndOperationsOutOfRange) {
  char buffer[64];
  ErrorSlot error;
  const std::string message =
      "weftkit_statement_explain: statement and table must not be NULL, nor buffer when buffer_size > 0";
  EXPECT_EQ(weftkit_statement_explain(nullptr, WEFTKIT_OP_INSERT, "orders", buffer, sizeof buffer, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, nullptr, buffer, sizeof buffer, nullptr,
                                      error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), WEFTKIT_OP_INSERT, "orders", nullptr, 8, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_statement_explain(statement_.get(), static_cast<weftkit_operation>(16), "orders", buffer,
                                      sizeof buffer, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "operation 16 is not a weftkit_operation");
}

TEST_F(CApiExplainTest, AllocatedStringHoldsTheWholeText) {
  char* text = reinterpret_cast<char*>(0x1);
  ErrorSlot error;
  EXPECT_EQ(weftkit_statement_explain_alloc(statement_.get(), WEFTKIT_OP_INSERT, "orders", &text, error.out()),
            WEFTKIT_OK);
  Owned<char> owned(text);
  EXPECT_EQ(std::string(text), deny_insert());
}

TEST_F(CApiExplainTest, AllocatedStringRejectsNullArgumentsAndOperationsOutOfRange) {
  char* text = reinterpret_cast<char*>(0x1);
  ErrorSlot error;
  const std::string message = "weftkit_statement_explain_alloc: statement, table and out must not be NULL";
  EXPECT_EQ(weftkit_statement_explain_alloc(nullptr, WEFTKIT_OP_INSERT, "orders", &text, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(text, nullptr);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_statement_explain_alloc(statement_.get(), WEFTKIT_OP_INSERT, nullptr, &text, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_statement_explain_alloc(statement_.get(), WEFTKIT_OP_INSERT, "orders", nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_statement_explain_alloc(statement_.get(), static_cast<weftkit_operation>(-3), "orders", &text,
                                            error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "operation -3 is not a weftkit_operation");
  EXPECT_EQ(text, nullptr);
}

}  // namespace
}  // namespace weftkit::c_api_testing
