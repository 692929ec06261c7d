#!/usr/bin/env bash
# The demo behind `make demo`: compile examples/roles.yaml and print decisions with reasons.
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
