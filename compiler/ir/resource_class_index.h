// A policy program's resource classification by name text, for checks that name a table on
// every call: the same answer as parse_resource_name + ResourceClassTable::classify, without
// allocating, and for the names the program declares or scopes roles to, without parsing.
#pragma once

#include <string_view>

#include "compiler/ir/frozen_text_map.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy {

// Immutable after construction, so any number of threads may look up at once.
class ResourceClassIndex {
 public:
  ResourceClassIndex() = default;  // classifies nothing: assign one built from a program
  explicit ResourceClassIndex(const PolicyProgram& program);

  // The class of `name` ("orders", "sales.orders"); for a text that is not a resource name,
  // permissions.class_count (the always-denied entry after the classes).
  ResourceClassId classify(std::string_view name) const;

 private:
  FrozenTextMap by_spelling_;     // exact classes and declared tables, bare and schema-qualified
  FrozenTextMap rest_of_schema_;  // schema → its class of names no exact pattern covers
  ResourceClassId everything_else_ = 0;
  ResourceClassId not_a_name_ = 0;
};

}  // namespace weftkit::policy
