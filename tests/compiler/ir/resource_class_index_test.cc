// The precomputed lookup by name text must answer exactly what parsing the name and
// classifying it answers, for every kind of text: spelled in the program or not, qualified or
// bare, another case, quoted, malformed.
#include "compiler/ir/resource_class_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weftkit::policy {
namespace {

ResourcePattern pattern(std::string_view text) { return parse_resource_pattern(text).pattern.value(); }

// Roles scoped to exact names in two schemas and to two whole schemas; tables declared with
// and without an exact pattern of their own.
PolicyProgram sample_program() {
  PolicyProgram program;
  RoleDefinition role;
  role.name = "r";
  role.scope = {pattern("orders"), pattern("sales.special"), pattern("sales.*"), pattern("hr.*"),
                pattern("public.customers")};
  program.roles.push_back(role);
  build_permission_matrix(program);
  for (const char* declared : {"orders", "audit_log", "sales.ledger", "hr.salaries", "archive.old"}) {
    TableDefinition table;
    table.name = parse_resource_name(declared).name.value();
    program.tables.push_back(table);
  }
  return program;
}

// What the index stands in for.
ResourceClassId parse_and_classify(const PolicyProgram& program, std::string_view text) {
  ParsedResourceName name = parse_resource_name(text);
  return name.name ? program.resource_classes.classify(*name.name) : program.permissions.class_count;
}

const std::vector<std::string> kNames = {
    // spelled in the program: exact classes and declared tables, bare and qualified
    "orders", "public.orders", "customers", "public.customers", "sales.special", "audit_log", "public.audit_log",
    "sales.ledger", "hr.salaries", "archive.old",
    // not spelled: the rest of a schema, or everything else
    "sales.other", "hr.other", "other", "public.other", "archive.new", "reporting.orders", "special",
    // other cases and spellings of spelled names: other names, as PostgreSQL stores identifiers
    "Orders", "PUBLIC.orders", "public.Orders", "Sales.special", "sales.Special", "SALES.other",
    // quoted, padded, malformed
    "\"orders\"", "public.\"orders\"", "\"public\".\"orders\"", " orders", "orders ", "ord ers", "orders\t",
    "orders\n", std::string("ord\0ers", 7), "", ".", "public.", ".orders", "a.b.c", "sales.special.x", "*", "sales.*",
    "*.orders", "ord*ers", "sales..x",
    // bytes past ASCII (UTF-8 text, a lone Latin-1 no-break space, DEL)
    "caf\xc3\xa9", "sales.caf\xc3\xa9", "orders\xa0", "orders\x7f"};

TEST(ResourceClassIndex, AnswersWhatParsingAndClassifyingAnswersForEveryKindOfName) {
  PolicyProgram program = sample_program();
  ResourceClassIndex index(program);
  for (const std::string& name : kNames) {
    EXPECT_EQ(index.classify(name), parse_and_classify(program, name)) << "name \"" << name << "\"";
  }
}

TEST(ResourceClassIndex, BareAndQualifiedSpellingsShareAClassAndOtherCasesDoNot) {
  PolicyProgram program = sample_program();
  ResourceClassIndex index(program);
  const ResourceClassTable& classes = program.resource_classes;
  ResourceClassId orders = classes.classify({"public", "orders"});
  ASSERT_EQ(classes.classes[orders].kind, ResourceClass::Kind::kExact);
  EXPECT_EQ(index.classify("orders"), orders);
  EXPECT_EQ(index.classify("public.orders"), orders);
  ResourceClassId everything_else = static_cast<ResourceClassId>(classes.classes.size() - 1);
  EXPECT_EQ(index.classify("Orders"), everything_else);
  EXPECT_EQ(index.classify("audit_log"), everything_else);  // declared, but no role names it
  ResourceClassId rest_of_sales = classes.classify({"sales", "anything"});
  ASSERT_EQ(classes.classes[rest_of_sales].kind, ResourceClass::Kind::kRestOfSchema);
  EXPECT_EQ(index.classify("sales.ledger"), rest_of_sales);
  EXPECT_EQ(index.classify("sales.other"), rest_of_sales);
  EXPECT_NE(index.classify("sales.special"), rest_of_sales);
}

TEST(ResourceClassIndex, TextThatIsNotANameGetsTheAlwaysDeniedEntryPastTheClasses) {
  PolicyProgram program = sample_program();
  ResourceClassIndex index(program);
  for (const char* malformed : {"", "\"orders\"", "orders ", "a.b.c", "*", "sales.*", "public."}) {
    EXPECT_EQ(index.classify(malformed), program.permissions.class_count) << "name \"" << malformed << "\"";
  }
}

}  // namespace
}  // namespace weftkit::policy
