// An engine serving a policy module through the installed runtime: `module_consumer MODULE`.
#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> version = weftkit::load_policy_module(argv[1]);
  if (!version.is_ok()) {
    std::fprintf(stderr, "%s\n", version.status().message().c_str());
    return 1;
  }
  weftkit::PolicyStore store(std::move(version).value());
  weftkit::Identity alice;
  alice.user = "alice";
  alice.settings = {{"app.tenant_id", "tenant-001"}};
  weftkit::StatusOr<weftkit::SecurityContext> context = weftkit::SecurityContext::build(store, alice);
  if (!context.is_ok()) return 1;
  std::printf("alice SELECT orders: %s\n", context.value().allowed(weftkit::Operation::kSelect, "orders") ? "allow" : "deny");
  std::printf("alice INSERT orders: %s\n", context.value().allowed(weftkit::Operation::kInsert, "orders") ? "allow" : "deny");
  weftkit::StatusOr<weftkit::Statement> statement = context.value().begin_statement();
  if (!statement.is_ok()) return 1;
  auto filter = statement.value().row_filter("orders", {weftkit::Command::kSelect});
  if (!filter.is_ok()) return 1;
  std::printf("orders has %zu columns; native plans: %llu\n", filter.value()->column_count(),
              static_cast<unsigned long long>(store.current()->row_filter_counts().native_plans > 0));
  return 0;
}
