#!/usr/bin/env bash
# The demo behind `make demo`: compile examples/roles.yaml and print decisions with reasons,
# then show row-level security from examples/policies.sql filtering rows per tenant, and run
# the embedding example (examples/embed/), an engine that uses the runtime, and last the
# example engines reached by real clients (engines_demo.sh).
set -euo pipefail
policyc=${1:?usage: demo.sh PATH/TO/weftkit-policyc}
policyc=$(realpath "$policyc")
# Run from the repository root so that the printed positions read examples/roles.yaml:LINE:COL.
cd "$(dirname "$0")/.."
roles=examples/roles.yaml
out_dir=$(dirname "$policyc")/../examples
mkdir -p "$out_dir"
bundle=$(realpath --relative-to=. "$out_dir")/roles.wkpb

echo "\$ weftkit-policyc check examples/roles.yaml"
"$policyc" check "$roles"
echo
echo "\$ weftkit-policyc compile $roles -o $bundle"
"$policyc" compile "$roles" -o "$bundle"

# Each line: user, operation, table. The decisions are read from the compiled bundle.
while read -r user op table; do
  [[ -z "$user" || "$user" == \#* ]] && continue
  echo
  echo "\$ weftkit-policyc explain $bundle --user $user --op \"${op//_/ }\" --table $table"
  "$policyc" explain "$bundle" --user "$user" --op "${op//_/ }" --table "$table"
done <<'QUERIES'
alice   SELECT    orders
alice   COPY_TO   orders
alice   INSERT    orders
carol   INSERT    sales.invoices
carol   INSERT    orders
carol   DROP      sales.invoices
dave    UPDATE    orders
dave    UPDATE    payroll
bob     DELETE    orders
bob     DELETE    audit_log
mallory SELECT    orders
loader  COPY_FROM staging.events
root    DROP      audit_log
nobody  SELECT    orders
QUERIES

echo
echo "== Row-level security: examples/policies.sql over the rows of examples/orders.jsonl"
nl -ba -w2 -s': ' examples/orders.jsonl
run_eval() {
  echo
  echo "\$ weftkit-policyc eval examples/roles.yaml examples/policies.sql --table orders $*"
  "$policyc" eval examples/roles.yaml examples/policies.sql --table orders "$@"
}
run_eval --command SELECT --user bob --set app.tenant_id=tenant-001 --rows examples/orders.jsonl
run_eval --command SELECT --user bob --set app.tenant_id=tenant-002 --rows examples/orders.jsonl
# alice is an analyst: the restrictive policy also hides orders that are not settled.
run_eval --command SELECT --user alice --set app.tenant_id=tenant-001 --rows examples/orders.jsonl
# Writing another tenant's row is rejected, not silently dropped.
run_eval --command INSERT --user bob --set app.tenant_id=tenant-001 --rows examples/new_orders.jsonl
# root holds platform_admin, which inherits superuser: row-level security is bypassed.
run_eval --command SELECT --user root --rows examples/orders.jsonl

# The embedding example (examples/embed/): a small table engine that links the runtime, built
# beside weftkit-policyc in the same build tree.
embed=$(dirname "$policyc")/../examples/embed/weftkit-embed-example
echo
echo "== An engine embedding the runtime: examples/embed/ (see examples/embed/README.md)"
echo "\$ $(realpath --relative-to=. "$embed") examples/roles.yaml examples/policies.sql examples/embed/data"
"$embed" examples/roles.yaml examples/policies.sql examples/embed/data

echo
bash examples/engines_demo.sh "$(dirname "$policyc")/.."
