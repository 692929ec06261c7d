// Unwrapped keys live in locked memory and are wiped when freed.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include <weftkit/crypto/secret_key.h>

namespace weftkit::crypto {
namespace {

// Kilobytes of this process's memory locked with mlock (VmLck in /proc/self/status).
long locked_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmLck:")) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(SecretKey, KeysLiveInLockedMemory) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ASan and TSan intercept mlock and make it a no-op that reports success";
#endif
  auto key = SecretKey::random();
  ASSERT_TRUE(key.ok()) << key.error().to_string();
  EXPECT_GE(locked_kib(), 64);  // at least the arena chunk holding this key
}

TEST(SecretKey, AFreedKeyIsWipedInPlace) {
  const std::uint8_t* slot = nullptr;
  {
    auto key = SecretKey::from_bytes(std::vector<std::uint8_t>(kKeySize, 0xA5));
    ASSERT_TRUE(key.ok());
    slot = key.value().bytes().data();
    ASSERT_TRUE(std::all_of(slot, slot + kKeySize, [](std::uint8_t b) { return b == 0xA5; }));
    SecretKey moved = std::move(key).value();  // a move hands the slot over, it does not copy
    EXPECT_EQ(moved.bytes().data(), slot);
  }
  // The slot stays mapped (the arena never unmaps), so reading it after the free is defined.
  EXPECT_TRUE(std::all_of(slot, slot + kKeySize, [](std::uint8_t b) { return b == 0; }));
}

TEST(SecretKey, RandomKeysDifferAndOnlyThirtyTwoByteKeysAreAccepted) {
  auto first = SecretKey::random().value();
  auto second = SecretKey::random().value();
  EXPECT_FALSE(std::equal(first.bytes().begin(), first.bytes().end(), second.bytes().begin()));
  auto short_key = SecretKey::from_bytes(std::vector<std::uint8_t>(31));
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.error().to_string(), "invalid_argument: a key is 32 bytes, not 31");
}

}  // namespace
}  // namespace weftkit::crypto
