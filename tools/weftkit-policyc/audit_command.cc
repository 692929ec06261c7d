// `weftkit-policyc audit verify FILE...`: checks audit logs with the audit library's verifier
// (each record's hash, the gap-free sequence, the chain of prev hashes, across rotated files)
// and prints the first record that fails with FILE:LINE, or how many records were verified.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <weftkit/audit/verify.h>
#include "tools/weftkit-policyc/command_line.h"
#include "tools/weftkit-policyc/commands.h"

namespace weftkit::policy::cli {
namespace {

std::string audit_usage_text() {
  return "usage: weftkit-policyc audit verify FILE... [--hmac-key-env VAR]\n"
         "\n"
         "  FILE                 one log: FILE.1, FILE.2, ... (its rotated files, oldest first) then\n"
         "                       FILE; several: exactly those files, oldest first\n"
         "  --hmac-key-env VAR   the chain's HMAC key is in VAR (default: WEFTKIT_AUDIT_HMAC_KEY,\n"
         "                       when set); without a key the chain must be plain SHA-256\n"
         "\n"
         "exit status: 0 every record verified (a torn last line, a write cut short by a crash, is\n"
         "reported but is not tampering), 1 a record altered, removed, inserted, reordered or\n"
         "malformed, 2 bad usage, a file that cannot be read, or an unset key variable\n";
}

int usage_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n\n" << audit_usage_text();
  return kExitUsage;
}

struct AuditVerifyLine {
  std::vector<std::string> files;
  std::optional<std::string> hmac_key_env;
};

// nullopt after printing the usage error.
std::optional<AuditVerifyLine> parse(const std::vector<std::string>& arguments, int* exit_code) {
  AuditVerifyLine line;
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (argument == "--hmac-key-env" || argument.starts_with("--hmac-key-env=")) {
      if (argument.size() > 14) {
        line.hmac_key_env = argument.substr(15);
      } else if (index + 1 < arguments.size()) {
        line.hmac_key_env = arguments[++index];
      }
      if (!line.hmac_key_env || line.hmac_key_env->empty()) {
        *exit_code = usage_error("option '--hmac-key-env' needs a variable name");
        return std::nullopt;
      }
    } else if (argument.starts_with("-") && argument != "-") {
      *exit_code = usage_error("unknown option '" + argument + "' for 'audit verify'");
      return std::nullopt;
    } else {
      line.files.push_back(argument);
    }
  }
  if (line.files.empty()) {
    *exit_code = usage_error("'audit verify' needs at least one audit log FILE");
    return std::nullopt;
  }
  return line;
}

// The files to check, oldest first; the first missing one is named in `missing`.
std::vector<std::string> files_to_check(const std::vector<std::string>& given, std::string* missing) {
  if (given.size() == 1) {
    std::vector<std::string> rotated = audit::rotated_files(given[0]);
    // A rotated set whose active file is gone still names the missing file: the newest records
    // would otherwise go unchecked without a word.
    if (!std::filesystem::exists(given[0])) *missing = given[0];
    return rotated;
  }
  for (const std::string& file : given) {
    if (!std::filesystem::exists(file)) {
      *missing = file;
      break;
    }
  }
  return given;
}

std::string records(uint64_t count) { return std::to_string(count) + (count == 1 ? " record" : " records"); }

int run_verify(const AuditVerifyLine& line) {
  audit::VerifyOptions options;
  const std::string variable = line.hmac_key_env.value_or("WEFTKIT_AUDIT_HMAC_KEY");
  const char* key = std::getenv(variable.c_str());
  if (key != nullptr && *key != '\0') {
    options.hmac_key = std::string(key);
  } else if (line.hmac_key_env) {
    std::cerr << "weftkit-policyc: error: '--hmac-key-env " << variable << "': " << variable
              << " is not set (it holds the audit log's HMAC key)\n";
    return kExitUsage;
  }
  std::string missing;
  const std::vector<std::string> files = files_to_check(line.files, &missing);
  if (!missing.empty()) {
    std::cerr << "weftkit-policyc: error: cannot read audit log '" << missing << "': no such file\n";
    return kExitUsage;
  }
  StatusOr<audit::VerifyReport> report = audit::verify_files(files, options);
  if (!report.is_ok()) {
    std::cerr << "weftkit-policyc: error: " << report.status().message() << "\n";
    return kExitUsage;
  }
  const audit::VerifyReport& result = report.value();
  if (const std::optional<audit::Problem>& problem = result.problem) {
    std::cout << problem->file << ":" << problem->line << ": " << audit::to_string(problem->kind);
    if (problem->seq) std::cout << " (seq " << *problem->seq << ")";
    std::cout << ": " << problem->detail << "\n";
    std::cout << records(result.verified) << " verified before it\n";
    return kExitPolicyErrors;
  }
  std::cout << records(result.verified) << " verified in " << files.size() << (files.size() == 1 ? " file" : " files")
            << (options.hmac_key ? " (HMAC-SHA256 chain)" : "") << "\n";
  if (result.torn_last_line) {
    std::cout << files.back() << ":" << *result.torn_last_line
              << ": torn last line (a write cut short by a crash, not tampering; not counted)\n";
  }
  return kExitOk;
}

}  // namespace

int run_audit(const std::vector<std::string>& arguments) {
  if (arguments.empty()) return usage_error("'audit' needs a subcommand: verify");
  for (const std::string& argument : arguments) {
    if (argument == "--help" || argument == "-h") {
      std::cout << audit_usage_text();
      return kExitOk;
    }
  }
  if (arguments[0] != "verify") return usage_error("unknown 'audit' subcommand '" + arguments[0] + "' (expected verify)");
  int exit_code = kExitUsage;
  std::optional<AuditVerifyLine> line = parse(arguments, &exit_code);
  if (!line) return exit_code;
  return run_verify(*line);
}

}  // namespace weftkit::policy::cli
