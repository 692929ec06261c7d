// The part of issue 3's language that the random generator writes, as named features.
// Everything is on by default; WEFTKIT_PG_FEATURES narrows it ("-like,-date" switches two
// off; "none,case,like" switches only those on) to isolate a disagreement, and a construct
// the compiler learns later is added here as a new feature.
//
// Always generated: columns of type boolean, integer and text; comparisons = <> != < <= > >=;
// AND, OR, NOT; literals TRUE/FALSE/NULL, integers, strings; permissive policies FOR
// ALL/SELECT/INSERT/UPDATE/DELETE with USING/WITH CHECK; SELECT/INSERT/UPDATE/DELETE.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace weftkit::policy::pgtest {

enum class Feature {
  kSmallint,         // smallint columns (and smallint out of range)
  kBigint,           // bigint columns and literals beyond 32 bits
  kVarchar,          // varchar(n) columns and ::varchar(n) casts
  kDate,             // date columns, DATE '...' literals, date +/- integer, date - date
  kFloat,            // real and double precision columns, numeric literals (1.5), NaN and infinities
  kTimestamp,        // timestamp columns and literals, compared with dates
  kUuid,             // uuid columns and literals, current_setting(...)::uuid
  kArithmetic,       // + - * and unary minus, which may overflow
  kDivision,         // / and %, which may divide by zero
  kIsNull,           // IS [NOT] NULL
  kIsTruth,          // IS [NOT] TRUE / FALSE
  kInList,           // [NOT] IN (...), lists with NULLs
  kBetween,          // [NOT] BETWEEN
  kLike,             // [NOT] LIKE / ILIKE with % _ and backslash escapes
  kConcat,           // ||
  kCase,             // CASE WHEN ... THEN ... [ELSE ...] END
  kFunctions,        // coalesce nullif lower upper length abs greatest least
  kCasts,            // ::type and CAST(x AS type)
  kCurrentUser,      // current_user, session_user; CURRENT_USER in TO lists
  kCurrentSetting,   // current_setting(name [, missing_ok]), settings given with --set
  kRestrictive,      // AS RESTRICTIVE policies
  kToRoles,          // TO lists: PUBLIC, user names, roles held or not
  kRoleInheritance,  // roles inheriting roles (GRANT role TO role)
  kReturning,        // RETURNING *
  kNoRead,           // statements that read no column (--no-read)
  kInvalidPolicies,  // policies PostgreSQL rejects (USING on INSERT, WITH CHECK on SELECT/DELETE)
  kPolicyChanges,    // ALTER POLICY (RENAME TO, TO, USING, WITH CHECK) and DROP POLICY [IF EXISTS]
  kSpelling,         // lower-case keywords, public.table, -- and /* */ comments
  kEdgeValues,       // INT_MAX, INT_MIN, infinity dates, LIKE metacharacters in data
  kNonAscii,         // non-ASCII strings
};

class GeneratorLanguage {
 public:
  static GeneratorLanguage everything();
  // Parses a WEFTKIT_PG_FEATURES value; nullopt and `problem` set on an unknown name.
  static std::optional<GeneratorLanguage> from_spec(const std::string& spec, std::string& problem);

  bool has(Feature feature) const { return enabled_.count(feature) != 0; }
  void enable(Feature feature) { enabled_.insert(feature); }
  void disable(Feature feature) { enabled_.erase(feature); }
  // "all" or the comma-separated names of the enabled features.
  std::string describe() const;

 private:
  std::set<Feature> enabled_;
};

const std::vector<std::pair<Feature, std::string>>& feature_names();

}  // namespace weftkit::policy::pgtest
