// Precomputed name → resource class lookups (see resource_class_index.h).
#include "compiler/ir/resource_class_index.h"

#include <string>
#include <utility>
#include <vector>

namespace weftkit::policy {

ResourceClassIndex::ResourceClassIndex(const PolicyProgram& program)
    : everything_else_(static_cast<ResourceClassId>(program.resource_classes.classes.size() - 1)),
      not_a_name_(program.permissions.class_count) {
  const ResourceClassTable& table = program.resource_classes;
  std::vector<std::pair<std::string, uint32_t>> spellings;
  // Every text parse_resource_name accepts for the name ("schema.table", and "table" alone in
  // the default schema), with the class classify itself gives it, so that a hit answers
  // exactly what the slow path would.
  // A spelling is kept only when parsing it gives back this very name: `public."x.y"` is not
  // spelled "x.y" (that is table y of schema x), and `"Orders"` is not spelled "Orders".
  auto add = [&](const ResourceName& name) {
    ResourceClassId resource_class = table.classify(name);
    for (std::string spelling : {name.qualified(), name.schema == kDefaultSchema ? name.table : std::string()}) {
      if (spelling.empty()) continue;
      if (parse_resource_name(spelling).name == name) spellings.emplace_back(std::move(spelling), resource_class);
    }
  };
  for (const ResourceClass& resource_class : table.classes) {
    if (resource_class.kind == ResourceClass::Kind::kExact) add({resource_class.schema, resource_class.table});
  }
  for (const TableDefinition& declared : program.tables) add(declared.name);
  by_spelling_ = FrozenTextMap(spellings);

  // classify lets the last rest-of-schema class of a schema win; so does a later entry here.
  std::vector<std::pair<std::string, uint32_t>> schemas;
  for (ResourceClassId id = 0; id < table.classes.size(); ++id) {
    if (table.classes[id].kind == ResourceClass::Kind::kRestOfSchema) schemas.emplace_back(table.classes[id].schema, id);
  }
  rest_of_schema_ = FrozenTextMap(schemas);
}

ResourceClassId ResourceClassIndex::classify(std::string_view name) const {
  if (std::optional<uint32_t> found = by_spelling_.find(name)) return *found;
  // Not spelled in the program: no exact class can match, so classify would answer the rest
  // of its schema or everything else.
  std::optional<ResourceNameParts> parts = split_resource_name(name);
  if (!parts) return not_a_name_;
  if (std::optional<uint32_t> found = rest_of_schema_.find(parts->schema)) return *found;
  return everything_else_;
}

}  // namespace weftkit::policy
