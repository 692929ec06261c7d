// Reading a key set: structural problems refuse it, unusable keys are left out with a note.
#include <fstream>
#include <sstream>

#include "auth/json_web_key.h"
#include "auth/strict_json.h"

namespace weftkit::auth {

StatusOr<JsonWebKeySet> JsonWebKeySet::parse(std::string_view json) {
  auto parsed = parse_strict_json(json);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return Status(StatusCode::kInvalidArgument, "key set: " + *problem);
  }
  const nlohmann::json& document = std::get<nlohmann::json>(parsed);
  auto keys = document.is_object() ? document.find("keys") : document.end();
  if (!document.is_object() || keys == document.end() || !keys->is_array()) {
    return Status(StatusCode::kInvalidArgument, "key set: expected an object with a \"keys\" array");
  }
  JsonWebKeySet set;
  size_t index = 0;
  for (const nlohmann::json& jwk : *keys) {
    const std::string where = "key set: key " + std::to_string(index++);
    auto key = parse_json_web_key(jwk);
    if (auto* refusal = std::get_if<KeyRefusal>(&key)) {
      if (refusal->has_private_material) {
        return Status(StatusCode::kInvalidArgument, where + " holds " + refusal->reason + "; publish public keys only");
      }
      set.warnings_.push_back(where + " left out: " + refusal->reason);
      continue;
    }
    auto usable = std::make_shared<VerificationKey>(std::move(std::get<VerificationKey>(key)));
    const std::string kid = usable->kid;
    if (!set.keys_.emplace(kid, std::move(usable)).second) {
      // Two keys under one kid: which one a token meant is ambiguous, so neither is trusted.
      return Status(StatusCode::kInvalidArgument, where + " repeats kid \"" + kid + "\"");
    }
  }
  return set;
}

StatusOr<JsonWebKeySet> JsonWebKeySet::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kInvalidArgument, path + ": cannot open the key set");
  std::ostringstream text;
  text << in.rdbuf();
  StatusOr<JsonWebKeySet> set = parse(text.str());
  if (!set.is_ok()) return Status(set.status().code(), path + ": " + set.status().message());
  return set;
}

const VerificationKey* JsonWebKeySet::find(std::string_view kid) const {
  auto found = keys_.find(kid);
  return found == keys_.end() ? nullptr : found->second.get();
}

}  // namespace weftkit::auth
