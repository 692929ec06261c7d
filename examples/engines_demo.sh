#!/usr/bin/env bash
# The example engines as the product page shows them, reached by real clients: installs the
# package from BUILD_DIR into BUILD_DIR/demo/prefix, builds examples/relational and examples/kv
# against it, makes demo certificates, users, keys and tokens, starts the engines on loopback
# ports 20000 and 20004, prints each client command before what the client printed, and stops
# the engines.
#   engines_demo.sh BUILD_DIR
set -euo pipefail
build=$(realpath "${1:?usage: engines_demo.sh BUILD_DIR}")
cd "$(dirname "$0")/.."
demo=$build/demo
rm -rf "$demo/run" && mkdir -p "$demo/run"
run=$demo/run

bash tests/examples/build_example_engines.sh "$build" "$PWD" "$demo" relational kv > "$run/build.log" 2>&1 ||
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

# What both engines share: TLS, encryption under the demo's master key, the audit log.
export WEFTKIT_TLS_CERT=$run/server.crt WEFTKIT_TLS_KEY=$run/server.key
export WEFTKIT_ENCRYPTION=aes-256-gcm WEFTKIT_KEY_PROVIDER=env WEFTKIT_KEY
WEFTKIT_KEY=$(base64 < "$run/master.key")
export WEFTKIT_AUDIT=true
policyc=$demo/prefix/bin/weftkit-policyc

wait_for_port() {  # wait_for_port PID PORT LOG
  for _ in $(seq 150); do
    (exec 3<> "/dev/tcp/127.0.0.1/$2") 2> /dev/null && return 0
    kill -0 "$1" 2> /dev/null || { cat "$3"; exit 1; }
    sleep 0.1
  done
  cat "$3"
  exit 1
}

# Users of examples/roles.yaml with demo passwords: alice's stored as a SCRAM-SHA-256 verifier,
# bob's and root's as bcrypt hashes (htpasswd).
alice_password=$(openssl rand -hex 8) bob_password=$(openssl rand -hex 8) root_password=$(openssl rand -hex 8)
{
  echo "alice:$(printf '%s' "$alice_password" | "$policyc" auth hash --scram)"
  htpasswd -nbB bob "$bob_password"
  htpasswd -nbB root "$root_password"
} | grep -v '^$' > "$run/users"

echo "== weftkit-relational (examples/relational/): psql over TLS, SCRAM or password logins, row-level security"
echo "\$ weftkit-relational --listen 127.0.0.1:20000 --policy examples/roles.yaml --policy examples/relational/events.sql &"
WEFTKIT_AUTH=password WEFTKIT_AUTH_USERS_FILE=$run/users WEFTKIT_AUDIT_OUTPUT=$run/relational-audit.jsonl \
WEFTKIT_DATA_DIR=$run/relational-data "$demo/relational/weftkit-relational" --listen 127.0.0.1:20000 \
  --policy examples/roles.yaml --policy examples/relational/events.sql > "$run/relational.log" 2>&1 &
relational_pid=$!
trap 'kill $relational_pid 2> /dev/null || true' EXIT
wait_for_port $relational_pid 20000 "$run/relational.log"

sql() {  # sql USER[@TENANT] PASSWORD STATEMENT: prints the command (password hidden), then psql's output
  echo
  echo "\$ psql \"host=localhost port=20000 user=$1 password=*** dbname=default\" -c \"$3\""
  psql "host=localhost port=20000 user=$1 password=$2 dbname=default" -c "$3" 2>&1 || true
}
# root (platform_admin, a superuser) writes each tenant's events through that tenant's session.
sql root@tenant-001 "$root_password" "INSERT INTO events VALUES (1, 'tenant-001', 'login'), (2, 'tenant-001', 'export');"
sql bob@tenant-002 "$bob_password" "INSERT INTO events VALUES (3, 'tenant-002', 'login');"
# alice (analyst, tenant-001): her tenant's rows only, whatever the WHERE clause; no writes.
sql alice "$alice_password" "SELECT * FROM events;"
sql alice@tenant-001 "$alice_password" "SELECT * FROM events;"
sql alice@tenant-001 "$alice_password" "SELECT * FROM events WHERE tenant_id = 'tenant-002';"
sql alice@tenant-001 "$alice_password" "INSERT INTO events VALUES (4, 'tenant-001', 'forged');"
sql bob@tenant-002 "$bob_password" "SELECT * FROM events;"
sql alice@tenant-001 "not-her-password" "SELECT 1;"
kill $relational_pid
wait $relational_pid 2> /dev/null || true
trap - EXIT
echo
echo "\$ weftkit-policyc audit verify relational-audit.jsonl"
"$policyc" audit verify "$run/relational-audit.jsonl"

export WEFTKIT_AUTH=jwt WEFTKIT_JWT_SECRET=$secret
export WEFTKIT_AUDIT_OUTPUT=$run/kv-audit.jsonl WEFTKIT_DATA_DIR=$run/kv-data

echo
echo "== weftkit-kv (examples/kv/): HTTPS, a bearer JWT per request, items in per-tenant encrypted pages"
echo "\$ weftkit-kv --listen 127.0.0.1:20004 --policy examples/roles.yaml --policy examples/kv/items.sql &"
"$demo/kv/weftkit-kv" --listen 127.0.0.1:20004 --policy examples/roles.yaml --policy examples/kv/items.sql \
  > "$run/kv.log" 2>&1 &
kv_pid=$!
trap 'kill $kv_pid 2> /dev/null || true' EXIT
wait_for_port $kv_pid 20004 "$run/kv.log"

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
"$policyc" audit verify "$run/kv-audit.jsonl"
