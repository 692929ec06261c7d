// Reloading while readers run, and checking that every statement saw one whole version.
#include "examples/embed/reload_section.h"

#include <algorithm>

#include "examples/embed/concurrent_readers.h"
#include "examples/embed/connection.h"
#include "examples/embed/row_printer.h"
#include "examples/embed/statement_runner.h"

namespace weftkit::embed {
namespace {

// Statements each reader completes in every phase before the main thread moves on: enough
// that each phase is really observed, few enough to take a fraction of a second.
constexpr int64_t kStatementsPerPhase = 50;

const Connection kAlice{"alice", "tenant-001", AuthMethod::kPassword, "10.0.0.11", {}};
const Connection kBob{"bob", "tenant-002", AuthMethod::kJwt, "10.0.0.12", {}};

// What a fresh statement on the main thread sees now: the answer of the serving version.
StatusOr<std::string> current_answer(const PolicyStore& store, const Connection& connection, const Table& table) {
  StatusOr<SecurityContext> context = connect(store, connection);
  if (!context.is_ok()) return context.status();
  return describe_answer(table, select_all(context.value(), table));
}

// A statement begun in phase p began after the p-th reload returned and before the (p+1)-th
// did, so it saw the version serving in phase p or, if the next reload published while it
// began, the next one. Across a reader's statements the answers only move forward.
Status check_report(const ReaderReport& report, const std::vector<std::string>& expected_by_phase) {
  size_t latest = 0;  // the latest phase whose version this reader has seen
  for (const Observation& observation : report.observations) {
    size_t phase = static_cast<size_t>(observation.phase);
    size_t seen = expected_by_phase.size();
    for (size_t candidate = std::max(phase, latest); candidate < std::min(phase + 2, expected_by_phase.size()); ++candidate) {
      if (expected_by_phase[candidate] == observation.answer) {
        seen = candidate;
        break;
      }
    }
    if (seen == expected_by_phase.size()) {
      return Status(StatusCode::kInternal, report.label + ": a statement begun in phase " + std::to_string(phase) +
                                               " saw \"" + observation.answer + "\", which no version it could pin shows");
    }
    latest = seen;
  }
  return Status::ok();
}

// The distinct answers in the order they were seen: "1, 8", then "1, 2, 6, 8".
std::vector<std::string> answers_in_order(const ReaderReport& report) {
  std::vector<std::string> answers;
  for (const Observation& observation : report.observations) {
    if (answers.empty() || answers.back() != observation.answer) answers.push_back(observation.answer);
  }
  return answers;
}

}  // namespace

Status run_reload_section(std::ostream& out, PolicyStore& store, const PolicyCompiler& compiler,
                          const PolicyWorkspace& workspace, TableStore& tables) {
  Table& orders = *tables.find("orders");
  std::vector<Connection> reader_connections = {kAlice, kBob};
  ConcurrentReaders readers;
  // Per reader, the answer of the version serving in each phase.
  std::vector<std::vector<std::string>> expected(reader_connections.size());
  for (size_t index = 0; index < reader_connections.size(); ++index) {
    StatusOr<SecurityContext> context = connect(store, reader_connections[index]);
    if (!context.is_ok()) return context.status();
    readers.add(connection_label(reader_connections[index]), std::move(context).value(), orders);
  }
  auto record_expected = [&]() -> Status {
    for (size_t index = 0; index < reader_connections.size(); ++index) {
      StatusOr<std::string> answer = current_answer(store, reader_connections[index], orders);
      if (!answer.is_ok()) return answer.status();
      expected[index].push_back(answer.value());
    }
    return Status::ok();
  };

  out << "Two reader threads run SELECT * FROM orders without pause, as alice@tenant-001 and bob@tenant-002,\n"
         "each on its own SecurityContext, while this thread edits the policy files and reloads them.\n";
  Status status = record_expected();
  if (!status.is_ok()) return status;
  readers.start();
  if (!(status = readers.wait_for_statements(kStatementsPerPhase)).is_ok()) return status;

  // A changed policy: analysts may now see open orders as well as settled ones.
  out << "\n$ edit <policy-dir>/policies.sql: analysts_see_settled USING (status IN ('paid', 'refunded', 'open'))\n";
  status = workspace.edit("policies.sql", "USING (status IN ('paid', 'refunded'));",
                          "USING (status IN ('paid', 'refunded', 'open'));");
  if (!status.is_ok()) return status;
  Status reloaded = compiler.reload(store, workspace.files());
  if (!reloaded.is_ok()) return Status(reloaded.code(), workspace.shown(reloaded.message()));
  readers.next_phase();
  out << "PolicyCompiler::reload: ok, generation " << store.generation() << " serving\n";
  if (!(status = record_expected()).is_ok()) return status;
  if (!(status = readers.wait_for_statements(kStatementsPerPhase)).is_ok()) return status;

  // A broken one: a misspelt column. The reload fails and the store keeps serving.
  out << "\n$ edit <policy-dir>/policies.sql: a misspelt column, stauts for status\n";
  status = workspace.edit("policies.sql", "USING (status IN ('paid', 'refunded', 'open'));",
                          "USING (stauts IN ('paid', 'refunded', 'open'));");
  if (!status.is_ok()) return status;
  uint64_t generation = store.generation();
  Status rejected = compiler.reload(store, workspace.files());
  readers.next_phase();
  if (rejected.is_ok()) return Status(StatusCode::kInternal, "the broken policy file was accepted");
  out << "PolicyCompiler::reload: rejected, generation " << store.generation()
      << (store.generation() == generation ? " still serving" : " (CHANGED: a failed reload published!)") << ":\n"
      << workspace.shown(rejected.message());
  if (!rejected.message().ends_with('\n')) out << '\n';
  if (!(status = record_expected()).is_ok()) return status;
  if (!(status = readers.wait_for_statements(kStatementsPerPhase)).is_ok()) return status;

  std::vector<ReaderReport> reports = readers.stop();
  out << "\nWhat the readers' statements saw (ids of the selected rows, in the order seen):\n";
  for (size_t index = 0; index < reports.size(); ++index) {
    if (!(status = check_report(reports[index], expected[index])).is_ok()) return status;
    std::string sequence;
    for (const std::string& answer : answers_in_order(reports[index])) sequence += (sequence.empty() ? "" : "  then  ") + answer;
    out << "  " << reports[index].label << ": " << sequence << '\n';
  }
  out << "Each statement's rows were those of the version serving when it began (or of the one a reload\n"
         "was publishing at that moment); no reader went back to an older version, and the failed reload\n"
         "changed nothing.\n";

  out << "\n-- SELECT * FROM orders as alice@tenant-001, after the reloads (analysts now see open orders)\n";
  StatusOr<SecurityContext> alice = connect(store, kAlice);
  if (!alice.is_ok()) return alice.status();
  StatusOr<std::vector<int64_t>> rows = select_all(alice.value(), orders);
  if (!rows.is_ok()) return rows.status();
  print_rows(out, orders, rows.value());
  return Status::ok();
}

}  // namespace weftkit::embed
