// Option parsing: every verb's flags, '--flag value' and '--flag=value' alike.
#include "tools/weftkit-policyc/command_line.h"

#include <set>

namespace weftkit::policy::cli {
namespace {

// Which flags each verb accepts; anything else is a usage error, not silently ignored.
const std::set<std::string>& flags_of(const std::string& verb) {
  static const std::set<std::string> kCheck = {"--json"};
  static const std::set<std::string> kCompile = {"-o", "--output", "--emit"};
  static const std::set<std::string> kExplain = {"--json", "--user", "--role", "--op", "--table"};
  static const std::set<std::string> kEval = {"--table", "--command", "--user", "--role", "--set",
                                              "--rows", "--new-rows", "--no-read", "--returning", "--engine"};
  static const std::set<std::string> kWatch = {"--debounce-ms", "--exit-after"};
  static const std::set<std::string> kNone;
  if (verb == "check") return kCheck;
  if (verb == "compile") return kCompile;
  if (verb == "explain") return kExplain;
  if (verb == "eval") return kEval;
  if (verb == "watch") return kWatch;
  return kNone;
}

bool takes_value(const std::string& flag) { return flag != "--json" && flag != "--no-read" && flag != "--returning"; }

ParsedCommandLine usage(std::string message) { return {std::nullopt, std::move(message)}; }

}  // namespace

std::string usage_text() {
  return "usage: weftkit-policyc <command> [options] FILES...\n"
         "\n"
         "commands:\n"
         "  check FILES... [--json]         parse and validate; exit 0 when clean, 1 on errors\n"
         "  compile FILES... -o OUT [--emit=bundle|so|llvm|asm|obj]\n"
         "                                  write the compiled, checksummed bundle to OUT (.wkpb, the\n"
         "                                  default); a policy module for this machine that the runtime\n"
         "                                  loads without LLVM (so); or the native permission check as\n"
         "                                  LLVM IR, assembly or an object file\n"
         "  explain FILES... --user U [--role R]... --op OP --table T [--json]\n"
         "                                  print ALLOW or DENY, then which lines decided it\n"
         "  eval FILES... --table T --command SELECT|INSERT|UPDATE|DELETE --user U [--role R]...\n"
         "       [--set name=value]... --rows ROWS.jsonl [--new-rows NEW.jsonl] [--no-read] [--returning]\n"
         "       [--engine=jit|aot|interp]\n"
         "                                  row-level security per row: pass, filtered, violation or error,\n"
         "                                  computed by JIT-compiled code (the default) or the reference\n"
         "                                  interpreter\n"
         "  watch FILES... [--debounce-ms=200] [--exit-after=N]\n"
         "                                  compile, then recompile whenever a file changes (quiet for\n"
         "                                  the debounce period) and print each reload's outcome; a\n"
         "                                  rejected version never replaces the serving one\n"
         "  config                          print the WEFTKIT_* configuration as engines resolve it\n"
         "                                  (secrets as <set>), or every problem with it (exit 1)\n"
         "  auth hash|password|jwt|cert ... make a SCRAM verifier, or check a password, JWT or client\n"
         "                                  certificate as the auth module would (weftkit-policyc auth --help)\n"
         "  keys init|add-tenant|rotate|rewrap|status --keyring FILE ...\n"
         "                                  manage the encryption keyring with the master key of the\n"
         "                                  WEFTKIT_* variables (weftkit-policyc keys --help)\n"
         "  page encrypt|decrypt --keyring FILE --tenant T --object N --page N --version N [--in F] [--out F]\n"
         "                                  seal or open one page as an engine does (weftkit-policyc page --help)\n"
         "  audit verify FILE... [--hmac-key-env VAR]\n"
         "                                  check an audit log's records, sequence and hash chain across its\n"
         "                                  rotated files (weftkit-policyc audit --help)\n"
         "\n"
         "FILES: roles files (.yaml, .yml), policy files (.sql), or one compiled bundle (.wkpb)\n"
         "exit status: 0 success, 1 policy errors, 2 bad usage\n"
         "options: --help, --version\n";
}

ParsedCommandLine parse_command_line(const std::vector<std::string>& arguments) {
  if (arguments.empty()) return usage("no command given");
  CommandLine line;
  line.verb = arguments[0];
  if (line.verb == "--help" || line.verb == "-h" || line.verb == "help") {
    line.verb = "help";
    return {line, {}};
  }
  if (line.verb == "--version") return {line, {}};
  if (line.verb != "check" && line.verb != "compile" && line.verb != "explain" && line.verb != "eval" &&
      line.verb != "watch" && line.verb != "config") {
    return usage("unknown command '" + line.verb + "' (expected check, compile, explain, eval, watch, config, auth, keys, page or audit)");
  }
  const std::set<std::string>& allowed = flags_of(line.verb);
  for (size_t index = 1; index < arguments.size(); ++index) {
    std::string argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      line.help = true;
      continue;
    }
    if (argument.size() < 2 || argument[0] != '-') {
      line.files.push_back(argument);
      continue;
    }
    std::string flag = argument;
    std::optional<std::string> value;
    if (size_t equals = argument.find('='); equals != std::string::npos && argument.rfind("--", 0) == 0) {
      flag = argument.substr(0, equals);
      value = argument.substr(equals + 1);
    }
    if (!allowed.count(flag)) return usage("unknown option '" + flag + "' for '" + line.verb + "'");
    if (!takes_value(flag)) {
      if (value) return usage("option '" + flag + "' takes no value");
      (flag == "--json" ? line.json : flag == "--no-read" ? line.no_read : line.returning) = true;
      continue;
    }
    if (!value) {
      if (index + 1 >= arguments.size()) return usage("option '" + flag + "' needs a value");
      value = arguments[++index];
    }
    if (flag == "-o" || flag == "--output") {
      if (line.output) return usage("option '" + flag + "' given twice");
      line.output = *value;
    } else if (flag == "--emit") {
      if (*value != "bundle" && *value != "llvm" && *value != "asm" && *value != "obj" && *value != "so") {
        return usage("option '--emit' takes bundle, llvm, asm, obj or so, not '" + *value + "'");
      }
      line.emit = *value;
    } else if (flag == "--engine") {
      if (*value != "jit" && *value != "aot" && *value != "interp") {
        return usage("option '--engine' takes jit, aot or interp, not '" + *value + "'");
      }
      line.engine = *value;
    } else if (flag == "--debounce-ms" || flag == "--exit-after") {
      int number = -1;
      try {
        size_t used = 0;
        number = std::stoi(*value, &used);
        if (used != value->size()) number = -1;
      } catch (const std::exception&) {
        number = -1;
      }
      if (number < (flag == "--exit-after" ? 1 : 0)) {
        return usage("option '" + flag + "' takes a " + (flag == "--exit-after" ? "positive" : "non-negative") +
                     " whole number, not '" + *value + "'");
      }
      (flag == "--debounce-ms" ? line.debounce_ms : line.exit_after.emplace()) = number;
    } else if (flag == "--role") {
      line.roles.push_back(*value);
    } else if (flag == "--set") {
      if (value->find('=') == std::string::npos) return usage("option '--set' takes name=value, not '" + *value + "'");
      line.settings.push_back(*value);
    } else {
      std::optional<std::string>* target = flag == "--user"       ? &line.user
                                           : flag == "--op"        ? &line.op
                                           : flag == "--table"     ? &line.table
                                           : flag == "--command"   ? &line.command
                                           : flag == "--rows"      ? &line.rows
                                                                   : &line.new_rows;
      if (*target) return usage("option '" + flag + "' given twice");
      *target = *value;
    }
  }
  if (line.help) return {line, {}};
  if (line.verb == "config") {
    if (!line.files.empty()) return usage("'config' takes no files: it reads the WEFTKIT_* variables");
    return {line, {}};
  }
  if (line.files.empty()) return usage("'" + line.verb + "' needs at least one input file");
  if (line.verb == "compile" && !line.output) return usage("'compile' needs -o OUT");
  if (line.verb == "eval") {
    if (!line.table) return usage("'eval' needs --table T");
    if (!line.command) return usage("'eval' needs --command SELECT|INSERT|UPDATE|DELETE");
    if (!line.user) return usage("'eval' needs --user U");
    if (!line.rows) return usage("'eval' needs --rows ROWS.jsonl");
  }
  if (line.verb == "explain") {
    if (!line.user) return usage("'explain' needs --user U");
    if (!line.op) return usage("'explain' needs --op OP");
    if (!line.table) return usage("'explain' needs --table T");
  }
  return {line, {}};
}

}  // namespace weftkit::policy::cli
