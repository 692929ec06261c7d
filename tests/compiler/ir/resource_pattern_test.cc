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
