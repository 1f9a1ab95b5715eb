# Meridian: two commands on a fresh machine.
#   make run    installs what is missing, builds the site and serves it on http://127.0.0.1:8080
#   make test   installs what the tests need and runs every test
#   make soak   runs 100,000 generated fault schedules against the engine's invariants
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# wasm-bindgen-test runs browser tests in headless Chromium through ChromeDriver.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export CHROMEDRIVER := /usr/bin/chromedriver

ADDRESS := 127.0.0.1
PORT := 8080
# Seconds per fuzz target in `make fuzz` (override: make fuzz FUZZ_SECONDS=600).
FUZZ_SECONDS ?= 60
# Inputs per fuzz target in the smoke run inside `make test` (from seed 1: the same every time).
FUZZ_SMOKE_RUNS ?= 20000

.PHONY: run test setup setup-test site fmt-check clippy unit doc no-std wasm-test js-package js-test e2e fuzz fuzz-smoke bench bench-browser bench-page cli soak

run: setup
	cargo fetch --locked
	@echo "Meridian will be served at http://$(ADDRESS):$(PORT)/ once built (Ctrl-C stops it)."
	trunk serve --release --no-autoreload --address $(ADDRESS) --port $(PORT)

test: setup-test
	cargo fetch --locked
	$(MAKE) fmt-check clippy unit doc no-std wasm-test js-test e2e fuzz-smoke
	@echo "All Meridian tests passed."

setup:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

site:
	trunk build --release

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --locked --workspace --all-targets --all-features -- -D warnings

unit:
	cargo test --locked --workspace --all-features

# The API docs build without a warning (broken links, undocumented items).
doc:
	RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps --all-features

no-std:
	cargo build --locked -p meridian-core --no-default-features --target wasm32v1-none

# Not `cargo test -q`: cargo would pass --quiet to the wasm test runner, which rejects it.
wasm-test:
	cargo test --locked -p meridian-web --target wasm32-unknown-unknown

# The JavaScript API's npm packages (web/js): pkg-node (`--target nodejs`) and pkg-web
# (`--target web`). wasm-pack uses the wasm-bindgen on PATH and downloads nothing (--mode
# no-install, and its wasm-opt step is off in web/js/Cargo.toml: on this code it saved 7% of the
# gzipped size, made no run faster and took a minute per package).
js-package:
	cd web/js && wasm-pack build --release --target nodejs --mode no-install --out-dir pkg-node
	cd web/js && wasm-pack build --release --target web --mode no-install --out-dir pkg-web

# The JS API's wasm-bindgen tests in headless Chromium and in Node, a type check of the
# package's TypeScript declarations, then the Node test of the built package (every preset's
# report equals the CLI's, by the golden reports and, when built, the `meridian` binary).
js-test: js-package
	cd web/js && wasm-pack test --headless --chrome --mode no-install
	cd web/js && wasm-pack test --node --mode no-install
	tsc --noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext web/js/tests/types.ts
	node --test web/js/tests/

e2e: site
	node --test tests/e2e/

# Generated fault schedules per `make soak` (override: make soak SOAK_SCHEDULES=10000).
SOAK_SCHEDULES ?= 100000
# First seed of the soak (the sweep in `make test` covers seeds 0 to 999).
SOAK_FIRST_SEED ?= 0

# Deterministic fault sweep (core/src/chaos.rs): SOAK_SCHEDULES generated schedules from
# SOAK_FIRST_SEED, every replication mode, failover policy and entity policy, each run checked
# against the invariants, on every core. Prints the summary and, for each failing seed, the one
# command that reproduces it.
soak:
	MERIDIAN_SOAK_SCHEDULES=$(SOAK_SCHEDULES) MERIDIAN_SOAK_FIRST_SEED=$(SOAK_FIRST_SEED) \
		cargo test --locked --release -p meridian-core --test chaos -- soak --ignored --exact --nocapture

# Coverage-guided fuzzing (core/fuzz, cargo-fuzz + libFuzzer): every target for FUZZ_SECONDS,
# printing the executions per target; fails on a crash, an overflow or a hang.
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The same with a fixed number of inputs per target from seed 1 (under a minute in all once the
# targets are built).
fuzz-smoke:
	scripts/fuzz.sh --runs $(FUZZ_SMOKE_RUNS)

bench:
	cargo bench -p meridian-core

# The page's timing harness in headless Chromium (needs `make setup-test` for Chromium).
bench-browser: site
	node scripts/bench-browser.mjs 3

# The site's weight, first render from a warm cache, and long tasks during a one-million-request
# run, in headless Chromium (needs `make setup-test` for Chromium).
bench-page: site
	node scripts/bench-page.mjs 5

cli:
	cargo run --release -p meridian-core --features cli -- $(ARGS)
