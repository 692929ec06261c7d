// ELF header checks before dlopen (see elf_image_check.h).
#include "runtime/src/elf_image_check.h"

#include <elf.h>

#include <cstring>
#include <vector>

namespace weftkit::detail {
namespace {

#if defined(__x86_64__)
constexpr uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kHostMachine = EM_AARCH64;
#else
#error "elf_image_check: unknown host machine"
#endif

// A segment bigger than this is no policy module (they are a few megabytes): refused before
// the loader reserves address space for it.
constexpr uint64_t kMaxSegmentBytes = uint64_t{1} << 30;

// [offset, offset + length) inside [0, size), without overflow.
bool inside(uint64_t offset, uint64_t length, uint64_t size) { return offset <= size && length <= size - offset; }

template <typename T>
T read_at(std::span<const uint8_t> image, uint64_t offset) {
  T value;
  std::memcpy(&value, image.data() + offset, sizeof value);  // the bytes need not be aligned
  return value;
}

std::string segment_name(uint32_t type) {
  switch (type) {
    case PT_LOAD: return "LOAD";
    case PT_DYNAMIC: return "DYNAMIC";
    case PT_INTERP: return "INTERP";
    case PT_NOTE: return "NOTE";
    case PT_PHDR: return "PHDR";
    case PT_TLS: return "TLS";
    case PT_GNU_EH_FRAME: return "GNU_EH_FRAME";
    case PT_GNU_STACK: return "GNU_STACK";
    case PT_GNU_RELRO: return "GNU_RELRO";
    case PT_GNU_PROPERTY: return "GNU_PROPERTY";
    default: return "type " + std::to_string(type);
  }
}

std::string describe_segment(size_t index, const Elf64_Phdr& header) {
  return "segment " + std::to_string(index) + " (" + segment_name(header.p_type) + ")";
}

struct LoadedRange {
  uint64_t start;
  uint64_t end;
};

// Whether [address, address + length) lies in the memory of one loadable segment.
bool in_loaded_memory(const std::vector<LoadedRange>& loaded, uint64_t address, uint64_t length) {
  for (const LoadedRange& range : loaded) {
    if (address >= range.start && address <= range.end && length <= range.end - address) return true;
  }
  return false;
}

const char* dynamic_tag_name(int64_t tag) {
  switch (tag) {
    case DT_STRTAB: return "DT_STRTAB";
    case DT_SYMTAB: return "DT_SYMTAB";
    case DT_HASH: return "DT_HASH";
    case DT_GNU_HASH: return "DT_GNU_HASH";
    case DT_RELA: return "DT_RELA";
    case DT_REL: return "DT_REL";
    case DT_JMPREL: return "DT_JMPREL";
    case DT_INIT: return "DT_INIT";
    case DT_FINI: return "DT_FINI";
    case DT_INIT_ARRAY: return "DT_INIT_ARRAY";
    case DT_FINI_ARRAY: return "DT_FINI_ARRAY";
    case DT_PLTGOT: return "DT_PLTGOT";
    case DT_VERSYM: return "DT_VERSYM";
    case DT_VERDEF: return "DT_VERDEF";
    case DT_VERNEED: return "DT_VERNEED";
    default: return nullptr;
  }
}

// The tables the loader reads through the dynamic section, with the tag of their size when it
// has one (their contents are then checked to fit as well).
int64_t size_tag_of(int64_t tag) {
  switch (tag) {
    case DT_STRTAB: return DT_STRSZ;
    case DT_RELA: return DT_RELASZ;
    case DT_REL: return DT_RELSZ;
    case DT_JMPREL: return DT_PLTRELSZ;
    case DT_INIT_ARRAY: return DT_INIT_ARRAYSZ;
    case DT_FINI_ARRAY: return DT_FINI_ARRAYSZ;
    default: return DT_NULL;
  }
}

std::string dynamic_table_problem(std::span<const uint8_t> image, const Elf64_Phdr& dynamic,
                                  const std::vector<LoadedRange>& loaded) {
  if (!in_loaded_memory(loaded, dynamic.p_vaddr, dynamic.p_memsz)) {
    return "the dynamic section lies outside the loadable segments";
  }
  std::vector<Elf64_Dyn> entries;
  bool terminated = false;
  for (uint64_t offset = 0; offset + sizeof(Elf64_Dyn) <= dynamic.p_filesz; offset += sizeof(Elf64_Dyn)) {
    Elf64_Dyn entry = read_at<Elf64_Dyn>(image, dynamic.p_offset + offset);
    if (entry.d_tag == DT_NULL) {
      terminated = true;
      break;
    }
    entries.push_back(entry);
  }
  if (!terminated) return "the dynamic section has no end marker (DT_NULL)";
  auto value_of = [&entries](int64_t tag) -> std::optional<uint64_t> {
    for (const Elf64_Dyn& entry : entries) {
      if (entry.d_tag == tag) return entry.d_un.d_val;
    }
    return std::nullopt;
  };
  for (const Elf64_Dyn& entry : entries) {
    const char* name = dynamic_tag_name(entry.d_tag);
    if (name == nullptr) continue;
    uint64_t length = 1;
    if (int64_t size_tag = size_tag_of(entry.d_tag); size_tag != DT_NULL) length = value_of(size_tag).value_or(1);
    if (!in_loaded_memory(loaded, entry.d_un.d_ptr, length)) {
      return std::string("the dynamic entry ") + name + " points outside the loadable segments";
    }
  }
  return "";
}

}  // namespace

std::string elf_image_problem(std::span<const uint8_t> image) {
  const uint64_t size = image.size();
  if (size < sizeof(Elf64_Ehdr)) return "shorter than an ELF header";
  Elf64_Ehdr header = read_at<Elf64_Ehdr>(image, 0);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF file";
  if (header.e_ident[EI_CLASS] != ELFCLASS64) return "not a 64-bit ELF file";
  if (header.e_ident[EI_DATA] != ELFDATA2LSB) return "not a little-endian ELF file";
  if (header.e_ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT) return "unknown ELF version";
  if (header.e_type != ET_DYN) return "not a shared library (ELF type " + std::to_string(header.e_type) + ")";
  if (header.e_machine != kHostMachine) {
    return "built for ELF machine " + std::to_string(header.e_machine) + ", this one is " + std::to_string(kHostMachine);
  }
  if (header.e_ehsize != sizeof(Elf64_Ehdr)) return "unexpected ELF header size " + std::to_string(header.e_ehsize);
  if (header.e_phentsize != sizeof(Elf64_Phdr)) {
    return "unexpected program header size " + std::to_string(header.e_phentsize);
  }
  if (header.e_phnum == 0 || header.e_phnum == PN_XNUM) return "no usable program header table";
  if (!inside(header.e_phoff, uint64_t{header.e_phnum} * sizeof(Elf64_Phdr), size)) {
    return "the program headers lie past the end of the file";
  }

  std::vector<LoadedRange> loaded;
  std::optional<Elf64_Phdr> dynamic;
  for (size_t index = 0; index < header.e_phnum; ++index) {
    Elf64_Phdr segment = read_at<Elf64_Phdr>(image, header.e_phoff + index * sizeof(Elf64_Phdr));
    if (!inside(segment.p_offset, segment.p_filesz, size)) {
      return describe_segment(index, segment) + " lies past the end of the file: it ends at byte " +
             std::to_string(segment.p_offset + segment.p_filesz) + " of " + std::to_string(size);
    }
    if (segment.p_type == PT_LOAD) {
      if (segment.p_filesz > segment.p_memsz) return describe_segment(index, segment) + " has more file bytes than memory";
      if (segment.p_memsz > kMaxSegmentBytes) return describe_segment(index, segment) + " is too large";
      if (segment.p_vaddr > UINT64_MAX - segment.p_memsz) return describe_segment(index, segment) + " wraps around";
      if (segment.p_align > 1) {
        if ((segment.p_align & (segment.p_align - 1)) != 0) {
          return describe_segment(index, segment) + " has an alignment that is not a power of two";
        }
        if (segment.p_offset % segment.p_align != segment.p_vaddr % segment.p_align) {
          return describe_segment(index, segment) + " is not aligned: its offset and address differ modulo its alignment";
        }
      }
      loaded.push_back({segment.p_vaddr, segment.p_vaddr + segment.p_memsz});
    } else if (segment.p_type == PT_DYNAMIC) {
      if (dynamic) return "more than one dynamic section";
      dynamic = segment;
    }
  }
  // The loader never reads section headers, but tools do; a record over a file cut short
  // shows here too.
  if (header.e_shoff != 0) {
    if (header.e_shentsize != sizeof(Elf64_Shdr)) {
      return "unexpected section header size " + std::to_string(header.e_shentsize);
    }
    if (!inside(header.e_shoff, uint64_t{header.e_shnum} * sizeof(Elf64_Shdr), size)) {
      return "the section headers lie past the end of the file";
    }
  }
  if (loaded.empty()) return "no loadable segment";
  if (!dynamic) return "no dynamic section";
  return dynamic_table_problem(image, *dynamic, loaded);
}

std::optional<uint64_t> elf_described_length(std::span<const uint8_t> image) {
  if (image.size() < sizeof(Elf64_Ehdr)) return std::nullopt;
  Elf64_Ehdr header = read_at<Elf64_Ehdr>(image, 0);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) return std::nullopt;
  // Saturating: a damaged header must not make the length wrap to something small.
  auto end_of = [](uint64_t offset, uint64_t length) { return offset > UINT64_MAX - length ? UINT64_MAX : offset + length; };
  uint64_t end = sizeof(Elf64_Ehdr);
  end = std::max(end, end_of(header.e_shoff, uint64_t{header.e_shnum} * header.e_shentsize));
  end = std::max(end, end_of(header.e_phoff, uint64_t{header.e_phnum} * header.e_phentsize));
  if (header.e_phentsize == sizeof(Elf64_Phdr) && inside(header.e_phoff, uint64_t{header.e_phnum} * sizeof(Elf64_Phdr), image.size())) {
    for (size_t index = 0; index < header.e_phnum; ++index) {
      Elf64_Phdr segment = read_at<Elf64_Phdr>(image, header.e_phoff + index * sizeof(Elf64_Phdr));
      end = std::max(end, end_of(segment.p_offset, segment.p_filesz));
    }
  }
  return end;
}

}  // namespace weftkit::detail
