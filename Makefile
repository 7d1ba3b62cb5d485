# Build, serve and test entry points for mtls-check (GNU make).
#
#   make build    native release build of the CLI with `serve` (target/release/mtls-check)
#   make pkg      wasm build into pkg/ (needs the wasm32 target and wasm-bindgen-cli 0.2.130)
#   make sample   native build, then lint and verify the bundled sample fixtures
#   make serve    pkg + build, then serve the page on http://127.0.0.1:$(PORT)/www/
#   make test     everything CI runs: cargo tests, wasm build, Node tests, browser test
#   make conformance  run x509-limbo and rewrite docs/conformance.md and the agreement floor
#   make docs     regenerate docs/profiles.md and docs/rules.md (tests check both)
#   make bench    every benchmark side by side with its peers, into docs/benchmarks.md (about 8 minutes)
#   make bench-core  the .wasm size and the Debian bundle lint time alone, into target/bench/core.md
#   make fuzz     run every cargo-fuzz target for FUZZ_SECONDS each (nightly; not part of make test)
#   make bench-page  run the browser test and write its large-bundle measurement into docs/benchmarks.md
#   make bench-serve  measure `mtls-check serve` handshakes per second (prints the figures)
#
# `bash scripts/setup.sh` installs the tools these targets need.

CARGO ?= cargo
NODE ?= node
WASM_BINDGEN ?= wasm-bindgen
PORT ?= 8080

WASM_BINDGEN_VERSION := 0.2.130
WASM_TARGET := wasm32-unknown-unknown
# The wasm build uses its own profile (Cargo.toml: opt-level 3) for speed.
WASM_PROFILE := wasm-release
WASM_FILE := target/$(WASM_TARGET)/$(WASM_PROFILE)/mtls_check.wasm
CLI := target/release/mtls-check

SAMPLE_AT := 2030-06-15T12:00:00Z
SAMPLE_TRUSTSTORE := tests/fixtures/p256-truststore.pem
SAMPLE_CHAIN := tests/fixtures/p256-chain.pem

.DEFAULT_GOAL := build
.PHONY: build pkg check-wasm-tools sample serve test test-rust test-js test-browser conformance docs bench bench-deps bench-core bench-page bench-serve clean fuzz

build:
	$(CARGO) build --release --features server

pkg: check-wasm-tools
	$(CARGO) build --profile $(WASM_PROFILE) --lib --target $(WASM_TARGET)
	$(WASM_BINDGEN) --target web --remove-name-section --remove-producers-section --out-dir pkg $(WASM_FILE)
	$(NODE) scripts/wasm-bytes.mjs pkg/mtls_check_bg.wasm pkg/mtls_check_wasm_bytes.js
	cp npm/index.js npm/node.js npm/workers.js npm/index.d.ts npm/README.md pkg/
	$(NODE) scripts/package-json.mjs npm/package.json.in Cargo.toml pkg/package.json

# Fails early, with the fix, when the wasm32 target or the matching wasm-bindgen is missing.
check-wasm-tools:
	@if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx '$(WASM_TARGET)'; then \
		echo "make: the Rust target $(WASM_TARGET) is not installed; run: bash scripts/setup.sh" >&2; \
		exit 1; \
	fi
	@found="$$($(WASM_BINDGEN) --version 2>/dev/null || true)"; \
	if [ "$$found" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		echo "make: wasm-bindgen $(WASM_BINDGEN_VERSION) is required (found: $${found:-none}); run: bash scripts/setup.sh" >&2; \
		exit 1; \
	fi

sample: build
	@echo '$$ mtls-check lint $(SAMPLE_TRUSTSTORE) --at $(SAMPLE_AT)'
	@$(CLI) lint $(SAMPLE_TRUSTSTORE) --at $(SAMPLE_AT)
	@echo
	@echo '$$ mtls-check verify $(SAMPLE_CHAIN) --truststore $(SAMPLE_TRUSTSTORE) --at $(SAMPLE_AT)'
	@$(CLI) verify $(SAMPLE_CHAIN) --truststore $(SAMPLE_TRUSTSTORE) --at $(SAMPLE_AT)

serve: pkg build
	$(NODE) scripts/serve.mjs --port $(PORT)

test: test-rust
	$(MAKE) build pkg
	$(NODE) --test tests/js/
	$(NODE) --test tests/browser/

test-rust:
	$(CARGO) test --all-targets --features server
	$(CARGO) test --doc --features server

# The Node and browser tests alone, for when the builds are current.
test-js: build pkg
	$(NODE) --test tests/js/

test-browser: pkg
	$(NODE) --test tests/browser/

# Runs every x509-limbo and BetterTLS testcase through the library and
# rewrites docs/conformance.md and tests/data/conformance/agreement.json.
conformance:
	MTLS_CHECK_WRITE_CONFORMANCE=1 $(CARGO) test --test limbo

docs: build
	$(CLI) profiles > docs/profiles.md
	MTLS_CHECK_WRITE_DOCS=1 $(CARGO) test --test registry rules_page_matches_the_registry

clean:
	$(CARGO) clean
	find pkg -mindepth 1 ! -name .gitkeep -delete

# Measures the .wasm size and the time to lint Debian's CA bundle natively and in
# wasm under Node, side by side, into target/bench/core.md (make bench writes
# the full docs/benchmarks.md).
bench-core: build pkg
	$(NODE) scripts/bench-core.mjs

# Installs the benchmark's npm peers (PKI.js, node-forge, @peculiar/x509,
# binaryen) into bench/node_modules, apart from the test install.
bench-deps:
	npm ci --prefix bench --no-audit --no-fund

# Runs every benchmark side by side (wasm in Node against Node's X509Certificate,
# PKI.js, node-forge and @peculiar/x509; criterion; whole processes against
# openssl; start-up, size, memory) and rewrites docs/benchmarks.md.
bench: build pkg bench-deps
	WASM_FILE=$(WASM_FILE) $(NODE) scripts/bench.mjs

# Runs the browser test, whose large-bundle test then lints 1,000 certificates in the
# page five times and rewrites the "Page" section of docs/benchmarks.md with the medians:
# the time to the last row drawn, the longest gap between animation frames and the
# main-thread long tasks meanwhile.
bench-page: pkg
	MTLS_CHECK_WRITE_BENCH=1 $(NODE) --test tests/browser/

# Measures `mtls-check serve` handshakes per second in a release build: bursts
# of 2,000 connections from 32 rustls clients on 127.0.0.1, five runs each,
# accepted-only and half refused; prints the medians for docs/benchmarks.md.
bench-serve:
	$(CARGO) test --release --features server --test serve_load bench_handshakes_per_second -- --ignored --nocapture

# Seeds fuzz/corpus/ from the fixtures, the cases and limbo, then runs each
# fuzz target for FUZZ_SECONDS. A crash stops the run and leaves its input
# in fuzz/artifacts/<target>/. Needs nightly and `cargo install cargo-fuzz`.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := decode inspect lint verify csr crl forwarded

fuzz:
	$(NODE) scripts/fuzz-seeds.mjs
	@for target in $(FUZZ_TARGETS); do \
		echo "== fuzz $$target ($(FUZZ_SECONDS) s)"; \
		$(CARGO) +nightly fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 || exit 1; \
	done
