#!/usr/bin/env bash
# Installs what building and testing mtls-check needs on a Debian machine that has
# rustup, Node.js 20+ and npm: Debian's chromium (browser test), curl and openssl
# (the TLS clients of the `serve` tests), the wasm32 Rust
# target, wasm-bindgen-cli 0.2.130 (must match the wasm-bindgen crate pinned in
# Cargo.toml) and the npm dev dependencies from package-lock.json.
#
# Each step is skipped when its tool is already there, so running it again is cheap.
# With CI set, the Debian packages are always (re)installed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly WASM_TARGET=wasm32-unknown-unknown
readonly WASM_BINDGEN_VERSION=0.2.130
readonly DEBIAN_PACKAGES=(chromium ca-certificates curl openssl)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() {
  echo "setup: $*" >&2
}

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "root is needed for: $*; run this script as root or install sudo"
    exit 1
  fi
}

require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    log "$1 not found: $2"
    exit 1
  fi
}

debian_packages_missing() {
  local package
  for package in "${DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      return 0
    fi
  done
  return 1
}

install_debian_packages() {
  if [ -z "${CI:-}" ] && ! debian_packages_missing; then
    log "Debian packages present: ${DEBIAN_PACKAGES[*]}"
    return
  fi
  require apt-get "install ${DEBIAN_PACKAGES[*]} with your system's package manager"
  log "installing Debian packages: ${DEBIAN_PACKAGES[*]}"
  run_as_root apt-get update
  run_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${DEBIAN_PACKAGES[@]}"
}

install_wasm_target() {
  require rustup "install Rust with rustup (https://rustup.rs)"
  if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    log "Rust target present: $WASM_TARGET"
    return
  fi
  log "adding Rust target $WASM_TARGET"
  rustup target add "$WASM_TARGET"
}

install_wasm_bindgen() {
  local found
  found="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$found" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    log "wasm-bindgen present: $found"
    return
  fi
  require cargo "install Rust with rustup (https://rustup.rs)"
  # No --locked: one dependency pinned in wasm-bindgen-cli's lock file is no longer
  # on crates.io, so a locked install fails.
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (found: ${found:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}

install_node_packages() {
  require node "install Node.js 20 or newer"
  require npm "install npm (it comes with Node.js)"
  log "installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund
}

install_debian_packages
install_wasm_target
install_wasm_bindgen
install_node_packages
log "done"
