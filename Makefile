# Wraps CMake: `make demo` and `make test` install what is missing, build, and run.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
POLICYC := $(BUILD_DIR)/tools/weftkit-policyc

.PHONY: all deps configure build test test-asan test-tsan demo bench install clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

# Tests run as many at a time as the machine has cores: most of the long ones (PostgreSQL
# servers starting, modules being linked, crash tests waiting on a killed child) leave a core
# idle. Every test makes its own temporary files and picks free ports.
TEST_JOBS ?= $(shell nproc)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(TEST_JOBS)

# Sanitizer runs: their own build trees, every test except those that need a PostgreSQL server
# (label pg) and the package test (label install: its consumers are built without the
# sanitizer runtime the installed libraries would need). A report fails the test: ASan and UBSan stop at the first error, LeakSanitizer
# fails a test that leaks, and a single allocation over 2 GiB or a process over 6 GiB resident
# is reported as an error instead of swapping the machine to death. ASan's redzones make the
# generated ANTLR parser's frames over 60x larger: the SQL nesting-limit tests, which pass in a
# 256 KiB stack in a normal build, need over 16 MiB, so the ASan run gets a 64 MiB stack.
SANITIZER_BUILD_TYPE ?= RelWithDebInfo
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
# Under both sanitizers the two longest tests are cut down: the hot-reload stress test does 500
# reloads instead of 1,000 (under TSan each takes twice as long, and the races it looks for are
# found by happens-before tracking on every reload, not by chance timing), and the module
# bit-flip tests try one flip in five (each load is over ten times slower under ASan; a fifth
# of the flips reaches the same checks). They were 198 s and 231 s of CPU in the two runs.
# The knobs are not named WEFTKIT_*: the configuration refuses unknown WEFTKIT_* variables, and
# tests read the process environment as an engine does.
SANITIZER_STRESS := WK_TEST_STRESS_RELOADS=500 WK_TEST_BIT_FLIP_SAMPLING=5
ASAN_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:max_allocation_size_mb=2048:hard_rss_limit_mb=6144 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(SANITIZER_STRESS)
# LLVM comes from Debian without TSan instrumentation; scripts/tsan.supp says why reports inside
# it are suppressed.
TSAN_ENV := TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/scripts/tsan.supp \
	$(SANITIZER_STRESS)

$(ASAN_BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(SANITIZER_BUILD_TYPE) -DWEFTKIT_SANITIZE=address $(CMAKE_FLAGS)

$(TSAN_BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(SANITIZER_BUILD_TYPE) -DWEFTKIT_SANITIZE=thread $(CMAKE_FLAGS)

test-asan: deps $(ASAN_BUILD_DIR)/build.ninja
	cmake --build $(ASAN_BUILD_DIR)
	ulimit -s 65536 && $(ASAN_ENV) ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(TEST_JOBS) -LE '^(pg|install)$$'

# ThreadSanitizer covers what runs concurrently: the runtime (hot reload under load, the API,
# modules, module watchers and reloads racing a module being written (not the module
# integrity checks that flip every bit of a module one at a time, which run on one thread), the C API's contexts
# during reloads), the embedding example's readers during reloads, the page cipher's per-thread
# contexts and keyrings, and the authentication throttle, SCRAM exchanges, key set refreshes,
# the verified-token cache and the auth C API, and the audit writer (its producers, writer
# and fsync threads).
TSAN_TARGETS := hot_reload_stress_tests runtime_tests thin_runtime_tests weftkit-embed-example weftkit-policyc \
	c_api_tests c_api_thin_tests embed_check crypto_tests auth_tests auth_c_api_tests audit_tests
TSAN_TESTS := HotReload|RuntimeAudit|VersionReclamation|RuntimeApi|ThinRuntime|ResourceHandle|ResourceNameCache|RowResultAlone|StatementIdentity|ModuleEquivalence|ModuleWatcher|ModuleReloadAudit|ModuleIntegrity.Reload|embed_example|CApi|c_api_example|PageCipher|Keyring|TenantPagesTest|CryptoCApi|PasswordLogin|PasswordThrottle|Scram|MtlsIdentity|TlsServer|Jwks|VerifiedTokenCache|AuthCApi|AuditWriter

test-tsan: deps $(TSAN_BUILD_DIR)/build.ninja
	cmake --build $(TSAN_BUILD_DIR) --target $(TSAN_TARGETS)
	$(TSAN_ENV) ctest --test-dir $(TSAN_BUILD_DIR) --output-on-failure -j $(TEST_JOBS) -R '$(TSAN_TESTS)'

demo: build
	@bash examples/demo.sh $(POLICYC)

# Benchmarks (bench/): build them in $(BUILD_DIR), run each with repetitions and print the
# median; bench/README.md records the figures and the machine.
BENCHMARKS := check_latency predicate_throughput compile_latency runtime_latency runtime_row_latency runtime_reload runtime_context_build runtime_audit \
	auth_scram auth_jwt crypto_page_cipher audit_writer
BENCH_FLAGS ?= --benchmark_repetitions=10 --benchmark_report_aggregates_only=true

bench: configure
	cmake --build $(BUILD_DIR) --target weftkit_benchmarks
	@for name in $(BENCHMARKS); do echo "== $$name"; $(BUILD_DIR)/bench/$$name $(BENCH_FLAGS) || exit 1; done

# Installs weftkit-policyc, the runtime and compiler libraries, the public headers, the CMake
# package and the pkg-config files under PREFIX.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD_DIR)
