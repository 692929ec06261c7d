// Operation names: case-insensitive, COPY TO as one operation, groups DDL and ALL.
#include "compiler/ir/operation.h"

#include <gtest/gtest.h>

namespace weftkit::policy {
namespace {

TEST(OperationNames, ParseIsCaseInsensitiveAndFoldsInnerWhitespace) {
  EXPECT_EQ(parse_operation("select"), Operation::kSelect);
  EXPECT_EQ(parse_operation("Copy   To"), Operation::kCopyTo);
  EXPECT_EQ(parse_operation(" copy from "), Operation::kCopyFrom);
  EXPECT_EQ(parse_operation("COPYTO"), std::nullopt);
  EXPECT_EQ(parse_operation("COPY"), std::nullopt);
}

TEST(OperationNames, GroupsExpandToTheirOperations) {
  EXPECT_EQ(parse_operation_or_group("ddl"), op_bit(Operation::kCreate) | op_bit(Operation::kAlter) | op_bit(Operation::kDrop));
  EXPECT_EQ(parse_operation_or_group("ALL"), kAllOperations);
  EXPECT_EQ(parse_operation("ALL"), std::nullopt) << "a group is not a single operation";
}

TEST(OperationNames, EveryOperationRoundTripsThroughItsName) {
  for (int index = 0; index < kOperationCount; ++index) {
    auto op = static_cast<Operation>(index);
    EXPECT_EQ(parse_operation(operation_name(op)), op) << operation_name(op);
  }
  EXPECT_EQ(kAllOperations, 0xffffu);
}

TEST(OperationNames, DescribeListsInBitOrder) {
  EXPECT_EQ(describe_ops(op_bit(Operation::kDelete) | op_bit(Operation::kSelect)), "SELECT, DELETE");
  EXPECT_EQ(describe_ops(kAllOperations), "ALL");
  EXPECT_EQ(describe_ops(0), "(none)");
}

}  // namespace
}  // namespace weftkit::policy
