#!/usr/bin/env bash
# Installs the Debian 12 packages WeftKit Policy builds and tests with; does nothing when all are present.
set -euo pipefail

packages=(
  g++ make cmake ninja-build ccache pkg-config
  antlr4 libantlr4-runtime-dev
  libyaml-cpp-dev
  llvm-19-dev
  libssl-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev
  postgresql postgresql-client libpq-dev
  tzdata
  libcrypt-dev apache2-utils whois openssl
  libcurl4-openssl-dev curl
  libspdlog-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them with apt-get) and try again" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
