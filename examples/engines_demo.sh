#!/usr/bin/env bash
# The example engines as the product page shows them, reached by real clients: installs the
# package from BUILD_DIR into BUILD_DIR/demo/prefix, builds examples/kv against it, makes demo
# certificates, keys and tokens, starts the engine on loopback port 20004, prints each client
# command before what the client printed, and stops the engine.
#   engines_demo.sh BUILD_DIR
set -euo pipefail
build=$(realpath "${1:?usage: engines_demo.sh BUILD_DIR}")
cd "$(dirname "$0")/.."
demo=$build/demo
rm -rf "$demo/run" && mkdir -p "$demo/run"
run=$demo/run

bash tests/examples/build_example_engines.sh "$build" "$PWD" "$demo" kv > "$run/build.log" 2>&1 ||
  { cat "$run/build.log"; exit 1; }

# A demo CA and a server certificate for localhost, made as an operator would.
(
  cd "$run"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 1 \
    -subj "/CN=WeftKit demo CA" -addext basicConstraints=critical,CA:true \
    -addext keyUsage=critical,keyCertSign,cRLSign 2> /dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
    -subj "/CN=localhost" 2> /dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 1 \
    -extfile server.ext 2> /dev/null
  openssl rand 32 > master.key
)

# HS256 tokens signed with the demo's secret (WEFTKIT_JWT_SECRET); an identity provider's
# RS256 or ES256 tokens with WEFTKIT_JWT_JWKS_URI work the same way.
secret=$(openssl rand -hex 24)
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
token_for() {  # token_for USER TENANT
  local header payload signature
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | base64url)
  payload=$(printf '{"sub":"%s","tenant_id":"%s","exp":%d}' "$1" "$2" $(($(date +%s) + 600)) | base64url)
  signature=$(printf '%s' "$header.$payload" | openssl dgst -sha256 -hmac "$secret" -binary | base64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

export WEFTKIT_AUTH=jwt WEFTKIT_JWT_SECRET=$secret
export WEFTKIT_TLS_CERT=$run/server.crt WEFTKIT_TLS_KEY=$run/server.key
export WEFTKIT_ENCRYPTION=aes-256-gcm WEFTKIT_KEY_PROVIDER=env WEFTKIT_KEY
WEFTKIT_KEY=$(base64 < "$run/master.key")
export WEFTKIT_AUDIT=true WEFTKIT_AUDIT_OUTPUT=$run/kv-audit.jsonl WEFTKIT_DATA_DIR=$run/kv-data

echo "== weftkit-kv (examples/kv/): HTTPS, a bearer JWT per request, items in per-tenant encrypted pages"
echo "\$ weftkit-kv --listen 127.0.0.1:20004 --policy examples/roles.yaml --policy examples/kv/items.sql &"
"$demo/kv/weftkit-kv" --listen 127.0.0.1:20004 --policy examples/roles.yaml --policy examples/kv/items.sql \
  > "$run/kv.log" 2>&1 &
kv_pid=$!
trap 'kill $kv_pid 2> /dev/null || true' EXIT
for _ in $(seq 100); do
  curl -s --cacert "$run/ca.crt" -o /dev/null https://localhost:20004/ 2> /dev/null && break
  kill -0 $kv_pid 2> /dev/null || { cat "$run/kv.log"; exit 1; }
  sleep 0.1
done

client() {  # client USER TENANT [curl arguments...] URL: prints the command, then what curl printed
  local user=$1 tenant=$2
  shift 2
  JWT=$(token_for "$user" "$tenant")
  echo
  echo "# $user of $tenant"
  echo "\$ curl -H \"Authorization: Bearer \$JWT\" $(printf '%q ' "$@")"
  { curl -sS --cacert "$run/ca.crt" -H "Authorization: Bearer $JWT" "$@" || true; } | sed -e '$a\'  # end with a newline
}
# bob (read_write, tenant-002) stores and reads an item; alice (analyst, tenant-001) reads but
# may not write, and her tenant has no item abc: tenants never see each other's items.
client bob tenant-002 -X PUT --data-binary 'an item of tenant-002' https://localhost:20004/items/abc
client bob tenant-002 https://localhost:20004/items/abc
client alice tenant-001 https://localhost:20004/items/abc
client alice tenant-001 -X PUT --data-binary 'x' https://localhost:20004/items/abc
client alice tenant-002 https://localhost:20004/items/abc

kill $kv_pid
wait $kv_pid 2> /dev/null || true
trap - EXIT
echo
echo "\$ grep -c 'an item of' -r kv-data   # the stored value is nowhere in the data directory"
grep -c 'an item of' -r "$run/kv-data" | sed "s|$run/||" || true
echo "\$ weftkit-policyc audit verify kv-audit.jsonl"
"$demo/prefix/bin/weftkit-policyc" audit verify "$run/kv-audit.jsonl"
