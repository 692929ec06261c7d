#!/usr/bin/env bash
# build_example_engines.sh BUILD_DIR SOURCE_DIR OUT_DIR ENGINE...
# Installs the package built in BUILD_DIR into OUT_DIR/prefix, then configures and builds each
# examples/ENGINE with only that prefix (find_package(WeftKitPolicy)), in OUT_DIR/ENGINE.
set -euo pipefail
build=$1 source=$2 out=$3
shift 3
mkdir -p "$out"
cmake --install "$build" --prefix "$out/prefix" > "$out/install.log" ||
  { echo "cmake --install failed:"; cat "$out/install.log"; exit 1; }
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
for engine in "$@"; do
  cmake -S "$source/examples/$engine" -B "$out/$engine" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_PREFIX_PATH="$out/prefix" "${launcher[@]}" > "$out/$engine-configure.log" 2>&1 ||
    { echo "configuring examples/$engine failed:"; cat "$out/$engine-configure.log"; exit 1; }
  cmake --build "$out/$engine" > "$out/$engine-build.log" 2>&1 ||
    { echo "building examples/$engine failed:"; cat "$out/$engine-build.log"; exit 1; }
  echo "built examples/$engine"
done
