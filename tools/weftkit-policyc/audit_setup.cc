// Opening and stopping the verbs' audit writer.
#include "tools/weftkit-policyc/audit_setup.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <weftkit/config.h>

namespace weftkit::policy::cli {

CliAudit open_cli_audit() {
  config::EnvironmentMap audit_variables;
  for (auto& [name, value] : config::process_environment()) {
    if (name.starts_with("WEFTKIT_AUDIT")) audit_variables.emplace(name, value);
  }
  config::ConfigResult result = config::load_config(audit_variables);
  if (!result.ok()) {
    for (const std::string& error : result.errors) std::cerr << "weftkit-policyc: error: " << error << "\n";
    return CliAudit{nullptr, true};
  }
  if (!result.config->audit.enabled) return {};
  StatusOr<std::unique_ptr<audit::AuditWriter>> writer =
      audit::AuditWriter::open(audit::writer_options(result.config->audit));
  if (!writer.is_ok()) {
    std::cerr << "weftkit-policyc: error: WEFTKIT_AUDIT_OUTPUT=" << result.config->audit.output
              << ": cannot open the audit log: " << writer.status().message() << "\n";
    return CliAudit{nullptr, true};
  }
  return CliAudit{std::shared_ptr<audit::AuditWriter>(std::move(writer).value()), false};
}

int finish_cli_audit(CliAudit& audit, int exit_code) {
  if (audit.writer == nullptr) return exit_code;
  audit.writer->stop();
  const audit::WriterStats stats = audit.writer->stats();
  if (!audit.writer->healthy() || stats.dropped > 0) {
    std::cerr << "weftkit-policyc: warning: the audit log was not fully written (" << stats.write_errors
              << " write errors, " << stats.dropped << " events dropped)\n";
  }
  return exit_code;
}

std::string cli_operator() {
  for (const char* name : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "uid " + std::to_string(::getuid());
}

}  // namespace weftkit::policy::cli
