#!/usr/bin/env bash
# Installs what Meridian needs to build (and, with `test`, to test) on a fresh machine.
#
# Every install is pinned and idempotent: a tool already present at the pinned version is left
# alone, so a second run installs nothing. Everything comes from the package registries
# (crates.io, npm, Debian); nothing is downloaded from anywhere else.
#
#   scripts/setup.sh build   # wasm targets, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh test    # build tools + Chromium, ChromeDriver, playwright-core, cargo-fuzz
#                            # and wasm-pack
set -euo pipefail

TRUNK_VERSION=0.21.14
# Must equal the `wasm-bindgen` version pinned in web/Cargo.toml (and Cargo.lock).
WASM_BINDGEN_VERSION=0.2.130
# The fuzz targets' runner (core/fuzz, `make fuzz`); libFuzzer itself comes with the
# libfuzzer-sys crate and builds with the C++ compiler the machine has.
CARGO_FUZZ_VERSION=0.13.2
# Builds and tests the JavaScript API's npm package (web/js, `make js-test`); it runs the
# wasm-bindgen above and the npm wasm-opt, and is told to download nothing (--mode no-install).
WASM_PACK_VERSION=0.15.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-build}"

say() { printf '\033[1;34msetup:\033[0m %s\n' "$*"; }

ensure_rust_targets() {
  local installed
  installed="$(rustup target list --installed)"
  for target in wasm32-unknown-unknown wasm32v1-none; do
    if ! grep -qx "$target" <<<"$installed"; then
      say "adding Rust target $target"
      rustup target add "$target"
    fi
  done
}

# cargo_tool BINARY VERSION CRATE [extra cargo-install flags...]
cargo_tool() {
  local bin="$1" version="$2" crate="$3"
  shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q " $version\b"; then
    return
  fi
  say "installing $crate $version (this compiles from source and takes a few minutes)"
  cargo install "$crate" --version "$version" "$@"
}

ensure_node_tools() {
  # binaryen (wasm-opt), playwright-core and typescript, pinned by tools/package-lock.json.
  # A copy of the lockfile marks a finished install; a changed lockfile installs again.
  local stamp="$ROOT/tools/node_modules/.meridian-installed-lock.json"
  if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ] ||
     ! cmp -s "$ROOT/tools/package-lock.json" "$stamp"; then
    say "installing pinned npm tools (binaryen, playwright-core, typescript)"
    (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/tools/package-lock.json" "$stamp"
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return
  fi
  say "installing Debian's chromium and chromium-driver"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

ensure_rust_targets
# trunk's own lockfile builds on this toolchain; 0.22 needs a newer rustc.
cargo_tool trunk "$TRUNK_VERSION" trunk --locked
# No --locked: the CLI's lockfile names a webpki-roots release the registry does not serve.
cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
ensure_node_tools
if [ "$MODE" = "test" ]; then
  ensure_chromium
  cargo_tool cargo-fuzz "$CARGO_FUZZ_VERSION" cargo-fuzz --locked
  cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --locked
fi
say "tools ready"
