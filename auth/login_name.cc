// Splitting "user@tenant" on the last '@'.
#include "weftkit/auth/login_name.h"

namespace weftkit::auth {

StatusOr<LoginName> split_login_name(std::string_view login) {
  if (login.empty()) return Status(StatusCode::kInvalidArgument, "the login name is empty");
  const size_t at = login.rfind('@');
  if (at == std::string_view::npos) return LoginName{std::string(login), std::nullopt};
  if (at == 0) {
    return Status(StatusCode::kInvalidArgument, "login name \"" + std::string(login) + "\" has an empty user part");
  }
  if (at + 1 == login.size()) {
    return Status(StatusCode::kInvalidArgument, "login name \"" + std::string(login) + "\" has an empty tenant part");
  }
  return LoginName{std::string(login.substr(0, at)), std::string(login.substr(at + 1))};
}

}  // namespace weftkit::auth
