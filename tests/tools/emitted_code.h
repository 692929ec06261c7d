// What weftkit-policyc's --emit=obj and --emit=llvm outputs hold, read with LLVM's own object
// and IR readers (not by grepping bytes): the symbols an object defines and needs, and whether
// textual IR parses and verifies.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace weftkit::policy::testing {

struct ObjectSymbols {
  std::string problem;  // empty when the bytes are an object file LLVM reads
  std::set<std::string> functions;  // defined, of function type
  std::set<std::string> data;       // defined, of data type
  std::set<std::string> undefined;  // needed from elsewhere
};

ObjectSymbols object_symbols(const std::string& bytes);

struct IrContents {
  std::string problem;  // empty when the text parses and the module verifies
  std::set<std::string> defined_functions;
  std::map<std::string, uint64_t> array_lengths;  // global constant arrays by name: element counts
};

IrContents ir_contents(const std::string& text);

}  // namespace weftkit::policy::testing
