#!/usr/bin/env bash
# The benchmarks, each printing ratios against a baseline measured in the same run:
#   scripts/bench.sh            all of them
#   scripts/bench.sh lm         the language model only (text to plan, one core, KV cache vs none)
#   scripts/bench.sh ui         the dashboard's frames (software renderer, 1920x720, vs a blank window)
#   scripts/bench.sh pipeline   the demo session in real time: end of speech to the first command
#                               frame and to the reply, with early ending vs waiting out the silence
#   scripts/bench.sh spoken     the intent check on speech: every labelled request of tests/data/eval
#                               spoken by Piper and by espeak-ng, quiet and in cabin noise, heard by
#                               Whisper, against the same requests typed (about 10 minutes)
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
if [ "$what" = all ] || [ "$what" = spoken ]; then
    echo "== the intent check on speech: the same requests typed, and spoken then heard by Whisper"
    out=target/spoken
    mkdir -p "$out"
    cat tests/data/eval/public-cases.jsonl tests/data/eval/fresh-cases*.jsonl > "$out/typed.jsonl"
    check() { python3 tests/data/eval/check_intent.py --bin target/release/cockpit --cases "$1" > "${1%.jsonl}.check.txt"; }
    check "$out/typed.jsonl"
    for variant in piper piper-noise espeak espeak-noise; do
        voice=${variant%-noise}
        noise=()
        [ "$variant" != "$voice" ] && noise=(--noise-db 10)
        target/release/cockpit spoken "$out/typed.jsonl" --voice "$voice" "${noise[@]}" -o "$out/$variant.jsonl"
        check "$out/$variant.jsonl"
    done
    python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def passed(name):
    text = open(f"{out}/{name}.check.txt").read()
    p, n = map(int, re.search(r"intent check: (\d+)/(\d+) passed", text).groups())
    return p, n
typed = passed("typed")
print(f"{'requests':<34} {'passed':>9} {'share':>7} {'of typed':>9}")
print(f"{'typed':<34} {typed[0]:>4}/{typed[1]:<4} {100 * typed[0] / typed[1]:>6.1f}% {1:>9.3f}")
names = {"piper": "spoken by Piper, quiet", "piper-noise": "Piper, 10 dB cabin noise",
         "espeak": "spoken by espeak-ng, quiet", "espeak-noise": "espeak-ng, 10 dB cabin noise"}
for variant, label in names.items():
    p, n = passed(variant)
    print(f"{label:<34} {p:>4}/{n:<4} {100 * p / n:>6.1f}% {p / typed[0]:>9.3f}")
print(f"(failures: {out}/*.check.txt; what Whisper heard: the 'utterance' of {out}/*.jsonl)")
PY
fi
