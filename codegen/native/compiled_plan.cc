// CompiledPlan (see compiled_plan.h).
#include "codegen/native/compiled_plan.h"

namespace weftkit::policy::native {

CompiledPlan::CompiledPlan(StatementPlan plan, TableDefinition table)
    : plan_(std::make_unique<StatementPlan>(std::move(plan))),
      table_(std::move(table)),
      layout_(lay_out_native_plan(*plan_)) {}

}  // namespace weftkit::policy::native
