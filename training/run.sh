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
PYTHONPATH=. exec training/.venv/bin/python -m training.cockpit_lm.train "$@"
