// The crypto C API: a strict C99 caller's round trip, typed refusals with messages, NULL
// arguments, and code names that match the C++ ones.
#include <gtest/gtest.h>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/weftkit_crypto.h>

#include "tests/crypto/c_api_c99.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

TEST(CryptoCApi, AC99CallerSealsOpensAndIsRefusedAnotherTenantsPage) {
  testing::TempDir dir;
  char report[256];
  EXPECT_EQ(weftkit_crypto_c99_round_trip(dir.file("keyring").c_str(), testing::master_key_base64(1).c_str(), report,
                                          sizeof report),
            0)
      << report;
  EXPECT_STREQ(report, "wrong_tenant");
}

TEST(CryptoCApi, ErrorsCarryTheCodeAndTheMessage) {
  testing::TempDir dir;
  weftkit_keyring* keyring = reinterpret_cast<weftkit_keyring*>(1);
  weftkit_crypto_error* error = nullptr;
  EXPECT_EQ(weftkit_keyring_open_env(dir.file("missing").c_str(), testing::master_key_base64(1).c_str(), &keyring, &error),
            WEFTKIT_CRYPTO_IO_ERROR);
  EXPECT_EQ(keyring, nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, WEFTKIT_CRYPTO_IO_ERROR);
  EXPECT_EQ(std::string(error->message), "cannot open '" + dir.file("missing") + "': No such file or directory");
  weftkit_crypto_error_free(error);
  EXPECT_EQ(weftkit_keyring_create_env(dir.file("keyring").c_str(), "c2VjcmV0", &keyring, nullptr),
            WEFTKIT_CRYPTO_INVALID_MASTER_KEY);
}

TEST(CryptoCApi, NullArgumentsAreRefusedNotDereferenced) {
  weftkit_crypto_error* error = nullptr;
  size_t size = 0;
  uint8_t byte = 0;
  EXPECT_EQ(weftkit_keyring_open_env(nullptr, "x", nullptr, &error), WEFTKIT_CRYPTO_INVALID_ARGUMENT);
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(error->message, "a required pointer is NULL");
  weftkit_crypto_error_free(error);
  EXPECT_EQ(weftkit_page_encrypt(nullptr, 1, 1, 1, 1, &byte, 1, &byte, 1, &size, nullptr), WEFTKIT_CRYPTO_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_page_decrypt(nullptr, 1, 1, 1, 1, &byte, 1, &byte, 1, &size, nullptr), WEFTKIT_CRYPTO_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_keyring_rotate(nullptr, 1, nullptr, nullptr), WEFTKIT_CRYPTO_INVALID_ARGUMENT);
  weftkit_keyring_free(nullptr);
  weftkit_page_cipher_free(nullptr);
  weftkit_crypto_error_free(nullptr);
}

TEST(CryptoCApi, CodeNamesAreTheCppErrorNames) {
  EXPECT_STREQ(weftkit_crypto_code_name(WEFTKIT_CRYPTO_OK), "ok");
  for (int code = WEFTKIT_CRYPTO_AUTHENTICATION_FAILED; code <= WEFTKIT_CRYPTO_INTERNAL; ++code) {
    EXPECT_EQ(std::string(weftkit_crypto_code_name(static_cast<weftkit_crypto_code>(code))),
              std::string(error_code_name(static_cast<ErrorCode>(code - 1))));
  }
  EXPECT_STREQ(weftkit_crypto_code_name(WEFTKIT_CRYPTO_WRONG_TENANT), "wrong_tenant");
  EXPECT_STREQ(weftkit_crypto_code_name(WEFTKIT_CRYPTO_KEYRING_CHANGED), "keyring_changed");
  EXPECT_STREQ(weftkit_crypto_code_name(static_cast<weftkit_crypto_code>(99)), "unknown");
}

TEST(CryptoCApi, RotateRewrapAndRetireWorkThroughTheCApi) {
  testing::TempDir dir;
  weftkit_keyring* keyring = nullptr;
  ASSERT_EQ(weftkit_keyring_create_env(dir.file("keyring").c_str(), testing::master_key_base64(1).c_str(), &keyring, nullptr),
            WEFTKIT_CRYPTO_OK);
  uint32_t tenant = 0, version = 0, found = 0;
  ASSERT_EQ(weftkit_keyring_add_tenant(keyring, "t", &tenant, nullptr), WEFTKIT_CRYPTO_OK);
  ASSERT_EQ(weftkit_keyring_find_tenant(keyring, "t", &found, nullptr), WEFTKIT_CRYPTO_OK);
  EXPECT_EQ(found, tenant);
  ASSERT_EQ(weftkit_keyring_rotate(keyring, tenant, &version, nullptr), WEFTKIT_CRYPTO_OK);
  EXPECT_EQ(version, 2u);
  EXPECT_EQ(weftkit_keyring_retire(keyring, tenant, 2, nullptr), WEFTKIT_CRYPTO_VERSION_IN_USE);
  EXPECT_EQ(weftkit_keyring_retire(keyring, tenant, 1, nullptr), WEFTKIT_CRYPTO_OK);
  EXPECT_EQ(weftkit_keyring_rewrap_env(keyring, testing::master_key_base64(2).c_str(), nullptr), WEFTKIT_CRYPTO_OK);
  weftkit_keyring_free(keyring);
  weftkit_keyring* reopened = nullptr;
  EXPECT_EQ(weftkit_keyring_open_env(dir.file("keyring").c_str(), testing::master_key_base64(1).c_str(), &reopened, nullptr),
            WEFTKIT_CRYPTO_WRONG_MASTER_KEY);
  ASSERT_EQ(weftkit_keyring_open_env(dir.file("keyring").c_str(), testing::master_key_base64(2).c_str(), &reopened, nullptr),
            WEFTKIT_CRYPTO_OK);
  weftkit_keyring_free(reopened);
}

}  // namespace
}  // namespace weftkit::crypto
