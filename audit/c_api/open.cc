// Opening the audit log from C: explicit options, or the WEFTKIT_AUDIT_* variables checked as
// the configuration loader checks them.
#include <string>
#include <utility>
#include <vector>

#include <weftkit/config.h>
#include <weftkit/detail/c_api_bridge.h>
#include <weftkit/detail/c_api_variables.h>

#include "audit/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;

namespace weftkit::audit::c_api {
namespace {

// The shortest key WEFTKIT_AUDIT_HMAC_KEY accepts; explicit options get the same rule.
constexpr size_t kMinimumKeyBytes = 32;

// Starts the writer; on failure the message names the output (never the key).
weftkit_status start(WriterOptions options, std::string_view output_name, weftkit_audit_log** out,
                     weftkit_error** error) {
  const std::string output = options.output;
  StatusOr<std::unique_ptr<AuditWriter>> writer = AuditWriter::open(std::move(options));
  if (!writer.is_ok()) {
    return fail(weftkit::c_api::to_c_status(writer.status().code()),
                std::string(output_name) + output + ": cannot open the audit log: " + writer.status().message(), error);
  }
  *out = new weftkit_audit_log{std::shared_ptr<AuditWriter>(std::move(writer).value())};
  return WEFTKIT_OK;
}

weftkit_status options_from_c(const weftkit_audit_options& in, WriterOptions& options, weftkit_error** error) {
  if (in.output == nullptr || *in.output == '\0') {
    return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open: options->output must name a file or \"-\"", error);
  }
  options.output = in.output;
  if (in.hmac_key != nullptr) {
    // The length only: the key itself is never part of a message.
    const std::string key(in.hmac_key);
    if (key.size() < kMinimumKeyBytes) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_audit_open: options->hmac_key has " + std::to_string(key.size()) +
                      " bytes; expected at least 32",
                  error);
    }
    options.hmac_key = key;
  }
  if (in.events != nullptr) {
    std::vector<EventKind> kinds;
    for (size_t i = 0; i < in.event_count; ++i) {
      const std::optional<EventKind> kind = kind_of(in.events[i]);
      if (!kind) {
        return fail(WEFTKIT_INVALID_ARGUMENT,
                    "weftkit_audit_open: options->events[" + std::to_string(i) + "] is not a weftkit_audit_kind",
                    error);
      }
      kinds.push_back(*kind);
    }
    options.events = std::move(kinds);
  } else if (in.event_count > 0) {
    return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open: options->events is NULL but event_count is not 0",
                error);
  }
  switch (in.overflow) {
    case WEFTKIT_AUDIT_OVERFLOW_BLOCK:
      options.overflow = config::AuditOverflow::kBlock;
      break;
    case WEFTKIT_AUDIT_OVERFLOW_DROP:
      options.overflow = config::AuditOverflow::kDrop;
      break;
    default:
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open: options->overflow is not a weftkit_audit_overflow",
                  error);
  }
  switch (in.fsync) {
    case WEFTKIT_AUDIT_FSYNC_ALWAYS:
      options.fsync = config::AuditFsync::kAlways;
      break;
    case WEFTKIT_AUDIT_FSYNC_INTERVAL:
      options.fsync = config::AuditFsync::kInterval;
      break;
    case WEFTKIT_AUDIT_FSYNC_NEVER:
      options.fsync = config::AuditFsync::kNever;
      break;
    default:
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open: options->fsync is not a weftkit_audit_fsync", error);
  }
  options.max_bytes = in.max_bytes;
  return WEFTKIT_OK;
}

// Only the WEFTKIT_AUDIT* entries are checked, so that another module's bad variable does not
// keep the audit log closed (the CLI reads its log the same way).
weftkit_status open_configured(const config::EnvironmentMap& environment, weftkit_audit_log** out,
                               weftkit_error** error) {
  config::EnvironmentMap audit_variables;
  for (const auto& [name, value] : environment) {
    if (name.starts_with("WEFTKIT_AUDIT")) audit_variables.emplace(name, value);
  }
  config::ConfigResult loaded = config::load_config(audit_variables);
  if (!loaded.ok()) {
    std::string message = "the WEFTKIT_AUDIT_* configuration is invalid:";
    for (const std::string& problem : loaded.errors) message += "\n" + problem;
    return fail(WEFTKIT_INVALID_ARGUMENT, message, error);
  }
  if (!loaded.config->audit.enabled) return WEFTKIT_OK;  // no log, and no error: auditing is off
  return start(writer_options(loaded.config->audit), "WEFTKIT_AUDIT_OUTPUT=", out, error);
}

}  // namespace
}  // namespace weftkit::audit::c_api

extern "C" {

uint32_t weftkit_audit_api_version(void) { return WEFTKIT_AUDIT_API_VERSION; }

void weftkit_audit_options_init(weftkit_audit_options* options) {
  if (options == nullptr) return;
  *options = weftkit_audit_options{};
  // The defaults of WriterOptions, which are WEFTKIT_AUDIT_*'s.
  const weftkit::audit::WriterOptions defaults;
  options->max_bytes = defaults.max_bytes;
  options->overflow = defaults.overflow == weftkit::config::AuditOverflow::kDrop ? WEFTKIT_AUDIT_OVERFLOW_DROP
                                                                                  : WEFTKIT_AUDIT_OVERFLOW_BLOCK;
  switch (defaults.fsync) {
    case weftkit::config::AuditFsync::kAlways:
      options->fsync = WEFTKIT_AUDIT_FSYNC_ALWAYS;
      break;
    case weftkit::config::AuditFsync::kInterval:
      options->fsync = WEFTKIT_AUDIT_FSYNC_INTERVAL;
      break;
    case weftkit::config::AuditFsync::kNever:
      options->fsync = WEFTKIT_AUDIT_FSYNC_NEVER;
      break;
  }
}

weftkit_status weftkit_audit_open(const weftkit_audit_options* options, weftkit_audit_log** out,
                                  weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (options == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open: options and out must not be NULL", error);
    }
    weftkit::audit::WriterOptions writer_options;
    if (weftkit_status status = weftkit::audit::c_api::options_from_c(*options, writer_options, error);
        status != WEFTKIT_OK) {
      return status;
    }
    return weftkit::audit::c_api::start(std::move(writer_options), "", out, error);
  });
}

weftkit_status weftkit_audit_open_from_environment(weftkit_audit_log** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open_from_environment: out must not be NULL", error);
    }
    *out = nullptr;
    return weftkit::audit::c_api::open_configured(weftkit::config::process_environment(), out, error);
  });
}

weftkit_status weftkit_audit_open_from_variables(const char* const* variables, size_t count, weftkit_audit_log** out,
                                                 weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (out == nullptr || (variables == nullptr && count > 0)) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_open_from_variables: variables and out must not be NULL",
                  error);
    }
    weftkit::config::EnvironmentMap environment;
    const weftkit_status read = weftkit::c_api::environment_from_variables("weftkit_audit_open_from_variables", variables, count, environment, error);
    if (read != WEFTKIT_OK) return read;
    return weftkit::audit::c_api::open_configured(environment, out, error);
  });
}

void weftkit_audit_close(weftkit_audit_log* log) { delete log; }

}  // extern "C"
