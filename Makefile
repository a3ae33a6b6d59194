# The two entry points of the README: `make demo` and `make test`. Both set up dependencies first
# (idempotent), so they work on a fresh Debian 12 machine.
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test test-sanitize fuzz clean

all: build

setup:
	bash .ci/setup

configure: setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# memlint exits 1 when it reports findings, which is the point of the demo.
demo: build
	@$(BUILD)/memlint check corpus/demo; status=$$?; [ $$status -le 1 ] || exit $$status

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (its own build tree).
# Most tests run the memlint binary as a child, and some children's exit status or standard
# error is never looked at (a language server killed at the end of a test, memlint under
# pre-commit or Neovim). So every sanitizer report, from any process, goes to a file in
# SANITIZE_LOGS, and the target fails if one exists. The directory is world-writable because
# some tests run memlint as `nobody` (file-permission cases).
SANITIZE_BUILD ?= build-sanitize
SANITIZE_LOGS = $(abspath $(SANITIZE_BUILD))/sanitizer-logs
test-sanitize: setup
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEMLINT_SANITIZE=ON
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	rm -rf $(SANITIZE_LOGS) && mkdir -p -m 1777 $(SANITIZE_LOGS)
	@status=0; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(SANITIZE_LOGS)/asan \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SANITIZE_LOGS)/ubsan \
	  ctest --test-dir $(SANITIZE_BUILD) --output-on-failure -j $(JOBS) || status=$$?; \
	if [ -n "$$(ls -A $(SANITIZE_LOGS))" ]; then \
	  for f in $(SANITIZE_LOGS)/*; do echo "=== $$f"; cat "$$f"; done; \
	  echo "test-sanitize: sanitizer reports above (kept in $(SANITIZE_LOGS))"; exit 1; \
	fi; \
	exit $$status

# libFuzzer targets (clang-14), see tests/fuzz/README.md for how to run them.
FUZZ_BUILD ?= build-fuzz
fuzz: setup
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DMEMLINT_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target memlint_fuzzers

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
