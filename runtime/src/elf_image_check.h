// Whether the bytes of a module file are an ELF shared library the dynamic loader can map
// without reading or mapping past their end: checked on the private copy before dlopen, so
// that a damaged file is refused with a reason instead of faulting the process (a segment
// mapped past the end of a file raises SIGBUS when touched).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace weftkit::detail {

// "" when the headers fit the bytes, else why not ("segment 3 (LOAD) lies past the end of the
// file: it ends at byte 712000 of 400000").
std::string elf_image_problem(std::span<const uint8_t> image);

// How long the file its ELF header describes is (the furthest end of its program headers,
// segments and section headers), when the bytes hold a whole ELF header; for telling a
// truncated module from one that was never sealed.
std::optional<uint64_t> elf_described_length(std::span<const uint8_t> image);

}  // namespace weftkit::detail
