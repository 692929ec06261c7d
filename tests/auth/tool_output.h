// Runs the real hashing tools (htpasswd, mkpasswd, openssl) that operators use, so users files
// in tests are what those tools write.
#pragma once

#include <string>
#include <vector>

namespace weftkit::auth::testing {

// The tool's standard output, its trailing newlines removed. A missing tool, or one that
// fails, is a test failure naming the Debian package to install (never a silent skip).
std::string run_tool(const std::vector<std::string>& argv, const std::string& package);

// "name:hash" as `htpasswd -nb OPTIONS... user password` writes it (OPTIONS: {"-B", "-C", "10"}).
std::string htpasswd_line(const std::vector<std::string>& options, const std::string& user, const std::string& password);
// The hash `openssl passwd OPTION password` prints (OPTION: "-apr1", "-1").
std::string openssl_passwd(const std::string& option, const std::string& password);
// The hash mkpasswd -m <method> prints.
std::string mkpasswd_hash(const std::string& method, const std::string& password);

}  // namespace weftkit::auth::testing
