// Case generation, outside in: schema, roles and principal, policies, statement, rows.
#include "tests/pg/case_generator.h"

#include <algorithm>

#include "tests/pg/expression_generator.h"
#include "tests/pg/random_source.h"
#include "tests/pg/value_pools.h"

namespace weftkit::policy::pgtest {
namespace {

// Column names by type; some are unreserved SQL keywords (owner, level, name), which
// PostgreSQL accepts as bare column names.
const std::vector<std::string>& names_for(ColumnType type) {
  static const std::vector<std::string> booleans = {"active", "is_public", "flag"};
  static const std::vector<std::string> integers = {"level", "amount", "qty", "score", "id"};
  static const std::vector<std::string> smallints = {"rank", "priority"};
  static const std::vector<std::string> bigints = {"total", "big_id"};
  static const std::vector<std::string> texts = {"owner", "tenant", "title", "name", "note"};
  static const std::vector<std::string> varchars = {"code", "region"};
  static const std::vector<std::string> dates = {"created", "due"};
  static const std::vector<std::string> reals = {"ratio", "weight"};
  static const std::vector<std::string> doubles = {"balance", "price"};
  static const std::vector<std::string> timestamps = {"created_at", "updated_at"};
  static const std::vector<std::string> uuids = {"uid", "tenant_id"};
  switch (type) {
    case ColumnType::kBoolean: return booleans;
    case ColumnType::kSmallint: return smallints;
    case ColumnType::kInteger: return integers;
    case ColumnType::kBigint: return bigints;
    case ColumnType::kText: return texts;
    case ColumnType::kVarchar: return varchars;
    case ColumnType::kDate: return dates;
    case ColumnType::kReal: return reals;
    case ColumnType::kDouble: return doubles;
    case ColumnType::kTimestamp: return timestamps;
    case ColumnType::kUuid: return uuids;
  }
  return texts;
}

std::vector<Column> generate_columns(RandomSource& random, const GeneratorLanguage& language) {
  std::vector<ColumnType> types = {ColumnType::kBoolean, ColumnType::kInteger, ColumnType::kText};
  std::vector<double> weights = {1.0, 2.5, 2.5};
  auto allow = [&](Feature feature, ColumnType type, double weight) {
    if (language.has(feature)) {
      types.push_back(type);
      weights.push_back(weight);
    }
  };
  allow(Feature::kSmallint, ColumnType::kSmallint, 0.7);
  allow(Feature::kBigint, ColumnType::kBigint, 0.7);
  allow(Feature::kVarchar, ColumnType::kVarchar, 0.7);
  allow(Feature::kDate, ColumnType::kDate, 1.0);
  allow(Feature::kFloat, ColumnType::kReal, 0.5);
  allow(Feature::kFloat, ColumnType::kDouble, 0.6);
  allow(Feature::kTimestamp, ColumnType::kTimestamp, 0.7);
  allow(Feature::kUuid, ColumnType::kUuid, 0.5);

  std::vector<Column> columns;
  int count = random.between(2, 6);
  for (int attempt = 0; static_cast<int>(columns.size()) < count && attempt < 50; ++attempt) {
    Column column;
    column.type = types[random.weighted(weights)];
    column.name = random.pick(names_for(column.type));
    if (std::any_of(columns.begin(), columns.end(), [&](const Column& c) { return c.name == column.name; })) continue;
    if (column.type == ColumnType::kVarchar) column.varchar_length = random.pick(std::vector<int>{1, 3, 10, 20});
    columns.push_back(column);
  }
  return columns;
}

RlsSetting generate_rls(RandomSource& random) {
  switch (random.weighted({0.07, 0.72, 0.14, 0.07})) {
    case 0: return RlsSetting::kNotEnabled;
    case 2: return RlsSetting::kForced;
    case 3: return RlsSetting::kDisabled;
    default: return RlsSetting::kEnabled;
  }
}

void generate_people(RandomSource& random, const GeneratorLanguage& language, PolicyCase& policy_case) {
  std::vector<std::string> role_pool = {"app_reader", "app_writer", "app_admin", "auditor"};
  random.shuffle(role_pool);
  int role_count = random.between(2, 4);
  for (int index = 0; index < role_count; ++index) {
    Role role{role_pool[static_cast<size_t>(index)], {}};
    // Only earlier roles are inherited, so there is never a cycle.
    if (index > 0 && language.has(Feature::kRoleInheritance) && random.chance(0.3)) {
      role.inherits.push_back(role_pool[static_cast<size_t>(random.between(0, index - 1))]);
    }
    policy_case.roles.push_back(role);
  }
  std::vector<std::string> users = {"alice", "bob", "carol"};
  random.shuffle(users);
  policy_case.principal.user = users[0];
  policy_case.other_users = {users[1]};
  for (const Role& role : policy_case.roles) {
    if (random.chance(0.45)) policy_case.principal.roles.push_back(role.name);
  }
  if (language.has(Feature::kCurrentSetting)) {
    std::vector<SettingKind> kinds = settings_for(language);
    for (const SettingKind& kind : kinds) {
      if (!random.chance(0.65)) continue;
      // Now and then a value meant for another setting: casts of it fail at run time.
      const SettingKind& source = random.chance(0.1) ? random.pick(kinds) : kind;
      policy_case.principal.settings.emplace_back(kind.name, random.pick(source.values));
    }
  }
}

// A TO list: mostly the principal, its roles and PUBLIC, sometimes roles it lacks.
std::vector<std::string> generate_to_list(RandomSource& random, const GeneratorLanguage& language,
                                          const PolicyCase& policy_case) {
  if (!language.has(Feature::kToRoles) || random.chance(0.4)) return {};
  std::vector<std::string> candidates = {random.chance(0.8) ? "PUBLIC" : "public", policy_case.principal.user,
                                         policy_case.other_users[0]};
  std::vector<double> weights = {1.0, 1.5, 0.6};
  for (const Role& role : policy_case.roles) {
    candidates.push_back(random.chance(0.9) ? role.name : [&] {
      std::string upper = role.name;  // unquoted names fold to lower case
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return upper;
    }());
    weights.push_back(1.0);
  }
  if (language.has(Feature::kCurrentUser)) {
    candidates.push_back("CURRENT_USER");
    weights.push_back(0.25);
  }
  std::vector<std::string> chosen;
  int count = random.between(1, 3);
  for (int attempt = 0; static_cast<int>(chosen.size()) < count && attempt < 20; ++attempt) {
    size_t index = random.weighted(weights);
    weights[index] = 0;  // no duplicates
    chosen.push_back(candidates[index]);
    if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0; })) break;
  }
  return chosen;
}

Policy generate_policy(RandomSource& random, const GeneratorLanguage& language, const PolicyCase& policy_case,
                       const std::string& name, bool make_invalid) {
  ExpressionScope scope{policy_case.table, policy_case.columns, {policy_case.principal.user, policy_case.other_users[0]}};
  ExpressionGenerator expressions(random, language, scope);
  auto expression = [&] { return expressions.predicate(random.between(1, 3)); };

  Policy policy;
  policy.name = name;
  policy.restrictive = language.has(Feature::kRestrictive) && random.chance(0.3);
  policy.spell_out_defaults = random.chance(0.15);
  policy.command = std::vector<PolicyCommand>{PolicyCommand::kAll, PolicyCommand::kSelect, PolicyCommand::kInsert,
                                              PolicyCommand::kUpdate, PolicyCommand::kDelete}
      [random.weighted({2.2, 1.0, 1.0, 1.0, 1.0})];
  policy.to = generate_to_list(random, language, policy_case);
  switch (policy.command) {
    case PolicyCommand::kAll:
    case PolicyCommand::kUpdate:
      if (random.chance(0.88)) policy.using_expression = expression();
      if (random.chance(0.45)) policy.check_expression = expression();
      break;
    case PolicyCommand::kSelect:
    case PolicyCommand::kDelete:
      if (random.chance(0.93)) policy.using_expression = expression();
      if (make_invalid) policy.check_expression = expression();  // WITH CHECK cannot apply to SELECT or DELETE
      break;
    case PolicyCommand::kInsert:
      if (random.chance(0.93)) policy.check_expression = expression();
      if (make_invalid) policy.using_expression = expression();  // only WITH CHECK is allowed for INSERT
      break;
  }
  return policy;
}

// Plan-time errors under default deny: policies mostly for commands other than the statement's
// (a reading UPDATE or DELETE, or RETURNING, still gets the SELECT policies), built around
// settings whose column-free parts PostgreSQL's planner evaluates, for a principal whose
// settings are mostly unset or malformed. PostgreSQL then fails the statement before looking at
// any row, whatever the policies would decide; eval must give exactly that error.
PolicyCommand policy_command_of(Command command) {
  switch (command) {
    case Command::kSelect: return PolicyCommand::kSelect;
    case Command::kInsert: return PolicyCommand::kInsert;
    case Command::kUpdate: return PolicyCommand::kUpdate;
    case Command::kDelete: return PolicyCommand::kDelete;
  }
  return PolicyCommand::kAll;
}

bool wants_plan_time_focus(RandomSource& random, const GeneratorLanguage& language) {
  return language.has(Feature::kCurrentSetting) && language.has(Feature::kCasts) && random.chance(0.3);
}

Policy generate_setting_policy(RandomSource& random, const GeneratorLanguage& language, const PolicyCase& policy_case,
                               const std::string& name) {
  ExpressionScope scope{policy_case.table, policy_case.columns, {policy_case.principal.user, policy_case.other_users[0]}};
  ExpressionGenerator expressions(random, language, scope);
  auto expression = [&] {
    return random.chance(0.8) ? expressions.setting_predicate(random.between(1, 2)) : expressions.predicate(random.between(1, 2));
  };
  Policy policy;
  policy.name = name;
  policy.restrictive = language.has(Feature::kRestrictive) && random.chance(0.25);
  policy.spell_out_defaults = random.chance(0.15);
  policy.to = generate_to_list(random, language, policy_case);
  const PolicyCommand own = policy_command_of(policy_case.statement.command);
  std::vector<PolicyCommand> others;
  for (PolicyCommand command : {PolicyCommand::kSelect, PolicyCommand::kInsert, PolicyCommand::kUpdate, PolicyCommand::kDelete}) {
    if (command != own) others.push_back(command);
  }
  // Mostly SELECT, the policies reading adds; sometimes the statement's own command or ALL, so
  // that permissive and restrictive outcomes other than default deny occur as well.
  if (random.chance(0.75)) {
    policy.command = random.chance(0.7) ? PolicyCommand::kSelect : random.pick(others);
  } else {
    policy.command = random.chance(0.5) ? PolicyCommand::kAll : own;
  }
  bool takes_using = policy.command != PolicyCommand::kInsert;
  bool takes_check = policy.command == PolicyCommand::kAll || policy.command == PolicyCommand::kUpdate ||
                     policy.command == PolicyCommand::kInsert;
  if (takes_using && random.chance(0.93)) policy.using_expression = expression();
  if (takes_check && random.chance(policy.command == PolicyCommand::kInsert ? 0.93 : 0.45)) policy.check_expression = expression();
  return policy;
}

// Settings for the focus above: each unset more often than not, and a set one often malformed
// (a value meant for another setting, so that its cast fails).
void focus_settings(RandomSource& random, const GeneratorLanguage& language, PolicyCase& policy_case) {
  std::vector<SettingKind> kinds = settings_for(language);
  policy_case.principal.settings.clear();
  for (const SettingKind& kind : kinds) {
    if (!random.chance(0.4)) continue;
    const SettingKind& source = random.chance(0.5) ? random.pick(kinds) : kind;
    policy_case.principal.settings.emplace_back(kind.name, random.pick(source.values));
  }
}

// ALTER POLICY and DROP POLICY on the policies just created, tracking renames and drops.
void generate_changes(RandomSource& random, const GeneratorLanguage& language, PolicyCase& policy_case) {
  if (!language.has(Feature::kPolicyChanges) || policy_case.policies.empty() || !random.chance(0.2)) return;
  std::vector<std::pair<std::string, PolicyCommand>> live;
  for (const Policy& policy : policy_case.policies) live.emplace_back(policy.name, policy.command);
  std::vector<std::string> spare_names = {"renamed", "b_policy", "Zebra"};
  ExpressionScope scope{policy_case.table, policy_case.columns, {policy_case.principal.user, policy_case.other_users[0]}};
  ExpressionGenerator expressions(random, language, scope);
  bool invalid = language.has(Feature::kInvalidPolicies) && random.chance(0.1);
  int count = random.between(1, 2);
  for (int index = 0; index < count && !live.empty(); ++index) {
    size_t target = static_cast<size_t>(random.between(0, static_cast<int>(live.size()) - 1));
    auto& [name, command] = live[target];
    bool takes_using = command != PolicyCommand::kInsert;
    bool takes_check = command == PolicyCommand::kAll || command == PolicyCommand::kUpdate || command == PolicyCommand::kInsert;
    PolicyChange change;
    change.policy = name;
    switch (random.weighted({1.0, language.has(Feature::kToRoles) ? 1.0 : 0.0, takes_using || invalid ? 1.0 : 0.0,
                             takes_check || invalid ? 1.0 : 0.0, 0.7, 0.3})) {
      case 0:
        change.kind = PolicyChange::Kind::kRename;
        change.new_name = spare_names[static_cast<size_t>(index)];
        name = change.new_name;
        break;
      case 1:
        change.kind = PolicyChange::Kind::kAlterTo;
        change.to = generate_to_list(random, language, policy_case);
        if (change.to.empty()) change.to = {"PUBLIC"};
        break;
      case 2:
        change.kind = PolicyChange::Kind::kAlterUsing;
        change.expression = expressions.predicate(random.between(1, 3));
        break;
      case 3:
        change.kind = PolicyChange::Kind::kAlterCheck;
        change.expression = expressions.predicate(random.between(1, 3));
        break;
      case 4:
        change.kind = PolicyChange::Kind::kDrop;
        change.if_exists = random.chance(0.3);
        live.erase(live.begin() + static_cast<long>(target));
        break;
      default:
        change.kind = PolicyChange::Kind::kDrop;  // of a policy that does not exist: a notice only
        change.policy = "never_created";
        change.if_exists = true;
        break;
    }
    policy_case.changes.push_back(change);
  }
}

Row random_row(RandomSource& random, const PolicyCase& policy_case, const GeneratorLanguage& language) {
  Row row;
  for (const Column& column : policy_case.columns) row.push_back(random_value(random, column, language, 0.12));
  return row;
}

// Mostly the old row with one or two columns changed, which is what updates do.
Row new_row_for(RandomSource& random, const PolicyCase& policy_case, const Row& old_row,
                const GeneratorLanguage& language) {
  if (random.chance(0.2)) return random_row(random, policy_case, language);
  Row row = old_row;
  int changes = random.between(1, 2);
  for (int change = 0; change < changes; ++change) {
    size_t column = static_cast<size_t>(random.between(0, static_cast<int>(row.size()) - 1));
    row[column] = random_value(random, policy_case.columns[column], language, 0.12);
  }
  return row;
}

}  // namespace

PolicyCase generate_case(uint64_t seed, const GeneratorLanguage& language) {
  RandomSource random(seed);
  PolicyCase policy_case;
  policy_case.table = random.pick(std::vector<std::string>{"docs", "orders", "accounts", "items"});
  policy_case.columns = generate_columns(random, language);
  policy_case.rls = generate_rls(random);
  generate_people(random, language, policy_case);

  Statement& statement = policy_case.statement;
  statement.command = std::vector<Command>{Command::kSelect, Command::kInsert, Command::kUpdate,
                                           Command::kDelete}[static_cast<size_t>(random.between(0, 3))];
  statement.reads_columns = !language.has(Feature::kNoRead) || random.chance(0.6);
  statement.returning = statement.command != Command::kSelect && language.has(Feature::kReturning) && random.chance(0.3);

  std::vector<std::string> policy_names = {"tenant_isolation", "owner_access", "p1", "zz_last", "alpha",
                                           "level_cap", "Read Access"};
  random.shuffle(policy_names);
  if (wants_plan_time_focus(random, language)) {
    if (policy_case.rls == RlsSetting::kNotEnabled || policy_case.rls == RlsSetting::kDisabled) {
      policy_case.rls = RlsSetting::kEnabled;
    }
    focus_settings(random, language, policy_case);
    int policy_count = random.between(1, 3);
    for (int index = 0; index < policy_count; ++index) {
      policy_case.policies.push_back(
          generate_setting_policy(random, language, policy_case, policy_names[static_cast<size_t>(index)]));
    }
  } else {
    int policy_count = static_cast<int>(random.weighted({0.06, 0.3, 0.3, 0.2, 0.14}));
    int invalid_index = language.has(Feature::kInvalidPolicies) && random.chance(0.03) ? random.between(0, 3) : -1;
    for (int index = 0; index < policy_count; ++index) {
      policy_case.policies.push_back(
          generate_policy(random, language, policy_case, policy_names[static_cast<size_t>(index)], index == invalid_index));
    }
    generate_changes(random, language, policy_case);
  }
  if (language.has(Feature::kSpelling)) {
    policy_case.spelling.lower_case_keywords = random.chance(0.2);
    policy_case.spelling.qualified_table = random.chance(0.2);
    policy_case.spelling.comments = random.chance(0.2);
  }

  int row_count = random.between(2, 8);
  for (int index = 0; index < row_count; ++index) {
    policy_case.rows.push_back(random_row(random, policy_case, language));
    if (statement.command == Command::kUpdate) {
      policy_case.new_rows.push_back(new_row_for(random, policy_case, policy_case.rows.back(), language));
    }
  }
  return policy_case;
}

}  // namespace weftkit::policy::pgtest
