# swift-unlearning — `make demo` runs the main job, `make test` the test suite.
SWIFT ?= swift
BIN := .build/release/unlearn

.PHONY: all deps build demo test test-kernels test-readme test-slurm bench results fuzz docs clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build -c release --product unlearn

demo: build
	$(BIN) demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The suite once under each OpenBLAS kernel set the CPU supports (Prescott, Haswell, Zen, SkylakeX).
test-kernels: deps
	scripts/test-kernels.sh

# The README's "Use as a library" example, compiled and run as written in a client package.
test-readme: deps
	scripts/test-readme-library.sh

# unlearn sweep against a real single-node Slurm (installs slurm-wlm when missing; needs root, else skips).
test-slurm: deps
	scripts/test-slurm.sh

bench: build
	$(BIN) bench

results:
	scripts/make-results.sh

fuzz:
	scripts/fuzz.sh

# DocC: the library's reference and its overview article, checked for broken links; HTML in .build/docs/.
docs: deps
	scripts/make-docs.sh

clean:
	rm -rf .build .build-fuzz .build-readme
