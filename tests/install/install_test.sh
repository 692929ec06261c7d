#!/usr/bin/env bash
# The installed package, used the way an engine team outside this tree would use it:
#   install_test.sh BUILD_DIR SOURCE_DIR
# installs into a temporary prefix, then, with only that prefix: runs the installed
# weftkit-policyc compile --emit=so while the build tree (and the source tree) cannot be seen,
# builds a C++ consumer with find_package(WeftKitPolicy), the C example (examples/c) out of
# tree with find_package, and C consumers of the runtime, of the authentication library and of
# the audit log with pkg-config, and runs each on that module, the example policies or a users
# file (the audit consumers' logs checked by the installed `weftkit-policyc audit verify`).
# Exits non-zero, saying what failed, on the first difference.
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
work=$(mktemp -d)
# The build tree goes back where it was whatever happens while it is hidden by renaming.
trap '[[ -d "$build.hidden" && ! -e "$build" ]] && mv "$build.hidden" "$build"; rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "install test: $*" >&2; exit 1; }
expect_output() {  # expect_output "what" "expected text" command...
  local what=$1 expected=$2; shift 2
  local actual
  actual=$("$@" 2>&1) || fail "$what failed:\n$actual"
  [[ "$actual" == "$expected" ]] || fail "$what printed:\n$actual\nexpected:\n$expected"
  echo "ok: $what"
}

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install failed: $(cat "$work/install.log")"
libdir=$(dirname "$(find "$prefix" -name 'libweftkit_runtime.so.0' -print -quit)")
[[ -n "$libdir" && "$libdir" != "." ]] || fail "libweftkit_runtime.so.0 was not installed"

# What is installed: the versioned libraries, the public headers and no private one.
for file in "$prefix/bin/weftkit-policyc" "$libdir/libweftkit_runtime.so.0" "$libdir/libweftkit_policy_compiler.so.0" \
            "$libdir/libweftkit_auth.so.0" "$libdir/libweftkit_audit.so.0" "$libdir/libweftkit_crypto.so.0" \
            "$libdir/libweftkit_config.so.0" "$prefix/include/weftkit/policy_runtime.h" \
            "$prefix/include/weftkit/weftkit_policy.h" "$prefix/include/weftkit/auth/weftkit_auth.h" \
            "$prefix/include/weftkit/audit/weftkit_audit.h" \
            "$libdir/cmake/WeftKitPolicy/WeftKitPolicyConfig.cmake" "$libdir/pkgconfig/weftkit-policy-runtime.pc" \
            "$libdir/pkgconfig/weftkit-policy-auth.pc" "$libdir/pkgconfig/weftkit-policy-audit.pc" \
            "$libdir/pkgconfig/weftkit-policy-crypto.pc" "$libdir/pkgconfig/weftkit-policy-config.pc"; do
  [[ -e "$file" ]] || fail "not installed: ${file#$prefix/}"
done
private=$(find "$prefix/include" -type f ! -path "$prefix/include/weftkit/*" | head -1)
[[ -z "$private" ]] || fail "a header outside include/weftkit was installed: $private"
for library in libweftkit_runtime.so.0 libweftkit_auth.so.0 libweftkit_audit.so.0; do
  if ldd "$libdir/$library" | grep -Eiq 'llvm|antlr|yaml'; then
    fail "the installed $library links LLVM, ANTLR or yaml-cpp: $(ldd "$libdir/$library")"
  fi
done
echo "ok: installed files"

# The installed compiler emits a module with the build and source trees out of sight: what it
# links comes from the prefix. (A private mount namespace hides them; without one, the build
# tree is renamed for the length of the compile.)
cp "$source/examples/roles.yaml" "$source/examples/policies.sql" "$work/"
compile=("$prefix/bin/weftkit-policyc" compile "$work/roles.yaml" "$work/policies.sql" --emit=so -o "$work/policy.so")
if unshare --mount true 2>/dev/null; then
  unshare --mount bash -c 'mount -t tmpfs none "$1" && mount -t tmpfs none "$2" && shift 2 && exec "$@"' \
    hide "$build" "$source" "${compile[@]}" > "$work/compile.log" 2>&1 \
    || fail "installed weftkit-policyc --emit=so failed without the build tree:\n$(cat "$work/compile.log")"
else
  mv "$build" "$build.hidden"
  status=0
  "${compile[@]}" > "$work/compile.log" 2>&1 || status=$?
  mv "$build.hidden" "$build"
  [[ $status -eq 0 ]] || fail "installed weftkit-policyc --emit=so failed without the build tree:\n$(cat "$work/compile.log")"
fi
echo "ok: installed weftkit-policyc compile --emit=so without the build tree"

# A C++ consumer with find_package(WeftKitPolicy).
cmake -S "$source/tests/install/consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  > "$work/consumer.log" 2>&1 || fail "configuring the consumer failed:\n$(cat "$work/consumer.log")"
cmake --build "$work/consumer" >> "$work/consumer.log" 2>&1 || fail "building the consumer failed:\n$(cat "$work/consumer.log")"
expect_output "find_package consumer serving the installed compiler's module" \
  "alice SELECT orders: allow
alice INSERT orders: deny
orders has 6 columns; native plans: 1" "$work/consumer/module_consumer" "$work/policy.so"
expect_output "find_package consumer compiling policy text in process" \
  "bob DELETE orders: allow
bob DROP orders: deny" "$work/consumer/compiler_consumer" "$work/roles.yaml" "$work/policies.sql"
# A users file as operators write it, for the authentication consumers.
htpasswd -nbB -C 4 erin erin-pw > "$work/users" 2>/dev/null || fail "htpasswd (apache2-utils) is needed to write a users file"
auth_expected="erin: bad_credentials
erin: accepted as erin"
expect_output "find_package consumer logging in through the auth C API" "$auth_expected" \
  "$work/consumer/auth_consumer" "$work/users" erin erin-pw
# The audit consumers: a denied check recorded through a log whose handle was closed first, and
# the file checked as a chain by the installed CLI.
audit_expected="dave DELETE orders: deny
recorded: dave DELETE orders denied"
expect_output "find_package consumer recording a denial through the audit C API" "$audit_expected" \
  "$work/consumer/audit_consumer" "$work/policy.so" "$work/find_package_audit.jsonl"
expect_output "installed weftkit-policyc audit verify on the find_package consumer's log" \
  "1 record verified in 1 file" "$prefix/bin/weftkit-policyc" audit verify "$work/find_package_audit.jsonl"

# The C example, out of tree, with find_package; its whole output as in the tree's own test.
cmake -S "$source/examples/c" -B "$work/example-c" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  > "$work/example-c.log" 2>&1 || fail "configuring examples/c failed:\n$(cat "$work/example-c.log")"
cmake --build "$work/example-c" >> "$work/example-c.log" 2>&1 || fail "building examples/c failed:\n$(cat "$work/example-c.log")"
(cd "$work/example-c" && cmake -DPROGRAM="$work/example-c/embed_check" -DEXPECTED="$source/examples/c/expected_output.txt" \
   -P "$source/examples/c/run_and_compare.cmake") || fail "examples/c built out of tree printed something else"
echo "ok: examples/c built out of tree with find_package"

# A C consumer built with pkg-config.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs weftkit-policy-runtime) || fail "pkg-config does not know weftkit-policy-runtime"
cc -std=c99 -Wall -Wextra -Werror "$source/tests/install/consumer/pkgconfig_consumer.c" $flags -Wl,-rpath,"$libdir" \
  -o "$work/pkgconfig_consumer" || fail "building the pkg-config consumer failed"
expect_output "pkg-config consumer serving the module" \
  "dave UPDATE orders: allow
dave DELETE orders: deny" "$work/pkgconfig_consumer" "$work/policy.so"
flags=$(pkg-config --cflags --libs weftkit-policy-auth) || fail "pkg-config does not know weftkit-policy-auth"
cc -std=c99 -Wall -Wextra -Werror "$source/tests/install/consumer/auth_consumer.c" $flags -Wl,-rpath,"$libdir" \
  -o "$work/auth_consumer" || fail "building the pkg-config auth consumer failed"
expect_output "pkg-config consumer logging in through the auth C API" "$auth_expected" \
  "$work/auth_consumer" "$work/users" erin erin-pw
flags=$(pkg-config --cflags --libs weftkit-policy-audit) || fail "pkg-config does not know weftkit-policy-audit"
cc -std=c99 -Wall -Wextra -Werror "$source/tests/install/consumer/audit_consumer.c" $flags -Wl,-rpath,"$libdir" \
  -o "$work/audit_consumer" || fail "building the pkg-config audit consumer failed"
expect_output "pkg-config consumer recording a denial through the audit C API" "$audit_expected" \
  "$work/audit_consumer" "$work/policy.so" "$work/pkgconfig_audit.jsonl"
expect_output "installed weftkit-policyc audit verify on the pkg-config consumer's log" \
  "1 record verified in 1 file" "$prefix/bin/weftkit-policyc" audit verify "$work/pkgconfig_audit.jsonl"
echo "install test: all passed"
