#!/usr/bin/env bash
# The hand-written training lines as Whisper hears them from cockpit's own voice (see
# training/cockpit_lm/heard.py): writes training/data/heard/piper.jsonl (a quiet cabin) and
# piper-noise.jsonl (generated cabin noise at 10 dB), which the next training run adds to its
# training split. Needs the project set up (scripts/setup.sh: models, the release build);
# about 25 minutes a pass on a 2-core machine. Piper speaks with its random pitch and timing, so
# a rerun hears some lines differently: the files are data, kept in git like the lines.
set -euo pipefail
cd "$(dirname "$0")/.."
out=training/data/heard
work=target/heard
mkdir -p "$out" "$work"
cargo build --release --locked -q -p cockpit
PYTHONPATH=. python3 -m training.cockpit_lm.heard export "$work/lines.jsonl"
target/release/cockpit spoken "$work/lines.jsonl" --varied -o "$out/piper.jsonl"
target/release/cockpit spoken "$work/lines.jsonl" --varied --noise-db 10 -o "$out/piper-noise.jsonl"
PYTHONPATH=. python3 -m training.cockpit_lm.heard stats
