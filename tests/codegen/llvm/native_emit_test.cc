// Ahead-of-time output of the permission module: the check function's assembly has no
// conditional jump (from the library and from the real weftkit-policyc binary), the IR names
// the ABI symbols, objects are ELF, and --emit rejects what it does not know.
#include "codegen/llvm/native_emit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "compiler/driver/compile_files.h"
#include "tests/tools/run_process.h"

namespace weftkit::policy::llvm_backend {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

PolicyProgram example_program() {
  SourceTexts sources;
  auto result = compile_files({std::string(WEFTKIT_SOURCE_DIR) + "/examples/roles.yaml"}, sources);
  EXPECT_TRUE(result.ok()) << render_diagnostics(result.diagnostics(), sources);
  return std::move(result).value();
}

std::string emit(NativeOutput output) {
  Result<std::string> emitted = emit_permission_module(example_program(), output);
  EXPECT_TRUE(emitted.ok()) << render_diagnostics(emitted.diagnostics(), SourceTexts{});
  EXPECT_TRUE(emitted.diagnostics().empty());
  return emitted.ok() ? emitted.value() : std::string();
}

// The instructions of `function` in AT&T assembly: from its label to the end of the function
// (.Lfunc_end / .size), comments, labels and directives dropped.
std::vector<std::string> instructions_of(const std::string& assembly, const std::string& function) {
  std::vector<std::string> instructions;
  std::istringstream lines(assembly);
  std::string line;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (!inside) {
      inside = line == function + ":";
      continue;
    }
    if (line.rfind(".Lfunc_end", 0) == 0 || line.find(".size\t" + function) != std::string::npos) break;
    if (size_t comment = line.find('#'); comment != std::string::npos) line.erase(comment);
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    line.erase(0, start);
    if (line[0] == '.' || line.back() == ':') continue;  // directive or label
    instructions.push_back(line);
  }
  return instructions;
}

// Conditional jumps: every j<cc> mnemonic; jmp is the only unconditional one.
std::vector<std::string> conditional_jumps(const std::vector<std::string>& instructions) {
  static const std::regex kConditionalJump(R"(^j(?!mp\b)[a-z]+\b)");
  std::vector<std::string> jumps;
  for (const std::string& instruction : instructions) {
    if (std::regex_search(instruction, kConditionalJump)) jumps.push_back(instruction);
  }
  return jumps;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(NativeEmit, CheckFunctionAssemblyHasNoConditionalJump) {
  std::string assembly = emit(NativeOutput::kAssembly);
  std::vector<std::string> body = instructions_of(assembly, "weftkit_check");
  ASSERT_FALSE(body.empty()) << assembly;
  EXPECT_EQ(conditional_jumps(body), std::vector<std::string>{}) << joined(body);
  EXPECT_EQ(body.back().rfind("ret", 0), 0u) << joined(body);
  EXPECT_LE(body.size(), 12u) << "a load, a shift, an AND and the clamps:\n" << joined(body);
}

TEST(NativeEmit, TheJumpScannerFindsTheLoopsOfThePrincipalMaskBuilder) {
  // The mask builder loops over classes and roles, so its body must show conditional jumps:
  // proof that the scanner above would see one in the check if there were one.
  std::string assembly = emit(NativeOutput::kAssembly);
  std::vector<std::string> body = instructions_of(assembly, "weftkit_principal_masks");
  ASSERT_FALSE(body.empty()) << assembly;
  EXPECT_FALSE(conditional_jumps(body).empty()) << joined(body);
  EXPECT_EQ(conditional_jumps({"jmp\t.LBB0_1", "jne\t.LBB0_2", "jae .x", "cmovbq %rax, %rcx"}),
            (std::vector<std::string>{"jne\t.LBB0_2", "jae .x"}));
}

TEST(NativeEmit, LlvmIrDefinesTheAbiSymbolsAndTheTables) {
  std::string ir = emit(NativeOutput::kLlvmIr);
  EXPECT_NE(ir.find("define zeroext i1 @weftkit_check(ptr noalias nocapture readonly"), std::string::npos) << ir;
  EXPECT_NE(ir.find("define void @weftkit_principal_masks("), std::string::npos) << ir;
  // Constant globals (the optimiser may add local_unnamed_addr; the values are what matter).
  auto global_line = [&ir](const std::string& name) {
    size_t start = ir.find("\n@" + name + " = ");
    return start == std::string::npos ? std::string() : ir.substr(start + 1, ir.find('\n', start + 1) - start - 1);
  };
  EXPECT_NE(global_line("weftkit_module_abi_version").find("constant i32 1,"), std::string::npos) << ir;
  EXPECT_NE(global_line("weftkit_role_count").find("constant i32 12,"), std::string::npos) << ir;
  EXPECT_NE(global_line("weftkit_class_count").find("constant i32 6,"), std::string::npos) << ir;
  EXPECT_NE(global_line("weftkit_mask_count").find("constant i32 7,"), std::string::npos) << ir;
  // (12 roles + the all-zero row) × 6 classes; superuser, role 0, allows all 16 operations.
  EXPECT_NE(global_line("weftkit_allow_masks").find("constant [78 x i64] [i64 65535, "), std::string::npos) << ir;
  EXPECT_NE(global_line("weftkit_deny_masks").find("constant [78 x i64] [i64 0, "), std::string::npos) << ir;
  // The check's body holds no branch instruction at all.
  size_t start = ir.find("@weftkit_check(");
  size_t end = ir.find("\n}\n", start);
  EXPECT_EQ(ir.substr(start, end - start).find(" br "), std::string::npos) << ir.substr(start, end - start);
}

TEST(NativeEmit, ObjectIsAnElfFile) {
  std::string object = emit(NativeOutput::kObject);
  ASSERT_GE(object.size(), 4u);
  EXPECT_EQ(object.substr(0, 4), "\x7f" "ELF");
}

TEST(NativeEmit, OutputNamesParse) {
  EXPECT_EQ(parse_native_output("llvm"), NativeOutput::kLlvmIr);
  EXPECT_EQ(parse_native_output("asm"), NativeOutput::kAssembly);
  EXPECT_EQ(parse_native_output("obj"), NativeOutput::kObject);
  EXPECT_EQ(parse_native_output("bundle"), std::nullopt);
}

class CompileEmitCli : public ::testing::Test {
 protected:
  CompileEmitCli() {
    directory_ = std::filesystem::temp_directory_path() /
                 ("weftkit-emit-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  ~CompileEmitCli() override { std::filesystem::remove_all(directory_); }

  testing::ProcessResult policyc(const std::vector<std::string>& arguments) const {
    return testing::run_process(WEFTKIT_POLICYC_PATH, arguments, WEFTKIT_SOURCE_DIR);
  }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  std::filesystem::path directory_;
};

TEST_F(CompileEmitCli, EmitAsmOfTheExamplesShowsTheCheckWithoutConditionalJumps) {
  // The whole module's assembly (its plans' functions are in the same file, tests/tools'
  // cli_emit_tests check which): the check stays branch-free beside them.
  testing::ProcessResult result = policyc(
      {"compile", "examples/roles.yaml", "examples/policies.sql", "--emit=asm", "-o", path("policy.s")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out, "wrote " + path("policy.s") +
                            " (asm): 21 precompiled statement plans, 0 left to the interpreter; permission check for "
                            "12 roles, 6 resource classes\n");
  std::string assembly = read_text(path("policy.s"));
  std::vector<std::string> body = instructions_of(assembly, "weftkit_check");
  ASSERT_FALSE(body.empty()) << assembly;
  EXPECT_EQ(conditional_jumps(body), std::vector<std::string>{}) << joined(body);
  EXPECT_FALSE(conditional_jumps(instructions_of(assembly, "weftkit_principal_masks")).empty());
}

TEST_F(CompileEmitCli, EmitLlvmAndObjWriteTheirFormats) {
  ASSERT_EQ(policyc({"compile", "examples/roles.yaml", "--emit", "llvm", "-o", path("roles.ll")}).exit_code, 0);
  EXPECT_NE(read_text(path("roles.ll")).find("define zeroext i1 @weftkit_check("), std::string::npos);
  ASSERT_EQ(policyc({"compile", "examples/roles.yaml", "--emit=obj", "-o", path("roles.o")}).exit_code, 0);
  EXPECT_EQ(read_text(path("roles.o")).substr(0, 4), "\x7f" "ELF");
}

TEST_F(CompileEmitCli, BundleStaysTheDefaultAndCanBeNamed) {
  ASSERT_EQ(policyc({"compile", "examples/roles.yaml", "-o", path("a.wkpb")}).exit_code, 0);
  ASSERT_EQ(policyc({"compile", "examples/roles.yaml", "--emit=bundle", "-o", path("b.wkpb")}).exit_code, 0);
  EXPECT_EQ(read_text(path("a.wkpb")).substr(0, 8), "WKPOLBND");
  EXPECT_EQ(read_text(path("a.wkpb")), read_text(path("b.wkpb")));
}

TEST_F(CompileEmitCli, UnknownEmitKindIsAUsageError) {
  testing::ProcessResult result = policyc({"compile", "examples/roles.yaml", "--emit=dll", "-o", path("x")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.substr(0, result.err.find('\n')),
            "weftkit-policyc: error: option '--emit' takes bundle, llvm, asm, obj or so, not 'dll'");
  EXPECT_FALSE(std::filesystem::exists(path("x")));
}

}  // namespace
}  // namespace weftkit::policy::llvm_backend
