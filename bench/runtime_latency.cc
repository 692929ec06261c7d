// Permission-check latency through the runtime's public C++ API, for a JIT-backed version and
// an ahead-of-time module of the same files: SecurityContext::allowed with a ResourceHandle
// (the fast path), with a table name, and Statement::allowed, and the same three through the
// C API (weftkit_policy.h), against the hand-written bitmask lookup of bench/check_latency.cc
// on the same stream in the same binary. Reports ns per check.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/runtime_bench_support.h"
#include "codegen/semantics/permission_check.h"
#include "compiler/driver/compile_files.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>
#include <weftkit/weftkit_policy.h>

namespace weftkit {
namespace {

// As in check_latency.cc: a power of two, small enough that the stream and the principals'
// masks stay in L1/L2, so that the figures are the check's, not the memory system's.
constexpr size_t kStreamLength = 4096;
constexpr int kTableCount = 50;

struct Request {
  uint32_t principal;
  uint32_t op;
  uint32_t table;
};

// What check_latency.cc checks, named for the runtime: the examples' users and one principal
// per role (requested by a service account), the examples' tables plus 50 more, and a fixed
// random stream over them; the reference evaluator's answer for every request.
struct Workload {
  std::vector<std::string> files = {bench::source_file("examples/roles.yaml"),
                                    bench::source_file("examples/policies.sql")};
  std::vector<Identity> identities;
  std::vector<std::string> tables;
  std::vector<Request> stream;
  std::vector<bool> expected;

  Workload() {
    policy::SourceTexts sources;
    policy::Result<policy::PolicyProgram> compiled = policy::compile_files(files, sources);
    if (!compiled.ok()) bench::fail(policy::render_diagnostics(compiled.diagnostics(), sources));
    const policy::PolicyProgram& program = compiled.value();

    std::vector<policy::semantics::Principal> principals;
    for (const policy::UserDefinition& user : program.users) {
      Identity identity;
      identity.user = user.name;
      identities.push_back(identity);
      principals.push_back(policy::semantics::resolve_principal(program, user.name, {}));
    }
    for (policy::RoleId role = 0; role < program.roles.size(); ++role) {
      Identity identity;
      identity.user = "service";
      identity.roles = {program.roles[role].name};
      identities.push_back(identity);
      principals.push_back(policy::semantics::resolve_principal(program, "service", {role}));
    }

    std::vector<policy::ResourceName> names;
    for (const char* name : {"orders", "customers", "audit_log"}) {
      tables.push_back(name);
      names.push_back({"public", name});
    }
    const char* schemas[] = {"public", "sales", "staging", "reporting"};
    for (int index = 0; index < kTableCount; ++index) {
      std::string name = "table_" + std::to_string(index);
      tables.push_back(std::string(schemas[index % 4]) + "." + name);
      names.push_back({schemas[index % 4], name});
    }

    std::mt19937 random(20240601);
    std::uniform_int_distribution<uint32_t> principal(0, static_cast<uint32_t>(identities.size() - 1));
    std::uniform_int_distribution<uint32_t> op(0, 15);
    std::uniform_int_distribution<uint32_t> table(0, static_cast<uint32_t>(tables.size() - 1));
    for (size_t index = 0; index < kStreamLength; ++index) {
      Request request{principal(random), op(random), table(random)};
      stream.push_back(request);
      expected.push_back(policy::semantics::is_allowed(program, principals[request.principal],
                                                    static_cast<policy::Operation>(request.op), names[request.table]));
    }
  }
};

const Workload& workload() {
  static const Workload* instance = new Workload();
  return *instance;
}

// One policy version serving from its own store, with everything an engine keeps per
// connection: a context per principal, a handle per (context, table), an open statement.
struct Served {
  std::unique_ptr<PolicyStore> store;
  std::vector<SecurityContext> contexts;
  std::vector<std::vector<ResourceHandle>> handles;  // [principal][table]
  std::vector<Statement> statements;
  // The baseline's data, read through the version: per principal its masks, per table its class.
  std::vector<std::vector<uint64_t>> masks;
  std::vector<uint32_t> table_class;
  uint32_t class_count = 0;

  explicit Served(std::shared_ptr<const PolicyVersion> version) {
    const Workload& w = workload();
    store = std::make_unique<PolicyStore>(version);
    for (const Identity& identity : w.identities) {
      StatusOr<SecurityContext> context = SecurityContext::build(*store, identity);
      if (!context.is_ok()) bench::fail("context for " + identity.user + ": " + context.status().message());
      contexts.push_back(std::move(context).value());
      StatusOr<ResolvedPrincipal> resolved = version->resolve(identity);
      if (!resolved.is_ok()) bench::fail(resolved.status().message());
      masks.push_back(resolved.value().masks);
    }
    class_count = static_cast<uint32_t>(masks.front().size() - 1);  // the last entry is the all-zero one
    for (SecurityContext& context : contexts) {
      handles.emplace_back();
      for (const std::string& table : w.tables) handles.back().push_back(context.resource(table));
      StatusOr<Statement> statement = context.begin_statement();
      if (!statement.is_ok()) bench::fail(statement.status().message());
      statements.push_back(std::move(statement).value());
    }
    for (const std::string& table : w.tables) table_class.push_back(version->resource_class(table));

    // Every path must give the reference evaluator's answer before any of them is timed.
    for (size_t index = 0; index < kStreamLength; ++index) {
      const Request& request = w.stream[index];
      Operation op = static_cast<Operation>(request.op);
      const std::string& table = w.tables[request.table];
      bool answers[] = {
          contexts[request.principal].allowed(op, handles[request.principal][request.table]),
          contexts[request.principal].allowed(op, table),
          statements[request.principal].allowed(op, table),
          ((masks[request.principal][table_class[request.table]] >> request.op) & 1) != 0,
      };
      for (bool answer : answers) {
        if (answer != w.expected[index]) {
          bench::fail(version->describe() + ": a runtime path disagrees with the reference evaluator");
        }
      }
    }
  }
};

Served& jit_served() {
  static Served* instance = [] {
    StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
    if (!compiler.is_ok()) bench::fail(compiler.status().message());
    StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler.value().compile(workload().files);
    if (!version.is_ok()) bench::fail(version.status().message());
    return new Served(std::move(version).value());
  }();
  return *instance;
}

Served& aot_served() {
  static Served* instance = [] {
    // The module is built as an operator would build it, by the real weftkit-policyc; it is
    // loaded from a private copy, so the scratch directory can go once it is loaded.
    bench::ScratchDirectory scratch;
    std::string module = scratch.path("policy.so");
    bench::build_policy_module(workload().files, module);
    StatusOr<std::shared_ptr<const PolicyVersion>> version = load_policy_module(module);
    if (!version.is_ok()) bench::fail(version.status().message());
    return new Served(std::move(version).value());
  }();
  return *instance;
}

// The same through the C API: a store of its own (compiled by weftkit_compiler_compile or
// opened with weftkit_store_open_module), a context, resources and a statement per principal.
struct CServed {
  weftkit_store* store = nullptr;
  std::vector<weftkit_context*> contexts;
  std::vector<std::vector<weftkit_resource*>> resources;  // [principal][table]
  std::vector<weftkit_statement*> statements;

  explicit CServed(weftkit_store* served) : store(served) {
    const Workload& w = workload();
    for (const Identity& identity : w.identities) {
      std::vector<const char*> roles;
      for (const std::string& role : identity.roles) roles.push_back(role.c_str());
      weftkit_identity c_identity{};
      c_identity.user = identity.user.c_str();
      c_identity.roles = roles.empty() ? nullptr : roles.data();
      c_identity.role_count = roles.size();
      weftkit_context* context = nullptr;
      check(weftkit_context_build(store, &c_identity, &context, nullptr), "weftkit_context_build");
      contexts.push_back(context);
      resources.emplace_back();
      for (const std::string& table : w.tables) {
        weftkit_resource* resource = nullptr;
        check(weftkit_resource_create(context, table.c_str(), &resource, nullptr), "weftkit_resource_create");
        resources.back().push_back(resource);
      }
      weftkit_statement* statement = nullptr;
      check(weftkit_statement_begin(context, &statement, nullptr), "weftkit_statement_begin");
      statements.push_back(statement);
    }
    for (size_t index = 0; index < kStreamLength; ++index) {
      const Request& request = w.stream[index];
      auto op = static_cast<weftkit_operation>(request.op);
      const char* table = w.tables[request.table].c_str();
      bool answers[] = {
          weftkit_allowed_resource(contexts[request.principal], op, resources[request.principal][request.table]),
          weftkit_allowed(contexts[request.principal], op, table),
          weftkit_statement_allowed(statements[request.principal], op, table),
      };
      for (bool answer : answers) {
        if (answer != w.expected[index]) bench::fail("a C API path disagrees with the reference evaluator");
      }
    }
  }

  static void check(weftkit_status status, const char* what) {
    if (status != WEFTKIT_OK) bench::fail(std::string(what) + " failed: " + weftkit_status_name(status));
  }
};

CServed& c_jit_served() {
  static CServed* instance = [] {
    weftkit_compiler* compiler = nullptr;
    CServed::check(weftkit_compiler_create(&compiler, nullptr), "weftkit_compiler_create");
    std::vector<const char*> files;
    for (const std::string& file : workload().files) files.push_back(file.c_str());
    weftkit_store* store = nullptr;
    CServed::check(weftkit_compiler_compile(compiler, files.data(), files.size(), &store, nullptr),
                   "weftkit_compiler_compile");
    weftkit_compiler_free(compiler);  // the store keeps its code
    return new CServed(store);
  }();
  return *instance;
}

CServed& c_aot_served() {
  static CServed* instance = [] {
    bench::ScratchDirectory scratch;
    std::string module = scratch.path("policy.so");
    bench::build_policy_module(workload().files, module);
    weftkit_store* store = nullptr;
    CServed::check(weftkit_store_open_module(module.c_str(), &store, nullptr), "weftkit_store_open_module");
    return new CServed(store);
  }();
  return *instance;
}

void set_counters(benchmark::State& state) {
  // Seconds per check, printed with an SI prefix: "1.2n" is 1.2 ns.
  state.counters["per_check"] = benchmark::Counter(static_cast<double>(state.iterations()) * kStreamLength,
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kStreamLength);
}

// Each iteration answers the whole stream; the loop body (read the request, index the
// principal's and the table's data) is the same for every variant, only the check differs.
template <class Check>
void run_stream(benchmark::State& state, Check check) {
  const Request* stream = workload().stream.data();
  for (auto _ : state) {
    uint32_t allowed = 0;
    for (size_t index = 0; index < kStreamLength; ++index) {
      const Request& request = stream[index];
      allowed += check(request.principal, static_cast<Operation>(request.op), request.table);
    }
    benchmark::DoNotOptimize(allowed);
  }
  set_counters(state);
}

// The hand-written baseline of check_latency.cc: the same clamp, load, shift and AND, inlined.
inline bool bitmask_check(const uint64_t* masks, uint32_t class_count, uint32_t resource_class, uint32_t op) {
  uint64_t mask = masks[resource_class < class_count ? resource_class : class_count];
  return ((mask >> (op & 63)) & 1) & (op < 64);
}

uint32_t g_class_count = 0;

__attribute__((noinline)) bool bitmask_check_out_of_line(const uint64_t* masks, uint32_t resource_class, uint32_t op) {
  return bitmask_check(masks, g_class_count, resource_class, op);
}

void BM_HandWrittenBitmaskInline(benchmark::State& state) {
  Served& served = jit_served();
  std::vector<const uint64_t*> masks;
  for (const std::vector<uint64_t>& principal : served.masks) masks.push_back(principal.data());
  const uint32_t* table_class = served.table_class.data();
  const uint32_t class_count = served.class_count;
  run_stream(state, [&masks, table_class, class_count](uint32_t principal, Operation op, uint32_t table) {
    return bitmask_check(masks[principal], class_count, table_class[table], static_cast<uint32_t>(op));
  });
}

// The same function called out of line through a pointer: the shape of a call into a C API.
void BM_HandWrittenBitmaskCall(benchmark::State& state) {
  Served& served = jit_served();
  g_class_count = served.class_count;
  std::vector<const uint64_t*> masks;
  for (const std::vector<uint64_t>& principal : served.masks) masks.push_back(principal.data());
  const uint32_t* table_class = served.table_class.data();
  bool (*check)(const uint64_t*, uint32_t, uint32_t) = bitmask_check_out_of_line;
  benchmark::DoNotOptimize(check);
  run_stream(state, [&masks, table_class, check](uint32_t principal, Operation op, uint32_t table) {
    return check(masks[principal], table_class[table], static_cast<uint32_t>(op));
  });
}

// SecurityContext::allowed(op, ResourceHandle&): the handle was made once per (connection,
// table), as an engine does when it opens a table or prepares a statement.
void BM_ContextAllowedHandle(benchmark::State& state, Served* served) {
  SecurityContext* contexts = served->contexts.data();
  std::vector<ResourceHandle*> handles;
  for (std::vector<ResourceHandle>& principal : served->handles) handles.push_back(principal.data());
  run_stream(state, [contexts, &handles](uint32_t principal, Operation op, uint32_t table) {
    return contexts[principal].allowed(op, handles[principal][table]);
  });
}

// SecurityContext::allowed(op, "table"): resolves the name on every call.
void BM_ContextAllowedName(benchmark::State& state, Served* served) {
  SecurityContext* contexts = served->contexts.data();
  std::vector<std::string_view> tables(workload().tables.begin(), workload().tables.end());
  run_stream(state, [contexts, &tables](uint32_t principal, Operation op, uint32_t table) {
    return contexts[principal].allowed(op, tables[table]);
  });
}

// Statement::allowed(op, "table") on a statement begun once (its version pinned).
void BM_StatementAllowed(benchmark::State& state, Served* served) {
  const Statement* statements = served->statements.data();
  std::vector<std::string_view> tables(workload().tables.begin(), workload().tables.end());
  run_stream(state, [statements, &tables](uint32_t principal, Operation op, uint32_t table) {
    return statements[principal].allowed(op, tables[table]);
  });
}

// Per statement: what every query of an engine pays before it scans. The baseline begins the
// statement only (pinning the serving version); the other adds the row filter of SELECT on
// orders (planning the statement for the principal and finding its compiled plan), one row
// checked, and the filter and statement released. Over the principals that may read orders,
// each connection with app.tenant_id set, as the examples' policies expect.
std::vector<SecurityContext*> readers_of_orders(Served* served) {
  static std::vector<std::unique_ptr<SecurityContext>> kept;
  std::vector<SecurityContext*> readers;
  for (Identity identity : workload().identities) {
    identity.settings = {{"app.tenant_id", "tenant-001"}};
    StatusOr<SecurityContext> context = SecurityContext::build(*served->store, identity);
    if (!context.is_ok()) bench::fail(context.status().message());
    StatusOr<Statement> statement = context.value().begin_statement();
    if (!statement.is_ok() || !statement.value().allowed(Operation::kSelect, "orders")) continue;
    kept.push_back(std::make_unique<SecurityContext>(std::move(context).value()));
    readers.push_back(kept.back().get());
  }
  if (readers.empty()) bench::fail("nobody may read orders");
  return readers;
}

void BM_StatementBegin(benchmark::State& state, Served* served) {
  std::vector<SecurityContext*> readers = readers_of_orders(served);
  for (auto _ : state) {
    for (SecurityContext* context : readers) {
      StatusOr<Statement> statement = context->begin_statement();
      benchmark::DoNotOptimize(statement.is_ok());
    }
  }
  state.counters["per_statement"] = benchmark::Counter(static_cast<double>(state.iterations() * readers.size()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_StatementRowFilter(benchmark::State& state, Served* served) {
  std::vector<SecurityContext*> readers = readers_of_orders(served);
  // orders (id bigint, tenant_id text, customer text, amount integer, status varchar(16), created date)
  Datum row[6] = {};
  const char* tenant = "tenant-001";
  const char* status = "paid";
  row[1].data = tenant;
  row[1].length = 10;
  row[2].data = "acme";
  row[2].length = 4;
  row[4].data = status;
  row[4].length = 4;
  for (auto _ : state) {
    for (SecurityContext* context : readers) {
      StatusOr<Statement> statement = context->begin_statement();
      StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
          statement.value().row_filter("orders", {Command::kSelect});
      if (!filter.is_ok()) bench::fail(filter.status().message());
      benchmark::DoNotOptimize(filter.value()->check(row, nullptr).result);
    }
  }
  state.counters["per_statement"] = benchmark::Counter(static_cast<double>(state.iterations() * readers.size()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// weftkit_allowed_resource: the C API's fast path, a call into the library per check.
void BM_CAllowedResource(benchmark::State& state, CServed* served) {
  weftkit_context** contexts = served->contexts.data();
  std::vector<weftkit_resource**> resources;
  for (std::vector<weftkit_resource*>& principal : served->resources) resources.push_back(principal.data());
  run_stream(state, [contexts, &resources](uint32_t principal, Operation op, uint32_t table) {
    auto c_op = static_cast<weftkit_operation>(op);
    return weftkit_allowed_resource(contexts[principal], c_op, resources[principal][table]);
  });
}

// weftkit_allowed(context, op, "table").
void BM_CAllowedName(benchmark::State& state, CServed* served) {
  weftkit_context** contexts = served->contexts.data();
  std::vector<const char*> tables;
  for (const std::string& table : workload().tables) tables.push_back(table.c_str());
  run_stream(state, [contexts, &tables](uint32_t principal, Operation op, uint32_t table) {
    return weftkit_allowed(contexts[principal], static_cast<weftkit_operation>(op), tables[table]);
  });
}

// weftkit_statement_allowed(statement, op, "table").
void BM_CStatementAllowed(benchmark::State& state, CServed* served) {
  weftkit_statement** statements = served->statements.data();
  std::vector<const char*> tables;
  for (const std::string& table : workload().tables) tables.push_back(table.c_str());
  run_stream(state, [statements, &tables](uint32_t principal, Operation op, uint32_t table) {
    return weftkit_statement_allowed(statements[principal], static_cast<weftkit_operation>(op), tables[table]);
  });
}

void register_benchmarks() {
  benchmark::RegisterBenchmark("BM_HandWrittenBitmaskInline", BM_HandWrittenBitmaskInline);
  benchmark::RegisterBenchmark("BM_HandWrittenBitmaskCall", BM_HandWrittenBitmaskCall);
  struct Kind {
    const char* name;
    Served& (*served)();
    CServed& (*c_served)();
  };
  for (Kind kind : {Kind{"jit", jit_served, c_jit_served}, Kind{"aot", aot_served, c_aot_served}}) {
    // Built here, before any timing, so that setup never lands in a timed region.
    Served* served = &kind.served();
    CServed* c_served = &kind.c_served();
    std::string suffix = std::string("/") + kind.name;
    benchmark::RegisterBenchmark(("BM_ContextAllowedHandle" + suffix).c_str(), BM_ContextAllowedHandle, served);
    benchmark::RegisterBenchmark(("BM_ContextAllowedName" + suffix).c_str(), BM_ContextAllowedName, served);
    benchmark::RegisterBenchmark(("BM_StatementAllowed" + suffix).c_str(), BM_StatementAllowed, served);
    benchmark::RegisterBenchmark(("BM_CAllowedResource" + suffix).c_str(), BM_CAllowedResource, c_served);
    benchmark::RegisterBenchmark(("BM_CAllowedName" + suffix).c_str(), BM_CAllowedName, c_served);
    benchmark::RegisterBenchmark(("BM_CStatementAllowed" + suffix).c_str(), BM_CStatementAllowed, c_served);
    benchmark::RegisterBenchmark(("BM_StatementBegin" + suffix).c_str(), BM_StatementBegin, served);
    benchmark::RegisterBenchmark(("BM_StatementRowFilter" + suffix).c_str(), BM_StatementRowFilter, served);
  }
}

}  // namespace
}  // namespace weftkit

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  weftkit::register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
