// Resource names default to schema public; patterns are "*", "schema.*", "table", "schema.table".
#include "compiler/ir/resource_pattern.h"

#include <gtest/gtest.h>

#include "compiler/ir/policy_program.h"

namespace weftkit::policy {
namespace {

ResourceName name(std::string_view text) { return parse_resource_name(text).name.value(); }
ResourcePattern pattern(std::string_view text) { return parse_resource_pattern(text).pattern.value(); }

TEST(ResourceNames, UnqualifiedNamesLiveInSchemaPublic) {
  EXPECT_EQ(name("orders"), (ResourceName{"public", "orders"}));
  EXPECT_EQ(name("sales.orders"), (ResourceName{"sales", "orders"}));
  EXPECT_FALSE(parse_resource_name("a.b.c").name);
  EXPECT_FALSE(parse_resource_name("").name);
  EXPECT_FALSE(parse_resource_name("sales.*").name);
}

// split_resource_name is parse_resource_name without allocating: the same verdict on every
// text, and the same parts.
TEST(ResourceNames, SplitAcceptsExactlyWhatParseAcceptsWithTheSameParts) {
  for (std::string_view text : {"orders", "sales.orders", "", ".", "..", "a.", ".b", "a..b", "a.b.c", "*", "a.*", "*.b",
                                "a b", "a\tb", "a\x7f", "\"a\"", "a*b", "caf\xc3\xa9", "sales.caf\xc3\xa9", "a\xa0",
                                "a_long_schema_name.a_long_table_name", "x.y z", "~!#$%&'()+,-/:;<=>?@[\\]^`{|}"}) {
    ParsedResourceName parsed = parse_resource_name(text);
    std::optional<ResourceNameParts> split = split_resource_name(text);
    ASSERT_EQ(split.has_value(), parsed.name.has_value()) << "text \"" << text << "\": " << parsed.error;
    if (!split) continue;
    EXPECT_EQ(split->schema, parsed.name->schema) << text;
    EXPECT_EQ(split->table, parsed.name->table) << text;
  }
}

TEST(ResourceNames, MalformedNamesSayWhatIsWrong) {
  EXPECT_EQ(parse_resource_name("a.b.c").error, "has more than two dot-separated parts (expected table or schema.table)");
  EXPECT_EQ(parse_resource_name("sales.*").error, "is a pattern, not a resource name");
  EXPECT_EQ(parse_resource_name("sales.").error, "has an empty name part");
  EXPECT_EQ(parse_resource_name("or ders").error, "contains white space or a control character");
  EXPECT_EQ(parse_resource_name("orders\x7f").error, "contains white space or a control character");
  EXPECT_EQ(parse_resource_name("\"orders\"").error,
            "contains a double quote; write the name as stored, without SQL quoting");
  EXPECT_EQ(parse_resource_name("ord*").error, "uses '*' inside a name; only a whole part may be '*' (\"*\" or \"schema.*\")");
  EXPECT_TRUE(parse_resource_name("caf\xc3\xa9").name);  // UTF-8 names are names
}

TEST(ResourcePatterns, WildcardMatchesEverything) {
  EXPECT_TRUE(pattern("*").matches(name("orders")));
  EXPECT_TRUE(pattern("*").matches(name("sales.x")));
}

TEST(ResourcePatterns, SchemaWildcardMatchesOnlyThatSchema) {
  EXPECT_TRUE(pattern("sales.*").matches(name("sales.orders")));
  EXPECT_FALSE(pattern("sales.*").matches(name("orders")));
  EXPECT_FALSE(pattern("sales.*").matches(name("salesx.orders")));
}

TEST(ResourcePatterns, ExactNameMatchesOneResourceCaseSensitively) {
  EXPECT_TRUE(pattern("orders").matches(name("public.orders")));
  EXPECT_FALSE(pattern("orders").matches(name("sales.orders")));
  EXPECT_FALSE(pattern("orders").matches(name("Orders")));
  EXPECT_FALSE(pattern("orders").matches(name("orders_archive")));
  EXPECT_EQ(pattern("orders").text(), "public.orders");
}

// For every pattern of the program, a resource's class is covered exactly when the pattern
// matches the resource: that is what makes masks per class correct.
TEST(ResourceClasses, ClassificationAgreesWithPatternMatching) {
  PolicyProgram program;
  RoleDefinition role;
  role.name = "r";
  role.scope = {pattern("orders"), pattern("sales.*"), pattern("sales.special"), pattern("hr.salaries"),
                pattern("hr.*"), pattern("x.y")};
  program.roles.push_back(role);
  build_permission_matrix(program);
  const auto& table = program.resource_classes;
  ASSERT_EQ(table.classes.size(), 7u);  // 4 exact + rest of sales + rest of hr + everything else
  std::vector<std::string> resources = {"orders", "public.other", "sales.special", "sales.x", "hr.salaries",
                                        "hr.other", "sales.orders", "x.y"};
  std::vector<std::string> patterns = {"*", "orders", "sales.*", "sales.special", "hr.*", "hr.salaries", "x.y"};
  for (const std::string& resource : resources) {
    const ResourceClass& resource_class = table.classes[table.classify(name(resource))];
    for (const std::string& text : patterns) {
      EXPECT_EQ(ResourceClassTable::pattern_covers(pattern(text), resource_class), pattern(text).matches(name(resource)))
          << "pattern " << text << " resource " << resource << " class " << resource_class.describe();
    }
  }
}

}  // namespace
}  // namespace weftkit::policy
