// An engine compiling policy text in process through the installed compiler library:
// `compiler_consumer ROLES.yaml POLICIES.sql`.
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  weftkit::StatusOr<weftkit::PolicyCompiler> compiler = weftkit::PolicyCompiler::create();
  if (!compiler.is_ok()) return 1;
  auto version = compiler.value().compile({argv[1], argv[2]});
  if (!version.is_ok()) {
    std::fprintf(stderr, "%s\n", version.status().message().c_str());
    return 1;
  }
  weftkit::PolicyStore store(std::move(version).value());
  weftkit::Identity bob;
  bob.user = "bob";
  auto context = weftkit::SecurityContext::build(store, bob);
  if (!context.is_ok()) return 1;
  std::printf("bob DELETE orders: %s\n", context.value().allowed(weftkit::Operation::kDelete, "orders") ? "allow" : "deny");
  std::printf("bob DROP orders: %s\n", context.value().allowed(weftkit::Operation::kDrop, "orders") ? "allow" : "deny");
  return 0;
}
