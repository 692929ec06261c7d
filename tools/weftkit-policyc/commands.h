// The verbs of weftkit-policyc; each returns the process exit status.
#pragma once

#include <string>
#include <vector>

#include "tools/weftkit-policyc/command_line.h"

namespace weftkit::policy::cli {

int run_check(const CommandLine& line);
int run_compile(const CommandLine& line);
int run_explain(const CommandLine& line);
int run_eval(const CommandLine& line);
int run_watch(const CommandLine& line);
int run_config(const CommandLine& line);
// `auth` has subcommands with options of their own: it takes the arguments after its name.
int run_auth(const std::vector<std::string>& arguments);
// `keys` and `page` likewise (keys_command.cc, page_command.cc).
int run_keys(const std::vector<std::string>& arguments);
int run_page(const std::vector<std::string>& arguments);
// `audit verify FILE...` (audit_command.cc).
int run_audit(const std::vector<std::string>& arguments);

}  // namespace weftkit::policy::cli
