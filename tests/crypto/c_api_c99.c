/* The crypto C API used from strict C99: a keyring, two tenants, one page sealed, opened, and
 * refused to the other tenant. Called by c_api_test.cc. */
#include <stdio.h>
#include <string.h>

#include <weftkit/crypto/weftkit_crypto.h>

#include "tests/crypto/c_api_c99.h"

int weftkit_crypto_c99_round_trip(const char* keyring_path, const char* master_key_base64, char* report,
                                  size_t report_size) {
  weftkit_keyring* keyring = NULL;
  weftkit_page_cipher* cipher = NULL;
  weftkit_crypto_error* error = NULL;
  uint32_t tenant = 0, other = 0;
  uint8_t page[4096], sealed[4096 + 52], opened[4096];
  size_t sealed_size = 0, opened_size = 0;
  int result = 1;
  memset(page, 0x5a, sizeof page);
  report[0] = '\0';
  if (weftkit_keyring_create_env(keyring_path, master_key_base64, &keyring, &error) != WEFTKIT_CRYPTO_OK ||
      weftkit_keyring_add_tenant(keyring, "tenant-001", &tenant, &error) != WEFTKIT_CRYPTO_OK ||
      weftkit_keyring_add_tenant(keyring, "tenant-002", &other, &error) != WEFTKIT_CRYPTO_OK ||
      weftkit_page_cipher_create(keyring, &cipher, &error) != WEFTKIT_CRYPTO_OK ||
      weftkit_page_encrypt(cipher, tenant, 1, 2, 3, page, sizeof page, sealed, sizeof sealed, &sealed_size, &error) !=
          WEFTKIT_CRYPTO_OK ||
      weftkit_page_decrypt(cipher, tenant, 1, 2, 3, sealed, sealed_size, opened, sizeof opened, &opened_size, &error) !=
          WEFTKIT_CRYPTO_OK) {
    snprintf(report, report_size, "%s: %s", error ? weftkit_crypto_code_name(error->code) : "?",
             error ? error->message : "no message");
    goto done;
  }
  if (opened_size != sizeof page || memcmp(opened, page, sizeof page) != 0 || sealed_size != weftkit_sealed_page_size(4096)) {
    snprintf(report, report_size, "the page did not round-trip");
    goto done;
  }
  if (weftkit_page_decrypt(cipher, other, 1, 2, 3, sealed, sealed_size, opened, sizeof opened, &opened_size, &error) !=
      WEFTKIT_CRYPTO_WRONG_TENANT) {
    snprintf(report, report_size, "another tenant's read was not refused as wrong_tenant");
    goto done;
  }
  snprintf(report, report_size, "%s", weftkit_crypto_code_name(error->code));
  result = 0;
done:
  weftkit_crypto_error_free(error);
  weftkit_page_cipher_free(cipher);
  weftkit_keyring_free(keyring);
  return result;
}
