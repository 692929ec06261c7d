// The claimed subject of a token, never trusted for anything but the audit record.
#include "auth/token_claim.h"

#include <string>

#include "auth/base64.h"
#include "auth/strict_json.h"

namespace weftkit::auth {
namespace {

// A name longer than this is cut: a refused token must not make a record of any size.
constexpr std::size_t kMaxClaimBytes = 256;

std::optional<std::string> string_member(const nlohmann::json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  std::string value = found->get<std::string>();
  if (value.size() > kMaxClaimBytes) value.resize(kMaxClaimBytes);
  return value;
}

}  // namespace

LoginClaim claim_of_token(std::string_view token, std::size_t max_token_bytes) {
  if (token.size() > max_token_bytes) return {};
  const std::size_t first_dot = token.find('.');
  if (first_dot == std::string_view::npos) return {};
  const std::size_t second_dot = token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos) return {};
  std::optional<std::string> payload = base64url_decode(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!payload) return {};
  auto parsed = parse_strict_json(*payload);
  const nlohmann::json* claims = std::get_if<nlohmann::json>(&parsed);
  if (claims == nullptr || !claims->is_object()) return {};
  return LoginClaim{string_member(*claims, "sub").value_or(""), string_member(*claims, "tenant_id")};
}

}  // namespace weftkit::auth
