#!/usr/bin/env bash
# The benchmarks, each printing ratios against a baseline measured in the same run:
#   scripts/bench.sh            all of them
#   scripts/bench.sh lm         the language model only (text to plan, one core, KV cache vs none)
#   scripts/bench.sh ui         the dashboard's frames (software renderer, 1920x720, vs a blank window)
# Run scripts/setup.sh first (the release build and the models).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
one_core=()
command -v taskset >/dev/null && one_core=(taskset -c 0)

if [ "$what" = all ] || [ "$what" = lm ]; then
    echo "== language model: held-out examples, one thread on one core, with and without the KV cache"
    "${one_core[@]}" target/release/cockpit eval assets/model/eval/test_random.jsonl --threads 1 --baseline
fi
if [ "$what" = all ] || [ "$what" = can ]; then
    echo "== DBC decoding against cantools"
    cargo bench -p vehicle --bench decode_vs_cantools
fi
if [ "$what" = all ] || [ "$what" = speech ]; then
    echo "== Whisper: trimmed window against the full one"
    cargo bench -p audio --bench speech
fi
if [ "$what" = all ] || [ "$what" = ui ]; then
    echo "== dashboard: first frame and full-screen updates, software renderer at 1920x720"
    "${one_core[@]}" cargo bench -p ui --bench frames
fi
