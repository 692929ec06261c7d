#!/usr/bin/env bash
# ctest's embed_example_output: runs the example and requires its whole stdout to equal the
# expected output (a unified diff when it does not) and its exit status to be 0.
set -uo pipefail
binary=${1:?usage: check_output.sh BINARY ROLES POLICIES DATA_DIR EXPECTED}
roles=$2 policies=$3 data=$4 expected=$5
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$binary" "$roles" "$policies" "$data" >"$actual"
status=$?
if ! diff -u --label expected_output.txt --label actual "$expected" "$actual"; then
  echo "check_output.sh: the output differs from $expected" >&2
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "check_output.sh: the example exited with status $status" >&2
  exit 1
fi
