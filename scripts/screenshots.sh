#!/usr/bin/env bash
# Redraws the README's screenshots (docs/screenshots/) from the real agent: the passenger's
# screen after a few typed requests on the simulated car, parked, at both display sizes.
# Every screen in both themes lands in target/readme-screenshots/; the README shows a few.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
out=target/readme-screenshots
rm -rf "$out"
requests=(
    --ask "open my window halfway"
    --ask "turn on the ambient light"
    --ask "make it blue"
    --ask "play some music"
    --ask "heat my seat"
    --ask "turn off my seat heating in half an hour"
    --ask "I'm freezing, and turn on the hazard lights"
)
for size in 1920x720 1280x720; do
    target/release/cockpit ui --seat passenger --size "$size" --screenshots "$out" "${requests[@]}"
done
for shot in home-1920x720-dark climate-1920x720-dark body-1920x720-dark lights-1920x720-dark \
    media-1920x720-dark home-1920x720-light climate-1280x720-light; do
    cp "$out/$shot.png" docs/screenshots/
done
