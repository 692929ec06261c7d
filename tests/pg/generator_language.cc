// Feature names and the WEFTKIT_PG_FEATURES syntax.
#include "tests/pg/generator_language.h"

#include <sstream>

namespace weftkit::policy::pgtest {

const std::vector<std::pair<Feature, std::string>>& feature_names() {
  static const std::vector<std::pair<Feature, std::string>> names = {
      {Feature::kSmallint, "smallint"},       {Feature::kBigint, "bigint"},
      {Feature::kVarchar, "varchar"},         {Feature::kDate, "date"},
      {Feature::kFloat, "float"},             {Feature::kTimestamp, "timestamp"},
      {Feature::kUuid, "uuid"},
      {Feature::kArithmetic, "arithmetic"},   {Feature::kDivision, "division"},
      {Feature::kIsNull, "is_null"},          {Feature::kIsTruth, "is_truth"},
      {Feature::kInList, "in_list"},          {Feature::kBetween, "between"},
      {Feature::kLike, "like"},               {Feature::kConcat, "concat"},
      {Feature::kCase, "case"},               {Feature::kFunctions, "functions"},
      {Feature::kCasts, "casts"},             {Feature::kCurrentUser, "current_user"},
      {Feature::kCurrentSetting, "current_setting"}, {Feature::kRestrictive, "restrictive"},
      {Feature::kToRoles, "to_roles"},        {Feature::kRoleInheritance, "role_inheritance"},
      {Feature::kReturning, "returning"},     {Feature::kNoRead, "no_read"},
      {Feature::kInvalidPolicies, "invalid_policies"}, {Feature::kPolicyChanges, "policy_changes"},
      {Feature::kSpelling, "spelling"},       {Feature::kEdgeValues, "edge_values"},
      {Feature::kNonAscii, "non_ascii"},
  };
  return names;
}

GeneratorLanguage GeneratorLanguage::everything() {
  GeneratorLanguage language;
  for (const auto& [feature, name] : feature_names()) language.enable(feature);
  return language;
}

std::optional<GeneratorLanguage> GeneratorLanguage::from_spec(const std::string& spec, std::string& problem) {
  GeneratorLanguage language = everything();
  std::stringstream items(spec);
  std::string item;
  bool first = true;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    if (first && (item == "none" || item == "all")) {
      if (item == "none") language = GeneratorLanguage();
      first = false;
      continue;
    }
    first = false;
    bool disable = item[0] == '-';
    std::string name = (item[0] == '-' || item[0] == '+') ? item.substr(1) : item;
    bool known = false;
    for (const auto& [feature, feature_name] : feature_names()) {
      if (feature_name != name) continue;
      known = true;
      if (disable) {
        language.disable(feature);
      } else {
        language.enable(feature);
      }
    }
    if (!known) {
      problem = "unknown generator feature '" + name + "' in WEFTKIT_PG_FEATURES";
      return std::nullopt;
    }
  }
  return language;
}

std::string GeneratorLanguage::describe() const {
  if (enabled_.size() == feature_names().size()) return "all";
  std::string text;
  for (const auto& [feature, name] : feature_names()) {
    if (has(feature)) text += (text.empty() ? "" : ",") + name;
  }
  return text.empty() ? "none" : text;
}

}  // namespace weftkit::policy::pgtest
