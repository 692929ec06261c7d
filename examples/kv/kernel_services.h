// Everything weftkit-kv takes from the kernel, built once at start from the WEFTKIT_*
// variables: the policy store (compiled from the policy files, reloaded when they change),
// the audit log, the TLS 1.3 context, the login backend and the keyring of per-tenant keys.
// A relational or any other engine starts the same way; only the wire protocol differs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <weftkit/audit/writer.h>
#include <weftkit/auth/jwt.h>
#include <weftkit/auth/mtls.h>
#include <weftkit/auth/tls_server.h>
#include <weftkit/config.h>
#include <weftkit/crypto/keyring.h>
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>

#include "engine_options.h"

namespace weftkit_kv {

struct KernelServices {
  weftkit::config::Config config;
  std::string data_dir;  // WEFTKIT_DATA_DIR, default ./data; created (0700) when missing
  // Declared before the store: destroyed after it, so the store never holds a dangling sink.
  std::shared_ptr<weftkit::audit::AuditWriter> audit;  // null while WEFTKIT_AUDIT is off
  std::shared_ptr<weftkit::PolicyStore> store;
  // One of the two watchers, destroyed first: each reloads into the store.
  std::unique_ptr<weftkit::PolicyWatcher> watcher;               // --policy: compiled here (JIT)
  std::unique_ptr<weftkit::PolicyModuleWatcher> module_watcher;  // --module: compiled ahead of time
  std::unique_ptr<weftkit::auth::TlsServerContext> tls;
  std::unique_ptr<weftkit::auth::JwtVerifier> tokens;        // WEFTKIT_AUTH=jwt
  std::optional<weftkit::auth::MtlsVerifier> certificates;   // WEFTKIT_AUTH=mtls
  std::shared_ptr<weftkit::crypto::Keyring> keyring;         // null while WEFTKIT_ENCRYPTION is off

  ~KernelServices();
};

// Reads the configuration and starts every service; an error names every problem found (all
// configuration errors at once) and starts nothing.
weftkit::StatusOr<std::unique_ptr<KernelServices>> start_kernel_services(const EngineOptions& options);

}  // namespace weftkit_kv
