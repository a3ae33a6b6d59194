# The two entry points of the README: `make demo` and `make test`. Both set up dependencies first
# (idempotent), so they work on a fresh Debian 12 machine.
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test clean

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

clean:
	rm -rf $(BUILD)
