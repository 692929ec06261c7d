#include "kernel_services.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <weftkit/auth/from_config.h>
#include <weftkit/auth/policy_directory.h>
#include <weftkit/crypto/from_config.h>
#include <weftkit/crypto/key_provider.h>

namespace weftkit_kv {
namespace {

using weftkit::Status;
using weftkit::StatusCode;

Status failed(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

weftkit::StatusOr<weftkit::config::Config> load_configuration() {
  weftkit::config::ConfigResult loaded = weftkit::config::load_config(weftkit::config::process_environment());
  for (const std::string& warning : loaded.warnings) std::cerr << "weftkit-kv: warning: " << warning << "\n";
  if (!loaded.ok()) {
    std::string message = "the WEFTKIT_* configuration is not valid:";
    for (const std::string& error : loaded.errors) message += "\n  " + error;
    return failed(message);
  }
  return *loaded.config;
}

Status make_private_directory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return failed("cannot create the data directory " + path + ": " + error.message());
  if (chmod(path.c_str(), 0700) != 0) return failed("cannot make the data directory " + path + " private");
  return Status::ok();
}

// The keyring under the data directory, opened with the provider WEFTKIT_KEY_PROVIDER names,
// or created on the first start. Opening verifies the file under the master key: a wrong key
// stops the engine here, before any page is read.
weftkit::StatusOr<std::shared_ptr<weftkit::crypto::Keyring>> open_keyring(const KernelServices& services) {
  namespace crypto = weftkit::crypto;
  auto provider = crypto::make_key_provider(crypto::key_provider_settings_from_config(services.config.encryption));
  if (!provider) return failed("key provider: " + provider.error().to_string());
  crypto::KeyringSettings settings;
  settings.path = services.data_dir + "/keyring";
  settings.audit_sink = services.audit;
  settings.audit_identity = "weftkit-kv";
  bool exists = std::filesystem::exists(settings.path);
  auto keyring = exists ? crypto::Keyring::open(settings, provider.value())
                        : crypto::Keyring::create(settings, provider.value());
  if (!keyring) return failed("keyring " + settings.path + ": " + keyring.error().to_string());
  return keyring.value();
}

Status start_logins(KernelServices& services) {
  using weftkit::config::AuthMode;
  if (!services.config.auth.mode) return failed("WEFTKIT_AUTH is not set: no request could log in (use jwt or mtls)");
  auto tenants = weftkit::auth::tenant_lookup_from(services.store);
  switch (*services.config.auth.mode) {
    case AuthMode::kJwt: {
      auto tokens = weftkit::auth::jwt_verifier_from_config(
          services.config.auth, weftkit::auth::role_exists_in(services.store), tenants, services.audit);
      if (!tokens.is_ok()) return tokens.status();
      services.tokens = std::move(tokens).value();
      return Status::ok();
    }
    case AuthMode::kMtls: {
      auto certificates = weftkit::auth::mtls_verifier_from_config(services.config.auth, tenants, services.audit);
      if (!certificates.is_ok()) return certificates.status();
      services.certificates.emplace(std::move(certificates).value());
      return Status::ok();
    }
    case AuthMode::kPassword:
      break;
  }
  return failed("WEFTKIT_AUTH=password is not offered by weftkit-kv, whose clients send a bearer token or a "
                "client certificate: use WEFTKIT_AUTH=jwt or WEFTKIT_AUTH=mtls");
}

// HTTPS only: without a certificate there is no engine. Under mtls the handshake asks for a
// client certificate signed by WEFTKIT_TLS_CA, or by WEFTKIT_MTLS_CA when that is not set.
Status start_tls(KernelServices& services) {
  const weftkit::config::Config& config = services.config;
  if (!config.tls.cert || !config.tls.key) {
    return failed("WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY must be set: weftkit-kv serves HTTPS only");
  }
  weftkit::auth::TlsServerFiles files{*config.tls.cert, *config.tls.key, config.tls.ca};
  if (config.auth.mode == weftkit::config::AuthMode::kMtls && !files.ca_file) files.ca_file = config.auth.mtls_ca;
  auto tls = weftkit::auth::TlsServerContext::load(files);
  if (!tls.is_ok()) return tls.status();
  services.tls = std::move(tls).value();
  return Status::ok();
}

// The first policy version and the watcher that replaces it: compiled from the policy files
// here (PolicyCompiler, LLVM's JIT), or loaded from a module compiled ahead of time (the thin
// runtime's loader checks its seal first). Either way an edit that does not load is reported
// and changes nothing: the last good version serves.
Status start_policies(KernelServices& services, const EngineOptions& options) {
  auto report = [](const weftkit::ReloadEvent& reload) {
    if (reload.status.is_ok()) {
      std::cerr << "weftkit-kv: policy reloaded, generation " << reload.generation << "\n";
    } else {
      std::cerr << "weftkit-kv: policy reload refused, the previous version keeps serving:\n"
                << reload.status.message() << "\n";
    }
  };
  if (!options.module_file.empty()) {
    auto version = weftkit::load_policy_module(options.module_file);
    if (!version.is_ok()) return version.status();
    services.store = std::make_shared<weftkit::PolicyStore>(std::move(version).value());
    if (services.audit) services.store->set_audit_sink(services.audit);
    auto watcher = weftkit::PolicyModuleWatcher::start(*services.store, options.module_file,
                                                       std::chrono::milliseconds(100), report);
    if (!watcher.is_ok()) return watcher.status();
    services.module_watcher = std::move(watcher).value();
    return Status::ok();
  }
  auto compiler = weftkit::PolicyCompiler::create();
  if (!compiler.is_ok()) return compiler.status();
  auto version = compiler.value().compile(options.policy_files);
  if (!version.is_ok()) return version.status();
  services.store = std::make_shared<weftkit::PolicyStore>(std::move(version).value());
  if (services.audit) services.store->set_audit_sink(services.audit);
  auto watcher = weftkit::PolicyWatcher::start(compiler.value(), *services.store, options.policy_files,
                                               std::chrono::milliseconds(100), report);
  if (!watcher.is_ok()) return watcher.status();
  services.watcher = std::move(watcher).value();
  return Status::ok();
}

}  // namespace

KernelServices::~KernelServices() {
  watcher.reset();
  module_watcher.reset();
  if (store) store->set_audit_sink(nullptr);
  if (audit) audit->stop();
}

weftkit::StatusOr<std::unique_ptr<KernelServices>> start_kernel_services(const EngineOptions& options) {
  auto services = std::make_unique<KernelServices>();
  auto config = load_configuration();
  if (!config.is_ok()) return config.status();
  services->config = std::move(config).value();
  services->data_dir = services->config.data_dir.value_or("./data");
  if (Status made = make_private_directory(services->data_dir); !made.is_ok()) return made;

  if (services->config.audit.enabled) {
    auto writer = weftkit::audit::AuditWriter::open(weftkit::audit::writer_options(services->config.audit));
    if (!writer.is_ok()) return writer.status();
    services->audit = std::shared_ptr<weftkit::audit::AuditWriter>(std::move(writer).value());
  }

  if (Status policies = start_policies(*services, options); !policies.is_ok()) return policies;

  if (Status logins = start_logins(*services); !logins.is_ok()) return logins;
  if (Status tls = start_tls(*services); !tls.is_ok()) return tls;
  if (services->config.encryption.encryption == weftkit::config::Encryption::kAes256Gcm) {
    auto keyring = open_keyring(*services);
    if (!keyring.is_ok()) return keyring.status();
    services->keyring = std::move(keyring).value();
  }
  return services;
}

}  // namespace weftkit_kv
