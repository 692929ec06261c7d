// A damaged or half-written policy module never loads and never crashes the engine: the
// loader checks the integrity record (length and SHA-256 of the whole file) and the ELF headers
// on its private copy before anything of the file is mapped, refuses with the reason, and a
// refused reload leaves the serving version in place.
#include <gtest/gtest.h>

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <future>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>

#include <weftkit/policy_module.h>
#include <weftkit/policy_module_abi.h>
#include <weftkit/policy_module_seal.h>
#include "tests/runtime/module_test_files.h"

namespace weftkit {
namespace {

using testing::ScratchDirectory;

std::span<const uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// The module's own reasons: what comes after "cannot load policy module PATH: ".
std::string reason_for(const StatusOr<std::shared_ptr<const PolicyVersion>>& loaded, const std::string& path) {
  if (loaded.is_ok()) return "(loaded)";
  const std::string prefix = "cannot load policy module " + path + ": ";
  const std::string& message = loaded.status().message();
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : "(unexpected message) " + message;
}

class ModuleIntegrity : public ::testing::Test {
 protected:
  void SetUp() override {
    module_a_ = testing::read_bytes(WEFTKIT_TEST_MODULE_A);
    ASSERT_GT(module_a_.size(), 100000u) << "the test modules were not built";
  }

  // A store serving module A, as an engine would before a reload arrives.
  std::unique_ptr<PolicyStore> store_serving_a() {
    StatusOr<std::shared_ptr<const PolicyVersion>> version = load_policy_module(WEFTKIT_TEST_MODULE_A);
    if (!version.is_ok()) ADD_FAILURE() << version.status().message();
    return std::make_unique<PolicyStore>(std::move(version).value());
  }

  ScratchDirectory scratch_;
  std::string module_a_;
};

TEST_F(ModuleIntegrity, CompiledModuleEndsWithItsRecordOfLengthAndDigest) {
  weftkit_module_seal_v1 record;
  std::memcpy(&record, module_a_.data() + module_a_.size() - sizeof record, sizeof record);
  EXPECT_EQ(std::string(record.magic, 8), WEFTKIT_MODULE_SEAL_MAGIC);
  EXPECT_EQ(std::string(record.end_magic, 8), WEFTKIT_MODULE_SEAL_END_MAGIC);
  EXPECT_EQ(record.version, WEFTKIT_MODULE_SEAL_VERSION);
  EXPECT_EQ(record.file_length, module_a_.size());
  EXPECT_EQ(record.signature_algorithm, static_cast<uint32_t>(WEFTKIT_MODULE_UNSIGNED));
  ModuleImageCheck checked = check_policy_module_image(as_bytes(module_a_));
  EXPECT_TRUE(checked.status.is_ok()) << checked.status.message();
  // The record is exactly what sealing the unsealed bytes writes.
  EXPECT_EQ(testing::with_forged_seal(testing::without_seal(module_a_)), module_a_);
}

TEST_F(ModuleIntegrity, ModuleCutAtEvery64thOfItsLengthIsRefusedWithBothLengths) {
  std::unique_ptr<PolicyStore> store = store_serving_a();
  const std::string path = scratch_.path("policy.so");
  for (size_t part = 0; part < 64; ++part) {
    const size_t length = module_a_.size() * part / 64;
    testing::write_bytes(path, module_a_.substr(0, length));
    StatusOr<std::shared_ptr<const PolicyVersion>> loaded = load_policy_module(path);
    ASSERT_FALSE(loaded.is_ok()) << length;
    EXPECT_EQ(loaded.status().code(), StatusCode::kPolicyError);
    std::string expected = length == 0 ? "the file is empty"
                                       : "truncated: " + std::to_string(length) + " of " +
                                             std::to_string(module_a_.size()) + " bytes";
    EXPECT_EQ(reason_for(loaded, path), expected);
    // As a reload: refused after its (short) wait, and the store keeps serving A.
    Status reloaded = reload_policy_module(*store, path, {std::chrono::milliseconds(1), std::chrono::milliseconds(0)});
    EXPECT_EQ(reloaded.message(), "cannot load policy module " + path + ": " + expected);
  }
  EXPECT_EQ(store->generation(), 1u);
  EXPECT_FALSE(testing::alice_may_insert(*store));
}

// The sanitizer runs sample one flip in WK_TEST_BIT_FLIP_SAMPLING (the Makefile sets it): each
// load there is over ten times slower, and a fifth of the flips reaches the same checks.
int bit_flip_sampling() {
  const char* configured = std::getenv("WK_TEST_BIT_FLIP_SAMPLING");
  int sampling = configured != nullptr ? std::atoi(configured) : 1;
  return sampling >= 1 ? sampling : 1;
}

TEST_F(ModuleIntegrity, ModuleWithAnyOneBitFlippedIsRefused) {
  std::unique_ptr<PolicyStore> store = store_serving_a();
  const std::string path = scratch_.path("policy.so");
  std::mt19937_64 random(20261207);
  std::map<std::string, int> reasons;
  const int flips = 1000 / bit_flip_sampling();
  for (int flip = 0; flip < flips; ++flip) {
    std::string damaged = module_a_;
    const size_t bit = random() % (damaged.size() * 8);
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    testing::write_bytes(path, damaged);
    StatusOr<std::shared_ptr<const PolicyVersion>> loaded = load_policy_module(path);
    ASSERT_FALSE(loaded.is_ok()) << "bit " << bit << " flipped, and the module loaded";
    std::string reason = reason_for(loaded, path);
    // Grouped by kind: the digest, or, for a bit of the record itself, what it broke there.
    std::string kind = reason.substr(0, std::min(reason.find_first_of(":0123456789("), reason.size()));
    ++reasons[kind];
    bool in_record = bit / 8 >= damaged.size() - WEFTKIT_MODULE_SEAL_SIZE;
    if (!in_record) {
      EXPECT_EQ(reason, "checksum mismatch") << "bit " << bit;
    }
    if (flip % 50 == 0) {
      Status reloaded = reload_policy_module(*store, path, {std::chrono::milliseconds(1), std::chrono::milliseconds(0)});
      EXPECT_FALSE(reloaded.is_ok());
    }
  }
  for (const auto& [kind, count] : reasons) std::printf("  %4d x %s\n", count, kind.c_str());
  EXPECT_GT(reasons["checksum mismatch"], flips * 9 / 10);
  EXPECT_EQ(store->generation(), 1u);
  EXPECT_FALSE(testing::alice_may_insert(*store));
}

TEST_F(ModuleIntegrity, AnyBitOfTheRecordFlippedIsRefused) {
  const std::string path = scratch_.path("policy.so");
  const size_t record = module_a_.size() - WEFTKIT_MODULE_SEAL_SIZE;
  const int sampling = bit_flip_sampling();
  for (size_t bit = record * 8; bit < module_a_.size() * 8; bit += sampling) {
    std::string damaged = module_a_;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    ModuleImageCheck checked = check_policy_module_image(as_bytes(damaged));
    EXPECT_EQ(checked.status.code(), StatusCode::kPolicyError) << "bit " << bit - record * 8 << " of the record";
  }
  // And through the loader, for one bit of each field.
  for (size_t offset : {0, 8, 12, 16, 24, 56, 60, 64, 96, 160}) {
    std::string damaged = module_a_;
    damaged[record + offset] = static_cast<char>(damaged[record + offset] ^ 0x10);
    testing::write_bytes(path, damaged);
    EXPECT_FALSE(load_policy_module(path).is_ok()) << "byte " << offset << " of the record";
  }
}

TEST_F(ModuleIntegrity, EveryFieldOfTheRecordIsChecked) {
  const std::string path = scratch_.path("policy.so");
  const size_t record = module_a_.size() - WEFTKIT_MODULE_SEAL_SIZE;
  auto with_byte = [&](size_t offset, uint8_t value) {
    std::string changed = module_a_;
    changed[record + offset] = static_cast<char>(value);
    return changed;
  };
  // The record's file length (offset 16, 64-bit little-endian) replaced as a whole: changing
  // one byte would carry into no other (a size ending in 0x00 less one byte is not size - 1).
  auto with_length = [&](uint64_t length) {
    std::string changed = module_a_;
    for (size_t index = 0; index < 8; ++index) changed[record + 16 + index] = static_cast<char>(length >> (8 * index));
    return changed;
  };
  struct Case {
    std::string bytes;
    std::string reason;
  };
  const std::string size = std::to_string(module_a_.size());
  std::vector<Case> cases = {
      {with_byte(0, 'X'), "not a policy module: it has no integrity record (modules are sealed by weftkit-policyc compile --emit=so)"},
      {with_byte(WEFTKIT_MODULE_SEAL_SIZE - 1, 'X'), "not a policy module: it has no integrity record (modules are sealed by weftkit-policyc compile --emit=so)"},
      {with_byte(8, 2), "integrity record version 2 is not one this runtime reads (1): recompile the module"},
      {with_byte(12, 0), "damaged integrity record: wrong record size"},
      {with_length(module_a_.size() + 1), "truncated: " + size + " of " + std::to_string(module_a_.size() + 1) + " bytes"},
      {with_length(module_a_.size() - 1),
       "length mismatch: the file has " + size + " bytes, its integrity record says " + std::to_string(module_a_.size() - 1)},
      {with_byte(24, static_cast<uint8_t>(module_a_[record + 24] ^ 1)), "checksum mismatch"},
      {with_byte(56, 1), "the module is signed (Ed25519), and this runtime does not check module signatures"},
      {with_byte(56, 7), "damaged integrity record: unknown signature algorithm 7"},
      {with_byte(60, 1), "damaged integrity record: signature fields set in an unsigned record"},
      {with_byte(64, 1), "damaged integrity record: signature fields set in an unsigned record"},
      {with_byte(159, 1), "damaged integrity record: signature fields set in an unsigned record"},
      {module_a_ + "appended", "not a policy module: it has no integrity record (modules are sealed by weftkit-policyc compile --emit=so)"},
  };
  for (const Case& each : cases) {
    testing::write_bytes(path, each.bytes);
    EXPECT_EQ(reason_for(load_policy_module(path), path), each.reason);
  }
}

// A record recomputed over damaged bytes (by accident or by a tool that seals anything) still
// never lets the loader map past the file or read outside its segments.
class ForgedRecord : public ModuleIntegrity {
 protected:
  void SetUp() override {
    ModuleIntegrity::SetUp();
    elf_ = testing::without_seal(module_a_);
  }

  std::string elf_;

  Elf64_Ehdr header() const {
    Elf64_Ehdr value;
    std::memcpy(&value, elf_.data(), sizeof value);
    return value;
  }
  void set_header(const Elf64_Ehdr& value) { std::memcpy(elf_.data(), &value, sizeof value); }
  Elf64_Phdr segment(size_t index) const {
    Elf64_Phdr value;
    std::memcpy(&value, elf_.data() + header().e_phoff + index * sizeof value, sizeof value);
    return value;
  }
  void set_segment(size_t index, const Elf64_Phdr& value) {
    std::memcpy(elf_.data() + header().e_phoff + index * sizeof value, &value, sizeof value);
  }
  size_t first_segment_of_type(uint32_t type) const {
    for (size_t index = 0; index < header().e_phnum; ++index) {
      if (segment(index).p_type == type) return index;
    }
    ADD_FAILURE() << "no segment of type " << type;
    return 0;
  }
  std::string load_reason() {
    const std::string path = scratch_.path("forged.so");
    testing::write_bytes(path, testing::with_forged_seal(elf_));
    return reason_for(load_policy_module(path), path);
  }
};

TEST_F(ForgedRecord, CutModuleResealedIsRefusedForItsSegmentsNotMappedPastTheEnd) {
  // The SIGBUS case: the loader would map the last segments past the end of the copy.
  elf_.resize(elf_.size() / 2);
  std::string reason = load_reason();
  EXPECT_EQ(reason.rfind("malformed ELF file: ", 0), 0u) << reason;
  EXPECT_NE(reason.find("lies past the end of the file"), std::string::npos) << reason;
}

TEST_F(ForgedRecord, LoadSegmentEndingPastTheFileIsRefused) {
  size_t index = first_segment_of_type(PT_LOAD);
  Elf64_Phdr load = segment(index);
  load.p_filesz = elf_.size() - load.p_offset + 4096;
  load.p_memsz = std::max(load.p_memsz, load.p_filesz);
  set_segment(index, load);
  EXPECT_EQ(load_reason(), "malformed ELF file: segment " + std::to_string(index) +
                               " (LOAD) lies past the end of the file: it ends at byte " +
                               std::to_string(load.p_offset + load.p_filesz) + " of " + std::to_string(elf_.size()));
}

TEST_F(ForgedRecord, HeadersOutsideTheFileAndForeignFilesAreRefused) {
  Elf64_Ehdr original = header();
  Elf64_Ehdr changed = original;
  changed.e_phoff = elf_.size() - 10;
  set_header(changed);
  EXPECT_EQ(load_reason(), "malformed ELF file: the program headers lie past the end of the file");
  changed = original;
  changed.e_shoff = elf_.size();
  set_header(changed);
  EXPECT_EQ(load_reason(), "malformed ELF file: the section headers lie past the end of the file");
  changed = original;
  changed.e_type = ET_EXEC;
  set_header(changed);
  EXPECT_EQ(load_reason(), "malformed ELF file: not a shared library (ELF type 2)");
  changed = original;
  changed.e_machine = EM_RISCV;
  set_header(changed);
  EXPECT_EQ(load_reason(), "malformed ELF file: built for ELF machine 243, this one is " + std::to_string(original.e_machine));
  changed = original;
  changed.e_ident[EI_CLASS] = ELFCLASS32;
  set_header(changed);
  EXPECT_EQ(load_reason(), "malformed ELF file: not a 64-bit ELF file");
  changed = original;
  changed.e_phnum = 0;
  set_header(changed);
  EXPECT_EQ(load_reason(), "malformed ELF file: no usable program header table");
}

TEST_F(ForgedRecord, SegmentWithMoreFileBytesThanMemoryIsRefused) {
  size_t index = first_segment_of_type(PT_LOAD);
  Elf64_Phdr load = segment(index);
  load.p_memsz = load.p_filesz - 1;
  set_segment(index, load);
  EXPECT_EQ(load_reason(), "malformed ELF file: segment " + std::to_string(index) + " (LOAD) has more file bytes than memory");
}

TEST_F(ForgedRecord, DynamicTableEntryPointingOutsideTheSegmentsIsRefused) {
  Elf64_Phdr dynamic = segment(first_segment_of_type(PT_DYNAMIC));
  for (uint64_t offset = 0; offset + sizeof(Elf64_Dyn) <= dynamic.p_filesz; offset += sizeof(Elf64_Dyn)) {
    Elf64_Dyn entry;
    std::memcpy(&entry, elf_.data() + dynamic.p_offset + offset, sizeof entry);
    if (entry.d_tag != DT_STRTAB) continue;
    entry.d_un.d_ptr = uint64_t{1} << 40;
    std::memcpy(elf_.data() + dynamic.p_offset + offset, &entry, sizeof entry);
    EXPECT_EQ(load_reason(), "malformed ELF file: the dynamic entry DT_STRTAB points outside the loadable segments");
    return;
  }
  FAIL() << "the module has no DT_STRTAB";
}

TEST_F(ModuleIntegrity, SharedLibraryThatWasNeverSealedIsNotAPolicyModule) {
  const std::string path = scratch_.path("unsealed.so");
  testing::write_bytes(path, testing::read_bytes(WEFTKIT_OLDER_ABI_MODULE));
  EXPECT_EQ(reason_for(load_policy_module(path), path),
            "not a policy module: it has no integrity record (modules are sealed by weftkit-policyc compile --emit=so)");
  // Sealed, it gets as far as its ABI version.
  ASSERT_TRUE(seal_policy_module(path).is_ok());
  StatusOr<std::shared_ptr<const PolicyVersion>> loaded = load_policy_module(path);
  ASSERT_FALSE(loaded.is_ok());
  EXPECT_EQ(loaded.status().message(),
            "policy module " + path + " has module ABI version 1, this runtime needs " +
                std::to_string(WEFTKIT_MODULE_ABI_VERSION) + ": recompile it");
  Status twice = seal_policy_module(path);
  EXPECT_EQ(twice.message(), "cannot seal policy module " + path + ": it is sealed already");
}

TEST_F(ModuleIntegrity, ReloadWaitsForAModuleStillBeingCopiedOverTheOldOne) {
  const std::string path = scratch_.path("policy.so");
  testing::write_bytes(path, module_a_);
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(path);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());
  const std::string module_b = testing::read_bytes(WEFTKIT_TEST_MODULE_B);
  // As `cp` does: truncate, then write in pieces (here slowly). The reload starts once the
  // copy has begun (before it, the file is still the whole of module A, which would load).
  std::promise<void> copy_begun;
  std::thread writer([&] {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    const size_t piece = module_b.size() / 16 + 1;
    for (size_t offset = 0; offset < module_b.size(); offset += piece) {
      std::fwrite(module_b.data() + offset, 1, std::min(piece, module_b.size() - offset), file);
      std::fflush(file);
      if (offset == 0) copy_begun.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
    std::fclose(file);
  });
  copy_begun.get_future().wait();
  Status reloaded = reload_policy_module(store, path, {std::chrono::milliseconds(10), std::chrono::milliseconds(5000)});
  writer.join();
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.message();
  EXPECT_EQ(store.generation(), 2u);
  EXPECT_TRUE(testing::alice_may_insert(store));
}

TEST_F(ModuleIntegrity, ReloadOfAFileThatStaysIncompleteGivesUpWithTheReason) {
  std::unique_ptr<PolicyStore> store = store_serving_a();
  const std::string path = scratch_.path("policy.so");
  testing::write_bytes(path, module_a_.substr(0, 400000));
  auto started = std::chrono::steady_clock::now();
  Status reloaded = reload_policy_module(*store, path, {std::chrono::milliseconds(20), std::chrono::milliseconds(200)});
  auto waited = std::chrono::steady_clock::now() - started;
  const std::string expected = "cannot load policy module " + path + ": truncated: 400000 of " +
                               std::to_string(module_a_.size()) + " bytes (gave up after ";
  EXPECT_EQ(reloaded.message().substr(0, expected.size()), expected) << reloaded.message();
  EXPECT_GE(waited, std::chrono::milliseconds(160));
  EXPECT_LT(waited, std::chrono::seconds(5));
  EXPECT_EQ(store->generation(), 1u);
  // A complete module that is refused is reported at once, without waiting.
  testing::write_bytes(path, "not a module at all");
  started = std::chrono::steady_clock::now();
  reloaded = reload_policy_module(*store, path, {std::chrono::milliseconds(1000), std::chrono::milliseconds(10000)});
  EXPECT_EQ(reloaded.message(), "cannot load policy module " + path + ": not a policy module (not an ELF file)");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

}  // namespace
}  // namespace weftkit
