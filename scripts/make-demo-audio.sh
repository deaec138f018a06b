#!/usr/bin/env bash
# Speaks every line of assets/demo/session.toml with cockpit's own voice into
# assets/demo/voice/*.flac. Run after changing a line's text; the files are committed, so the
# demo and its tests do not need the voice to run. Needs the set-up's models and `flac`.
set -euo pipefail
cd "$(dirname "$0")/.."
cockpit=${COCKPIT:-target/debug/cockpit}
[ -x "$cockpit" ] || { echo "make-demo-audio: build cockpit first (scripts/setup.sh)" >&2; exit 1; }
python3 - <<'PY' | while IFS=$'\t' read -r file text; do
import tomllib
with open("assets/demo/session.toml", "rb") as f:
    for u in tomllib.load(f)["utterance"]:
        print(f'{u["file"]}\t{u["text"]}')
PY
    wav=$(mktemp --suffix=.wav)
    "$cockpit" speak -o "$wav" "$text"
    flac --silent --force --best "$wav" -o "assets/demo/voice/$file"
    rm -f "$wav"
    echo "assets/demo/voice/$file: $text"
done
