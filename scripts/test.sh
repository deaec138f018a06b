#!/usr/bin/env bash
# Sets up what the tests need (scripts/setup.sh --test) and runs all of them: formatting,
# lints, unit and property tests, end-to-end tests against the real CAN logs, cantools and
# can-utils, the command-line tests, and the benchmarks once each as tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked
