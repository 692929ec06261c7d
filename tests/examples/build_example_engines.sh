#!/usr/bin/env bash
# build_example_engines.sh BUILD_DIR SOURCE_DIR OUT_DIR ENGINE...
# Installs the package built in BUILD_DIR into OUT_DIR/prefix, then configures and builds each
# examples/ENGINE with only that prefix (find_package(WeftKitPolicy)), in OUT_DIR/ENGINE.
# WEFTKIT_EXAMPLE_SANITIZE=address builds the engines with AddressSanitizer and UBSan, as the
# installed libraries of a sanitizer tree are.
set -euo pipefail
build=$1 source=$2 out=$3
shift 3
mkdir -p "$out"
cmake --install "$build" --prefix "$out/prefix" > "$out/install.log" ||
  { echo "cmake --install failed:"; cat "$out/install.log"; exit 1; }
if [[ "${WEFTKIT_EXAMPLE_SANITIZE:-}" == address ]]; then
  # Build type None (no flags of its own): RelWithDebInfo's -O2 -g would come after these flags
  # and win. The sanitizer trees build their own code at -O1 -g1 too, for compile time.
  sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
  flags=(-DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=$sanitize -O1 -g1" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
else
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
command -v ccache > /dev/null && flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
for engine in "$@"; do
  cmake -S "$source/examples/$engine" -B "$out/$engine" -G Ninja \
    -DCMAKE_PREFIX_PATH="$out/prefix" "${flags[@]}" > "$out/$engine-configure.log" 2>&1 ||
    { echo "configuring examples/$engine failed:"; cat "$out/$engine-configure.log"; exit 1; }
  cmake --build "$out/$engine" > "$out/$engine-build.log" 2>&1 ||
    { echo "building examples/$engine failed:"; cat "$out/$engine-build.log"; exit 1; }
  echo "built examples/$engine"
done
