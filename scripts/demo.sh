#!/usr/bin/env bash
# Sets up and builds cockpit (scripts/setup.sh), then runs the demo on the embedded defaults:
# the simulated reference car on the in-process CAN bus, a scripted drive. Options go to
# `cockpit demo` (--fast runs it on a simulated clock).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
exec target/release/cockpit demo "$@"
