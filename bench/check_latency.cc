// Permission-check latency: a random (principal, operation, table) stream over the examples'
// roles and users plus 50 tables, checked by the JIT function, by the reference evaluator, and
// by a hand-written C++ bitmask lookup in the same binary. Reports ns per check.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "codegen/semantics/permission_check.h"
#include "codegen/llvm/jit_program.h"
#include "compiler/driver/compile_files.h"

namespace weftkit::policy {
namespace {

// Power of two, so the stream index wraps with a mask; small enough to stay in L1/L2 together
// with the principals' masks, so that the figures are the check's, not the memory system's.
constexpr size_t kStreamLength = 4096;
constexpr int kTableCount = 50;

struct Request {
  uint32_t principal;
  uint32_t op;
  uint32_t table;
};

// Everything precomputed outside the timed loops: the program, the principals (as the
// reference evaluator and as per-class masks), each table's class, and the request stream.
struct Fixture {
  PolicyProgram program;
  llvm_backend::JitProgram jit;
  std::vector<semantics::Principal> principals;
  std::vector<std::vector<uint64_t>> masks;  // per principal: mask_count entries, from the JIT
  std::vector<ResourceName> tables;
  std::vector<uint32_t> table_class;  // resolved once, as a prepared statement resolves its table
  std::vector<Request> stream;

  Fixture() {
    SourceTexts sources;
    Result<PolicyProgram> compiled =
        compile_files({std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml"}, sources);
    if (!compiled.ok()) fail(render_diagnostics(compiled.diagnostics(), sources));
    program = std::move(compiled).value();
    Result<llvm_backend::JitEngine> engine = llvm_backend::JitEngine::create();
    if (!engine.ok()) fail(render_diagnostics(engine.diagnostics(), sources));
    Result<llvm_backend::JitProgram> code = engine.value().compile(program);
    if (!code.ok()) fail(render_diagnostics(code.diagnostics(), sources));
    jit = std::move(code).value();

    // Every user of the examples, and a principal per role.
    for (const UserDefinition& user : program.users) principals.push_back(semantics::resolve_principal(program, user.name, {}));
    for (RoleId role = 0; role < program.roles.size(); ++role) {
      principals.push_back(semantics::resolve_principal(program, "service", {role}));
    }
    for (const semantics::Principal& principal : principals) {
      std::vector<RoleId> held;
      for (const semantics::HeldRole& role : principal.roles) held.push_back(role.role);
      masks.push_back(jit.masks_for_roles(held));
    }

    // The examples' tables plus 50 more over the schemas the roles name (and one they don't).
    for (const char* name : {"orders", "customers", "audit_log"}) tables.push_back({"public", name});
    const char* schemas[] = {"public", "sales", "staging", "reporting"};
    for (int index = 0; index < kTableCount; ++index) {
      tables.push_back({schemas[index % 4], "table_" + std::to_string(index)});
    }
    for (const ResourceName& table : tables) table_class.push_back(program.resource_classes.classify(table));

    std::mt19937 random(20240601);
    std::uniform_int_distribution<uint32_t> principal(0, static_cast<uint32_t>(principals.size() - 1));
    std::uniform_int_distribution<uint32_t> op(0, kOperationCount - 1);
    std::uniform_int_distribution<uint32_t> table(0, static_cast<uint32_t>(tables.size() - 1));
    for (size_t index = 0; index < kStreamLength; ++index) stream.push_back({principal(random), op(random), table(random)});

    // The three paths must agree before any of them is timed.
    for (const Request& request : stream) {
      bool reference = semantics::is_allowed(program, principals[request.principal], static_cast<Operation>(request.op),
                                          tables[request.table]);
      bool native = jit.check(masks[request.principal].data(), table_class[request.table], request.op);
      if (reference != native) fail("JIT and reference evaluator disagree");
    }
  }

  [[noreturn]] static void fail(const std::string& why) {
    std::fprintf(stderr, "check_latency: %s\n", why.c_str());
    std::exit(1);
  }
};

Fixture& fixture() {
  static Fixture* instance = new Fixture();
  return *instance;
}

// The hand-written baseline: the same masks and the same clamps, as plain C++.
inline bool bitmask_check(const uint64_t* masks, uint32_t class_count, uint32_t resource_class, uint32_t op) {
  uint64_t mask = masks[resource_class < class_count ? resource_class : class_count];
  return ((mask >> (op & 63)) & 1) & (op < 64);
}

uint32_t g_class_count = 0;  // read by the out-of-line baseline, as the JIT's code has it as a constant

__attribute__((noinline)) bool bitmask_check_out_of_line(const uint64_t* masks, uint32_t resource_class, uint32_t op) {
  return bitmask_check(masks, g_class_count, resource_class, op);
}

void set_counters(benchmark::State& state) {
  // Seconds per check, printed with an SI prefix: "1.2n" is 1.2 ns.
  state.counters["per_check"] = benchmark::Counter(static_cast<double>(state.iterations()) * kStreamLength,
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kStreamLength);
}

// Each iteration answers the whole stream; the count of allowed answers keeps the work alive.
template <class Check>
void run_stream(benchmark::State& state, Check check) {
  Fixture& f = fixture();
  const Request* stream = f.stream.data();
  const uint32_t* table_class = f.table_class.data();
  std::vector<const uint64_t*> masks;
  for (const std::vector<uint64_t>& principal : f.masks) masks.push_back(principal.data());
  for (auto _ : state) {
    uint32_t allowed = 0;
    for (size_t index = 0; index < kStreamLength; ++index) {
      const Request& request = stream[index];
      allowed += check(masks[request.principal], table_class[request.table], request.op);
    }
    benchmark::DoNotOptimize(allowed);
  }
  set_counters(state);
}

void BM_JitCheck(benchmark::State& state) {
  native::CheckFunction check = fixture().jit.check;
  benchmark::DoNotOptimize(check);  // called through the pointer, as an engine would
  run_stream(state, [check](const uint64_t* masks, uint32_t resource_class, uint32_t op) {
    return check(masks, resource_class, op);
  });
}

void BM_HandWrittenBitmaskInline(benchmark::State& state) {
  const uint32_t class_count = fixture().program.permissions.class_count;
  run_stream(state, [class_count](const uint64_t* masks, uint32_t resource_class, uint32_t op) {
    return bitmask_check(masks, class_count, resource_class, op);
  });
}

void BM_HandWrittenBitmaskCall(benchmark::State& state) {
  g_class_count = fixture().program.permissions.class_count;
  bool (*check)(const uint64_t*, uint32_t, uint32_t) = bitmask_check_out_of_line;
  benchmark::DoNotOptimize(check);
  run_stream(state, [check](const uint64_t* masks, uint32_t resource_class, uint32_t op) {
    return check(masks, resource_class, op);
  });
}

// The reference evaluator as it is: is_allowed classifies the table and folds the principal's
// roles on every call (the principal itself is resolved once, outside the loop).
void BM_ReferenceEvaluator(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    uint32_t allowed = 0;
    for (const Request& request : f.stream) {
      allowed += semantics::is_allowed(f.program, f.principals[request.principal], static_cast<Operation>(request.op),
                                    f.tables[request.table]);
    }
    benchmark::DoNotOptimize(allowed);
  }
  set_counters(state);
}

BENCHMARK(BM_JitCheck);
BENCHMARK(BM_HandWrittenBitmaskInline);
BENCHMARK(BM_HandWrittenBitmaskCall);
BENCHMARK(BM_ReferenceEvaluator);

}  // namespace
}  // namespace weftkit::policy

BENCHMARK_MAIN();
