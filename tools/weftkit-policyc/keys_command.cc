// `weftkit-policyc keys init|add-tenant|rotate|rewrap|status`: the operator's view of the
// keyring. Every change goes through the crypto library's Keyring (written atomically, under its
// lock); this file only maps the command line onto it and prints the outcome as JSON. No key
// material is ever printed: status shows versions and page reservations only. With
// WEFTKIT_AUDIT=true, rotate and rewrap are recorded in the audit log by the keyring itself.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <weftkit/config.h>
#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/keyring.h>
#include "tools/weftkit-policyc/audit_setup.h"
#include "tools/weftkit-policyc/command_line.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/crypto_setup.h"
#include "tools/weftkit-policyc/keys_command_line.h"
#include "tools/weftkit-policyc/keys_new_provider.h"

namespace weftkit::policy::cli {
namespace {

using crypto::Keyring;
using crypto::KeyProvider;
using crypto::Result;

int usage_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n\n" << keys_usage_text();
  return kExitUsage;
}

int refused(const crypto::Error& error) {
  print_crypto_error(std::cout, error);
  return kExitPolicyErrors;
}

// The keyring's state: what status prints, and what every change prints after it.
nlohmann::ordered_json status_json(const std::string& path, const crypto::KeyringStatus& status) {
  nlohmann::ordered_json tenants = nlohmann::ordered_json::array();
  for (const crypto::TenantStatus& tenant : status.tenants) {
    nlohmann::ordered_json versions = nlohmann::ordered_json::array();
    for (const crypto::KeyVersionStatus& version : tenant.versions) {
      versions.push_back({{"version", version.version},
                          {"current", version.current},
                          {"pages_reserved", version.pages_reserved}});
    }
    tenants.push_back({{"tenant", tenant.name},
                       {"id", static_cast<std::uint32_t>(tenant.id)},
                       {"current_version", tenant.current_version},
                       {"versions", std::move(versions)}});
  }
  return {{"keyring", path}, {"provider", status.provider}, {"generation", status.generation},
          {"tenants", std::move(tenants)}};
}

int print_status(const std::string& path, const Keyring& keyring, nlohmann::ordered_json change = {}) {
  nlohmann::ordered_json out = change.is_null() ? nlohmann::ordered_json::object() : std::move(change);
  nlohmann::ordered_json status = status_json(path, keyring.status());
  for (auto& [name, value] : status.items()) out[name] = value;
  std::cout << out.dump() << "\n";
  return kExitOk;
}

int run_init(const KeysCommandLine& line, std::shared_ptr<KeyProvider> provider) {
  Result<std::shared_ptr<Keyring>> keyring = Keyring::create(keyring_settings(line.keyring), std::move(provider));
  if (!keyring.ok()) return refused(keyring.error());
  if (!line.tenants.empty()) {
    // All or none; a failure here leaves an empty keyring, which `keys add-tenant` completes.
    Result<std::vector<crypto::TenantId>> added = keyring.value()->add_tenants(line.tenants);
    if (!added.ok()) return refused(added.error());
  }
  return print_status(line.keyring, *keyring.value());
}

int run_add_tenant(const KeysCommandLine& line, Keyring& keyring) {
  Result<std::vector<crypto::TenantId>> added = keyring.add_tenants(line.tenants);
  if (!added.ok()) return refused(added.error());
  return print_status(line.keyring, keyring, {{"added", line.tenants}});
}

// Each tenant's rotation is its own file write: when one fails, the earlier ones stay rotated
// (harmless: a rotation only adds a version), and the message says which were done.
int run_rotate(const KeysCommandLine& line, Keyring& keyring) {
  std::vector<std::string> names = line.tenants;
  if (line.all) {
    for (const crypto::TenantStatus& tenant : keyring.status().tenants) names.push_back(tenant.name);
  }
  nlohmann::ordered_json rotated = nlohmann::ordered_json::array();
  std::string done;
  for (const std::string& name : names) {
    Result<crypto::TenantId> tenant = keyring.find_tenant(name);
    Result<std::uint32_t> version = tenant.ok() ? keyring.rotate(tenant.value()) : Result<std::uint32_t>(tenant.error());
    if (!version.ok()) {
      if (done.empty()) return refused(version.error());
      return refused(crypto::Error(version.code(), version.error().message() + " (already rotated: " + done + ")"));
    }
    rotated.push_back({{"tenant", name}, {"key_version", version.value()}});
    done += (done.empty() ? "" : ", ") + name;
  }
  return print_status(line.keyring, keyring, {{"rotated", std::move(rotated)}});
}

int run_rewrap_to_new_provider(const KeysCommandLine& line, Keyring& keyring) {
  ProviderSetup setup = new_key_provider_from_environment();
  if (!setup.provider) return kExitPolicyErrors;
  if (!setup.provider->ok()) {
    return refused(crypto::Error(setup.provider->code(), "new provider: " + setup.provider->error().message()));
  }
  // The keyring asks the new provider for a new authentication key and to wrap every data key,
  // and writes the file only when all of that worked: a failure leaves it under the old one.
  Result<void> rewrapped = keyring.rewrap(setup.provider->value());
  if (!rewrapped.ok()) return refused(rewrapped.error());
  return print_status(line.keyring, keyring, {{"rewrapped", true}});
}

int run_rewrap(const KeysCommandLine& line, Keyring& keyring) {
  if (line.to_new_provider) return run_rewrap_to_new_provider(line, keyring);
  const char* text = std::getenv(line.new_key_env->c_str());
  if (text == nullptr) {
    std::cerr << "weftkit-policyc: error: 'keys rewrap --new-key-env " << *line.new_key_env << "': " << *line.new_key_env
              << " is not set (it holds the new master key, base64 of 32 bytes)\n";
    return kExitPolicyErrors;
  }
  // The env provider's parser says what it found (length, decoded size), never the text.
  Result<std::shared_ptr<KeyProvider>> new_provider = crypto::make_env_key_provider(text);
  if (!new_provider.ok()) {
    return refused(crypto::Error(new_provider.code(), *line.new_key_env + ": " + new_provider.error().message()));
  }
  Result<void> rewrapped = keyring.rewrap(new_provider.value());
  if (!rewrapped.ok()) return refused(rewrapped.error());
  return print_status(line.keyring, keyring, {{"rewrapped", true}});
}

int run_keys_audited(const KeysCommandLine& line, const std::shared_ptr<audit::AuditSink>& sink);

}  // namespace

int run_keys(const std::vector<std::string>& arguments) {
  ParsedKeysCommandLine parsed = parse_keys_command_line("keys", arguments);
  if (!parsed.command_line) return usage_error(parsed.usage_error);
  const KeysCommandLine& line = *parsed.command_line;
  if (line.help) {
    std::cout << keys_usage_text();
    return kExitOk;
  }
  if (line.new_key_env) {
    // Left out of the configuration check below, so it must not hide one of its variables.
    for (std::string_view known : config::known_variables()) {
      if (known == *line.new_key_env) {
        return usage_error("option '--new-key-env' names " + *line.new_key_env +
                           ", a WeftKit setting; put the new key in a variable of its own");
      }
    }
  }
  CliAudit audit = open_cli_audit();
  if (audit.failed) return kExitUsage;
  return finish_cli_audit(audit, run_keys_audited(line, audit.writer));
}

namespace {

int run_keys_audited(const KeysCommandLine& line, const std::shared_ptr<audit::AuditSink>& sink) {
  // The WEFTKIT_NEW_* variables are the new provider's, read by run_rewrap_to_new_provider.
  ProviderSetup setup =
      key_provider_from_environment(line.new_key_env.value_or(""), line.to_new_provider ? kNewProviderPrefix : "");
  if (!setup.provider) return kExitPolicyErrors;
  if (!setup.provider->ok()) return refused(setup.provider->error());
  std::shared_ptr<KeyProvider> provider = setup.provider->value();
  if (line.subcommand == "init") return run_init(line, std::move(provider));

  crypto::KeyringSettings settings = keyring_settings(line.keyring);
  settings.audit_sink = sink;
  settings.audit_identity = cli_operator();
  Result<std::shared_ptr<Keyring>> keyring = Keyring::open(std::move(settings), std::move(provider));
  if (!keyring.ok()) return refused(keyring.error());
  if (line.subcommand == "add-tenant") return run_add_tenant(line, *keyring.value());
  if (line.subcommand == "rotate") return run_rotate(line, *keyring.value());
  if (line.subcommand == "rewrap") return run_rewrap(line, *keyring.value());
  return print_status(line.keyring, *keyring.value());
}

}  // namespace

}  // namespace weftkit::policy::cli
