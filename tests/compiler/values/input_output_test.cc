// Casts that the case files cannot express: an assignment cast to varchar(n), as storing a
// value into a column does (tests/cases/value_input.cases holds what each type's input and
// output functions accept and print, and the explicit casts).
#include <gtest/gtest.h>

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

TEST(ValueCasts, AssignmentToVarcharDropsOnlyTrailingSpacesAndRaisesOtherwise) {
  EXPECT_EQ(cast_value(Value::text_of("ab   "), SqlType{TypeId::kText, 3}, CastMode::kAssignment).text, "ab ");
  try {
    cast_value(Value::text_of("abcd"), SqlType{TypeId::kText, 3}, CastMode::kAssignment);
    FAIL() << "expected an error";
  } catch (const SqlError& error) {
    EXPECT_STREQ(error.what(), "value too long for type character varying(3)");
  }
}

}  // namespace
}  // namespace weftkit::policy
