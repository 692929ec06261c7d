// Reading emitted objects and IR with LLVM (see emitted_code.h).
#include "tests/tools/emitted_code.h"

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

namespace weftkit::policy::testing {

ObjectSymbols object_symbols(const std::string& bytes) {
  ObjectSymbols out;
  auto object = llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(bytes, "emitted object"));
  if (!object) {
    out.problem = llvm::toString(object.takeError());
    return out;
  }
  for (const llvm::object::SymbolRef& symbol : (*object)->symbols()) {
    auto name = symbol.getName();
    auto type = symbol.getType();
    auto flags = symbol.getFlags();
    if (!name || !type || !flags) {
      if (!name) llvm::consumeError(name.takeError());
      if (!type) llvm::consumeError(type.takeError());
      if (!flags) llvm::consumeError(flags.takeError());
      out.problem = "a symbol without a readable name, type or flags";
      return out;
    }
    if (name->empty()) continue;
    if (*flags & llvm::object::SymbolRef::SF_Undefined) {
      out.undefined.insert(name->str());
    } else if (*type == llvm::object::SymbolRef::ST_Function) {
      out.functions.insert(name->str());
    } else if (*type == llvm::object::SymbolRef::ST_Data) {
      out.data.insert(name->str());
    }
  }
  return out;
}

IrContents ir_contents(const std::string& text) {
  IrContents out;
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(text, error, context);
  if (!module) {
    std::string message;
    llvm::raw_string_ostream stream(message);
    error.print("emitted.ll", stream);
    out.problem = stream.str();
    return out;
  }
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*module, &stream)) {
    out.problem = "does not verify: " + stream.str();
    return out;
  }
  for (const llvm::Function& function : *module) {
    if (!function.isDeclaration()) out.defined_functions.insert(function.getName().str());
  }
  for (const llvm::GlobalVariable& global : module->globals()) {
    if (auto* array = llvm::dyn_cast<llvm::ArrayType>(global.getValueType())) {
      out.array_lengths[global.getName().str()] = array->getNumElements();
    }
  }
  return out;
}

}  // namespace weftkit::policy::testing
