#!/usr/bin/env bash
# The benchmarks, each printing ratios against a baseline measured in the same run:
#   scripts/bench.sh            all of them
#   scripts/bench.sh lm         the language model only (text to plan, one core, KV cache vs none)
#   scripts/bench.sh ui         the dashboard's frames (software renderer, 1920x720, vs a blank window)
#   scripts/bench.sh pipeline   the demo session in real time: end of speech to the first command
#                               frame and to the reply, with early ending vs waiting out the silence
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
if [ "$what" = all ] || [ "$what" = pipeline ]; then
    echo "== pipeline: the demo session in real time, ending utterances early when complete"
    target/release/cockpit demo | tee target/bench-pipeline-early.txt | sed -n '/^summary:/,$p'
    echo "== pipeline baseline: the same session, every utterance waiting out the endpointer's silence"
    target/release/cockpit demo --no-early | tee target/bench-pipeline-late.txt | sed -n '/^summary:/,$p'
    python3 - <<'PY'
import re
def p(name):
    text = open(f"target/bench-pipeline-{name}.txt").read()
    m = re.search(r"first command frame: p50 (\d+) ms, p95 (\d+) ms", text)
    return tuple(map(float, m.groups()))
early, late = p("early"), p("late")
print(f"end of speech to the first frame: p50 {early[0]:.0f} ms vs {late[0]:.0f} ms ({late[0] / early[0]:.2f}x faster), "
      f"p95 {early[1]:.0f} ms vs {late[1]:.0f} ms ({late[1] / early[1]:.2f}x)")
PY
fi
