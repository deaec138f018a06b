#!/usr/bin/env bash
# Sets up what cockpit needs on Debian 12, run as root (or with sudo at hand). Idempotent: a
# second run only checks and rebuilds what changed.
#
#   scripts/setup.sh           Debian packages for the build, then a release build of cockpit
#   scripts/setup.sh --test    also what the tests need: can-utils, and a Python virtual
#                              environment (.venv) with cantools, pinned by version and sha256
#
# The network is needed the first time only: Debian packages, crates.io and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
for arg in "$@"; do
    case "$arg" in
        --test) want_test=true ;;
        *) echo "setup.sh: unknown option $arg (use --test)" >&2; exit 2 ;;
    esac
done

say() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "installing Debian packages needs root: run as root or install sudo"
    fi
}

command -v cargo >/dev/null \
    || die "cargo is missing: install stable Rust (https://rustup.rs) and run this again"

# Debian packages, installed only when missing.
packages=()
if $want_test; then
    packages+=(can-utils)
    python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The test tools' Python environment, rebuilt only when the pinned requirements change.
if $want_test; then
    requirements=tests/python/requirements.txt
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    stamp=.venv/requirements.sha256
    if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "creating .venv with cantools"
        rm -rf .venv
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$requirements"
        echo "$want" > "$stamp"
    fi
else
    say "building cockpit (release)"
    cargo build --release --locked -p cockpit
fi
