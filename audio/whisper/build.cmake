# What cockpit changes in its build of whisper.cpp (vendored by whisper-rs-sys). CMake includes
# this file after every project() call: `.cargo/config.toml` points CMAKE_PROJECT_INCLUDE here,
# and whisper-rs-sys passes CMAKE_* variables on to CMake.
#
# 1. llamafile's matrix kernels (ggml's GGML_LLAMAFILE, on in llama.cpp's builds and off in
#    whisper.cpp's). Whisper's encoder is a stack of matrix products over the utterance; these
#    kernels tile them for the CPU's vector registers (AVX2 and AVX-512 on x86-64, NEON on ARM)
#    instead of taking one dot product at a time. `cargo bench -p audio --bench speech` on this
#    2-core machine: a 3-second command with tiny.en q8_0 in 108 ms instead of 168, f16 in 122
#    instead of 201; the full 30-second window gains less (attention over 1500 positions is
#    not a matrix product they take).
# 2. The last-token logits patch (see its file).
#
# Cargo does not watch these files: after editing one, `cargo clean -p whisper-rs-sys` so that
# whisper.cpp is configured again. A clean checkout (CI) always is.

set(GGML_LLAMAFILE ON CACHE BOOL "cockpit: llamafile's matrix kernels (audio/whisper/build.cmake)" FORCE)
include("${CMAKE_CURRENT_LIST_DIR}/last-token-logits.cmake")
