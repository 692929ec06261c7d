// The integrity record of policy modules: writing it (the compiler, after linking) and checking
// it with the ELF headers (the loader, before dlopen). See policy_module_seal.h.
#include <weftkit/policy_module_seal.h>

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include <weftkit/policy_module_abi.h>
#include "runtime/src/elf_image_check.h"

namespace weftkit {
namespace {

static_assert(sizeof(weftkit_module_seal_v1) == WEFTKIT_MODULE_SEAL_SIZE, "the record has no padding");
static_assert(offsetof(weftkit_module_seal_v1, sha256) == WEFTKIT_MODULE_SEAL_DIGESTED_BYTES);
static_assert(offsetof(weftkit_module_seal_v1, end_magic) == WEFTKIT_MODULE_SEAL_SIZE - 8);
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the record is little-endian, read in place");

using Digest = std::array<uint8_t, 32>;

// SHA-256 of the module's bytes before the record, then the record's leading fields.
bool digest_of(std::span<const uint8_t> contents, const weftkit_module_seal_v1& record, Digest& digest) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  if (context == nullptr) return false;
  unsigned int length = 0;
  bool done = EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(context, contents.data(), contents.size()) == 1 &&
              EVP_DigestUpdate(context, &record, WEFTKIT_MODULE_SEAL_DIGESTED_BYTES) == 1 &&
              EVP_DigestFinal_ex(context, digest.data(), &length) == 1 && length == digest.size();
  EVP_MD_CTX_free(context);
  return done;
}

bool all_zero(const void* bytes, size_t length) {
  const auto* byte = static_cast<const uint8_t*>(bytes);
  for (size_t index = 0; index < length; ++index) {
    if (byte[index] != 0) return false;
  }
  return true;
}

bool has_record_at_end(std::span<const uint8_t> bytes) {
  if (bytes.size() < WEFTKIT_MODULE_SEAL_SIZE) return false;
  const uint8_t* record = bytes.data() + bytes.size() - WEFTKIT_MODULE_SEAL_SIZE;
  return std::memcmp(record, WEFTKIT_MODULE_SEAL_MAGIC, 8) == 0 &&
         std::memcmp(record + WEFTKIT_MODULE_SEAL_SIZE - 8, WEFTKIT_MODULE_SEAL_END_MAGIC, 8) == 0;
}

ModuleImageCheck refused(std::string reason, bool complete) {
  return {Status(StatusCode::kPolicyError, std::move(reason)), complete};
}

// No record at the end: a file cut short (a copy in progress, a full disk), one whose record is
// still to be written, or something that is not a sealed module at all.
ModuleImageCheck without_record(std::span<const uint8_t> bytes) {
  const uint64_t size = bytes.size();
  if (size == 0) return refused("the file is empty", false);
  static const uint8_t kElfMagic[4] = {0x7f, 'E', 'L', 'F'};
  if (std::memcmp(bytes.data(), kElfMagic, std::min<size_t>(size, 4)) != 0) {
    return refused("not a policy module (not an ELF file)", true);
  }
  std::optional<uint64_t> described = detail::elf_described_length(bytes);
  if (!described) return refused("truncated: " + std::to_string(size) + " bytes, shorter than an ELF header", false);
  if (size < *described) {
    // The record follows what the ELF headers describe, in a module written by the compiler.
    uint64_t expected = *described > UINT64_MAX - WEFTKIT_MODULE_SEAL_SIZE ? UINT64_MAX : *described + WEFTKIT_MODULE_SEAL_SIZE;
    return refused("truncated: " + std::to_string(size) + " of " + std::to_string(expected) + " bytes", false);
  }
  // A whole ELF file without a record (or with a damaged one): either its record is still
  // being written or it was never sealed (linked by hand); a reload waits a while for the former.
  return refused("not a policy module: it has no integrity record (modules are sealed by weftkit-policyc compile "
                 "--emit=so)",
                 false);
}

}  // namespace

ModuleImageCheck check_policy_module_image(std::span<const uint8_t> bytes) {
  if (!has_record_at_end(bytes)) return without_record(bytes);
  weftkit_module_seal_v1 record;
  std::memcpy(&record, bytes.data() + bytes.size() - WEFTKIT_MODULE_SEAL_SIZE, sizeof record);
  if (record.version != WEFTKIT_MODULE_SEAL_VERSION) {
    return refused("integrity record version " + std::to_string(record.version) + " is not one this runtime reads (" +
                       std::to_string(WEFTKIT_MODULE_SEAL_VERSION) + "): recompile the module",
                   true);
  }
  if (record.size != WEFTKIT_MODULE_SEAL_SIZE) return refused("damaged integrity record: wrong record size", true);
  if (record.file_length != bytes.size()) {
    if (record.file_length > bytes.size()) {
      return refused("truncated: " + std::to_string(bytes.size()) + " of " + std::to_string(record.file_length) + " bytes",
                     false);
    }
    return refused("length mismatch: the file has " + std::to_string(bytes.size()) +
                       " bytes, its integrity record says " + std::to_string(record.file_length),
                   false);
  }
  std::span<const uint8_t> contents = bytes.first(bytes.size() - WEFTKIT_MODULE_SEAL_SIZE);
  Digest digest{};
  if (!digest_of(contents, record, digest)) {
    return {Status(StatusCode::kInternal, "cannot compute SHA-256 (OpenSSL failed)"), true};
  }
  // A module being overwritten in place can show a new beginning before its new end.
  if (std::memcmp(digest.data(), record.sha256, digest.size()) != 0) return refused("checksum mismatch", false);
  if (record.signature_algorithm == WEFTKIT_MODULE_SIGNED_ED25519) {
    return refused("the module is signed (Ed25519), and this runtime does not check module signatures", true);
  }
  if (record.signature_algorithm != WEFTKIT_MODULE_UNSIGNED) {
    return refused("damaged integrity record: unknown signature algorithm " + std::to_string(record.signature_algorithm),
                   true);
  }
  if (record.reserved != 0 || !all_zero(record.signer_key_id, sizeof record.signer_key_id) ||
      !all_zero(record.signature, sizeof record.signature)) {
    return refused("damaged integrity record: signature fields set in an unsigned record", true);
  }
  // The digest matched, so these are the bytes the compiler wrote; a malformed header now means
  // a record forged over damaged bytes, which must still never reach the loader.
  if (std::string problem = detail::elf_image_problem(contents); !problem.empty()) {
    return refused("malformed ELF file: " + problem, true);
  }
  return {};
}

Status seal_policy_module(const std::string& path) {
  auto failure = [&path](const std::string& reason) {
    return Status(StatusCode::kInternal, "cannot seal policy module " + path + ": " + reason);
  };
  int file = open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (file < 0) return failure(std::strerror(errno));
  std::vector<uint8_t> bytes;
  struct stat status {};
  bool read_whole = fstat(file, &status) == 0 && S_ISREG(status.st_mode);
  if (read_whole) {
    bytes.resize(static_cast<size_t>(status.st_size));
    for (size_t done = 0; read_whole && done < bytes.size();) {
      ssize_t got = pread(file, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) read_whole = false;
      else done += static_cast<size_t>(got);
    }
  }
  if (!read_whole) {
    close(file);
    return failure("cannot read it as a regular file");
  }
  if (has_record_at_end(bytes)) {
    close(file);
    return failure("it is sealed already");
  }
  if (std::string problem = detail::elf_image_problem(bytes); !problem.empty()) {
    close(file);
    return failure("malformed ELF file: " + problem);
  }
  weftkit_module_seal_v1 record{};
  std::memcpy(record.magic, WEFTKIT_MODULE_SEAL_MAGIC, sizeof record.magic);
  record.version = WEFTKIT_MODULE_SEAL_VERSION;
  record.size = WEFTKIT_MODULE_SEAL_SIZE;
  record.file_length = bytes.size() + WEFTKIT_MODULE_SEAL_SIZE;
  record.signature_algorithm = WEFTKIT_MODULE_UNSIGNED;
  std::memcpy(record.end_magic, WEFTKIT_MODULE_SEAL_END_MAGIC, sizeof record.end_magic);
  Digest digest{};
  if (!digest_of(bytes, record, digest)) {
    close(file);
    return failure("cannot compute SHA-256 (OpenSSL failed)");
  }
  std::memcpy(record.sha256, digest.data(), digest.size());
  ssize_t written = pwrite(file, &record, sizeof record, static_cast<off_t>(bytes.size()));
  bool synced = written == static_cast<ssize_t>(sizeof record) && fsync(file) == 0;
  int error = errno;
  close(file);
  if (!synced) return failure(written < 0 || written == static_cast<ssize_t>(sizeof record) ? std::strerror(error) : "short write");
  return Status::ok();
}

}  // namespace weftkit
