// docs/audit.md's "Attaching the audit log to the policy store", with a real writer: the denial
// is one authz_deny record in the file, and detaching leaves later checks unrecorded.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <weftkit/audit/writer.h>
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

TEST(RuntimeAuditDocs, DocsExampleAttachesTheWriterAndRecordsADenial) {
  testing::PolicyFiles files("roles:\n  - name: clerk\n    allow: [SELECT]\n    on: [orders]\n"
                             "users:\n  - name: alice\n    roles: [clerk]\n",
                             "CREATE TABLE orders (id integer);\n");
  auto compiler = PolicyCompiler::create();
  ASSERT_TRUE(compiler.is_ok());
  auto version = compiler.value().compile(files.paths());
  ASSERT_TRUE(version.is_ok()) << version.status().message();
  PolicyStore store(std::move(version).value());
  const std::string output = files.roles_path() + ".audit.jsonl";

  audit::WriterOptions options;
  options.output = output;
  auto writer = audit::AuditWriter::open(options);
  ASSERT_TRUE(writer.is_ok()) << writer.status().message();
  std::shared_ptr<audit::AuditWriter> log = std::move(writer).value();
  store.set_audit_sink(log);
  Identity identity;
  identity.user = "alice";
  identity.tenant = "tenant-001";
  identity.source_address = "10.0.0.7";
  auto alice = SecurityContext::build(store, identity).value();
  EXPECT_FALSE(alice.allowed(Operation::kDelete, "orders"));
  store.set_audit_sink(nullptr);
  EXPECT_FALSE(alice.allowed(Operation::kUpdate, "orders"));  // detached: not recorded
  log->stop();

  std::ifstream in(output);
  std::stringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  ASSERT_EQ(std::count(content.begin(), content.end(), '\n'), 1) << content;
  for (const std::string& member :
       {std::string("\"seq\":1,"), "\"event\":\"authz_deny\",\"identity\":\"alice\",\"tenant\":\"tenant-001\",\"operation\":\"DELETE\","
                      "\"resource\":\"orders\",\"result\":\"denied\",\"source_ip\":\"10.0.0.7\",\"auth_method\":\"password\","
                      "\"reason\":\"no role allows\",\"policy_generation\":1,"
                      "\"session_id\":\"" + alice.identity().session_id + "\",\"prev\":"}) {
    EXPECT_NE(content.find(member), std::string::npos) << member << "\n" << content;
  }
  std::remove(output.c_str());
}

}  // namespace
}  // namespace weftkit
