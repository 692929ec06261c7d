// `weftkit-policyc page encrypt|decrypt`: one page through the same PageCipher an engine uses,
// for tests, tooling and recovery. stdout carries page bytes, so a refusal's JSON goes to
// stderr, and nothing is written anywhere unless the cipher accepted the page.
#include <iostream>
#include <string>
#include <vector>

#include <weftkit/crypto/keyring.h>
#include <weftkit/crypto/page_cipher.h>
#include "tools/weftkit-policyc/command_line.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/crypto_setup.h"
#include "tools/weftkit-policyc/keys_command_line.h"
#include "tools/weftkit-policyc/page_io.h"

namespace weftkit::policy::cli {
namespace {

using crypto::Result;

int usage_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n\n" << page_usage_text();
  return kExitUsage;
}

int refused(const crypto::Error& error) {
  print_crypto_error(std::cerr, error);
  return kExitPolicyErrors;
}

int setup_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n";
  return kExitPolicyErrors;
}

}  // namespace

int run_page(const std::vector<std::string>& arguments) {
  ParsedKeysCommandLine parsed = parse_keys_command_line("page", arguments);
  if (!parsed.command_line) return usage_error(parsed.usage_error);
  const KeysCommandLine& line = *parsed.command_line;
  if (line.help) {
    std::cout << page_usage_text();
    return kExitOk;
  }
  ProviderSetup setup = key_provider_from_environment();
  if (!setup.provider) return kExitPolicyErrors;
  if (!setup.provider->ok()) return refused(setup.provider->error());
  Result<std::shared_ptr<crypto::Keyring>> keyring =
      crypto::Keyring::open(keyring_settings(line.keyring), setup.provider->value());
  if (!keyring.ok()) return refused(keyring.error());
  Result<crypto::TenantId> tenant = keyring.value()->find_tenant(line.tenants.front());
  if (!tenant.ok()) return refused(tenant.error());

  // One byte past the largest sealed page: anything longer is refused by the cipher all the same.
  PageInput input = read_page_input(line.in, crypto::sealed_page_size(crypto::kMaxPageSize) + 1);
  if (!input.error.empty()) return setup_error(input.error);

  crypto::PageCipher cipher(keyring.value());
  const crypto::PageId page{line.object, line.page};
  Result<std::vector<std::uint8_t>> result = line.subcommand == "encrypt"
                                                 ? cipher.encrypt(tenant.value(), page, line.version, input.bytes)
                                                 : cipher.decrypt(tenant.value(), page, line.version, input.bytes);
  if (!result.ok()) return refused(result.error());
  if (std::string error = write_page_output(line.out, result.value()); !error.empty()) return setup_error(error);
  return kExitOk;
}

}  // namespace weftkit::policy::cli
