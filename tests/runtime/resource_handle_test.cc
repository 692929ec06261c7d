// The fast check through a ResourceHandle must never answer from a version that no longer
// serves — even when a later version happens to be allocated at the address of a freed one,
// which is why handles and contexts name versions by the store's generation.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <weftkit/policy_runtime.h>

namespace weftkit {
namespace {

// A version whose one table ("t", resource class `table_class`) allows exactly `allowed`.
class FixedVersion final : public PolicyVersion {
 public:
  FixedVersion(uint32_t table_class, Operation allowed) : table_class_(table_class), allowed_(allowed) {}
  std::string describe() const override { return "fixed"; }
  StatusOr<ResolvedPrincipal> resolve(const Identity&) const override {
    ResolvedPrincipal principal;
    principal.masks = {0, 0, 0};  // two classes and the trailing always-denied entry
    principal.masks[table_class_] = uint64_t{1} << static_cast<unsigned>(allowed_);
    return principal;
  }
  uint32_t resource_class(std::string_view table) const override { return table == "t" ? table_class_ : 2; }
  StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal&, const Identity&,
                                                                 std::string_view, const StatementShape&) const override {
    return Status(StatusCode::kNotFound, "no tables");
  }
  std::string explain(const ResolvedPrincipal&, const Identity&, Operation, std::string_view) const override {
    return "";
  }

 private:
  uint32_t table_class_;
  Operation allowed_;
};

TEST(ResourceHandle, AnswersFromTheServingVersionEvenWhenItReusesAFreedVersionsAddress) {
  auto first = std::make_shared<FixedVersion>(0, Operation::kSelect);
  const void* first_address = first.get();
  PolicyStore store(first);
  Identity identity;
  identity.user = "alice";
  StatusOr<SecurityContext> built = SecurityContext::build(store, identity);
  ASSERT_TRUE(built.is_ok());
  SecurityContext& context = built.value();
  ResourceHandle handle = context.resource("t");
  ASSERT_TRUE(context.allowed(Operation::kSelect, handle));

  store.publish(std::make_shared<FixedVersion>(1, Operation::kInsert));
  ASSERT_TRUE(context.allowed(Operation::kInsert, "t"));  // the context moves on and lets the first go
  first.reset();  // freed: its memory may be handed to the next version of the same size

  auto third = std::make_shared<FixedVersion>(1, Operation::kDelete);
  bool same_address = third.get() == first_address;
  store.publish(third);
  // A handle naming the first version by address would now read class 0 of the third version
  // (nothing allowed there) or, worse, answer from stale data; by generation it is re-resolved.
  EXPECT_TRUE(context.allowed(Operation::kDelete, handle));
  EXPECT_FALSE(context.allowed(Operation::kSelect, handle));
  EXPECT_FALSE(context.allowed(Operation::kInsert, handle));
  std::cout << "[ note ] the third version " << (same_address ? "reused" : "did not reuse")
            << " the first one's address\n";
}

TEST(ResourceHandle, HandleOfAContextThatNoLongerResolvesDenies) {
  class Unresolvable final : public PolicyVersion {
   public:
    std::string describe() const override { return "unresolvable"; }
    StatusOr<ResolvedPrincipal> resolve(const Identity&) const override {
      return Status(StatusCode::kNotFound, "role \"gone\" is not defined");
    }
    uint32_t resource_class(std::string_view) const override { return 0; }
    StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal&, const Identity&,
                                                                   std::string_view, const StatementShape&) const override {
      return Status(StatusCode::kNotFound, "no tables");
    }
    std::string explain(const ResolvedPrincipal&, const Identity&, Operation, std::string_view) const override {
      return "";
    }
  };
  PolicyStore store(std::make_shared<FixedVersion>(0, Operation::kSelect));
  Identity identity;
  identity.user = "alice";
  StatusOr<SecurityContext> built = SecurityContext::build(store, identity);
  ASSERT_TRUE(built.is_ok());
  ResourceHandle handle = built.value().resource("t");
  ASSERT_TRUE(built.value().allowed(Operation::kSelect, handle));
  store.publish(std::make_shared<Unresolvable>());
  EXPECT_FALSE(built.value().allowed(Operation::kSelect, handle));
  EXPECT_FALSE(built.value().allowed(Operation::kSelect, handle));  // and again, on the slow path
  StatusOr<Statement> statement = built.value().begin_statement();
  ASSERT_FALSE(statement.is_ok());
  EXPECT_EQ(statement.status().message(), "role \"gone\" is not defined");
}

}  // namespace
}  // namespace weftkit
