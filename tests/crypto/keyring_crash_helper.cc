// Test helper for the crash-safety test: opens a keyring and rotates or rewraps it in a loop
// until it is killed. Test-only, so it reads its master keys from the environment
// (WEFTKIT_TEST_KEY_A / _B); the library itself never does.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/keyring.h>

using namespace weftkit::crypto;

namespace {

std::shared_ptr<KeyProvider> provider_from(const char* variable) {
  const char* text = std::getenv(variable);
  auto provider = make_env_key_provider(text == nullptr ? "" : text);
  if (!provider.ok()) {
    std::fprintf(stderr, "%s\n", provider.error().to_string().c_str());
    std::exit(2);
  }
  return provider.value();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s rotate|rewrap KEYRING\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  KeyringSettings settings;
  settings.path = argv[2];
  auto key_a = provider_from("WEFTKIT_TEST_KEY_A");
  auto key_b = provider_from("WEFTKIT_TEST_KEY_B");
  // After an earlier kill the keyring may be under either key.
  bool under_a = true;
  auto keyring = Keyring::open(settings, key_a);
  if (!keyring.ok() && keyring.code() == ErrorCode::kWrongMasterKey) {
    under_a = false;
    keyring = Keyring::open(settings, key_b);
  }
  if (!keyring.ok()) {
    std::fprintf(stderr, "%s\n", keyring.error().to_string().c_str());
    return 1;
  }
  std::size_t tenants = keyring.value()->status().tenants.size();
  for (std::uint64_t round = 0;; ++round) {
    Result<void> done;
    if (mode == "rotate") {
      auto rotated = keyring.value()->rotate(static_cast<TenantId>(1 + round % tenants));
      if (!rotated.ok()) done = rotated.error();
    } else {
      done = keyring.value()->rewrap(under_a ? key_b : key_a);
      under_a = !under_a;
    }
    if (!done.ok()) {
      std::fprintf(stderr, "%s\n", done.error().to_string().c_str());
      return 1;
    }
  }
}
