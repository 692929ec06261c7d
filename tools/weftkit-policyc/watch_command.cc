// `weftkit-policyc watch`: the reload loop an engine runs, on the command line — compile, then
// recompile on every change and say what serves.
#include <signal.h>

#include <condition_variable>
#include <iostream>
#include <mutex>

#include <weftkit/policy_compiler.h>
#include "tools/weftkit-policyc/audit_setup.h"
#include "tools/weftkit-policyc/commands.h"

namespace weftkit::policy::cli {
namespace {

std::string version_label(uint64_t generation) { return "version " + std::to_string(generation); }

}  // namespace

int run_watch(const CommandLine& line) {
  // SIGINT and SIGTERM end the watch cleanly; blocked before any thread starts, so that only
  // sigtimedwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
  if (!compiler.is_ok()) {
    std::cerr << "weftkit-policyc: internal error: " << compiler.status().message() << "\n";
    return kExitPolicyErrors;
  }
  StatusOr<std::shared_ptr<const PolicyVersion>> first = compiler.value().compile(line.files);
  if (!first.is_ok()) {
    std::cerr << first.status().message();
    std::cout << "rejected: nothing is serving" << std::endl;
    return kExitPolicyErrors;
  }
  PolicyStore store(std::move(first).value());
  // WEFTKIT_AUDIT=true: reloads are recorded as an engine's would be; the log is stopped
  // (flushed and synced) once the watcher is.
  CliAudit audit_log = open_cli_audit();
  if (audit_log.failed) return kExitUsage;
  if (audit_log.writer) store.set_audit_sink(audit_log.writer);
  std::string serving = "serving " + version_label(store.generation()) + ": " + store.current()->describe();

  std::mutex mutex;
  std::condition_variable changed;
  int outcomes = 0;
  auto report = [&](const ReloadEvent& event) {
    std::lock_guard<std::mutex> lock(mutex);
    if (event.status.is_ok()) {
      std::cout << "reloaded: serving " << version_label(event.generation) << std::endl;
    } else {
      std::cout << "rejected: still serving " << version_label(event.generation) << "\n"
                << event.status.message() << std::flush;
    }
    ++outcomes;
    changed.notify_all();
  };
  StatusOr<std::unique_ptr<PolicyWatcher>> watcher = PolicyWatcher::start(
      compiler.value(), store, line.files, std::chrono::milliseconds(line.debounce_ms), report);
  if (!watcher.is_ok()) {
    std::cerr << "weftkit-policyc: error: " << watcher.status().message() << "\n";
    return kExitUsage;
  }
  // Only now that the files are watched: a change made after this line is never missed.
  {
    std::lock_guard<std::mutex> lock(mutex);
    std::cout << serving << std::endl;
  }
  timespec tick{0, 100'000'000};
  for (;;) {
    if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) break;
    std::lock_guard<std::mutex> lock(mutex);
    if (line.exit_after && outcomes >= *line.exit_after) break;
  }
  // The watcher first, so that no reload is being recorded while the log is stopped.
  watcher.value().reset();
  return finish_cli_audit(audit_log, kExitOk);
}

}  // namespace weftkit::policy::cli
