// The audit writer from the environment (audit_setup.h).
#include "tools/weftkit-policyc/audit_setup.h"

#include <iostream>

#include <weftkit/config.h>

namespace weftkit::policy::cli {

StatusOr<std::shared_ptr<audit::AuditWriter>> audit_writer_from_environment() {
  config::EnvironmentMap environment = config::process_environment();
  config::ConfigResult result = config::load_config(environment);
  if (!result.ok()) {
    // Without WEFTKIT_AUDIT the rest of the configuration is not this verb's business.
    if (environment.find("WEFTKIT_AUDIT") == environment.end()) return std::shared_ptr<audit::AuditWriter>();
    std::string errors;
    for (const std::string& error : result.errors) errors += (errors.empty() ? "" : "; ") + error;
    return Status(StatusCode::kInvalidArgument, "the audit configuration does not load: " + errors);
  }
  if (!result.config->audit.enabled) return std::shared_ptr<audit::AuditWriter>();
  StatusOr<std::unique_ptr<audit::AuditWriter>> writer = audit::AuditWriter::open(audit::writer_options(result.config->audit));
  if (!writer.is_ok()) return writer.status();
  return std::shared_ptr<audit::AuditWriter>(std::move(writer).value());
}

}  // namespace weftkit::policy::cli
