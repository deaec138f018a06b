# A two-part patch to whisper.cpp (vendored by whisper-rs-sys), applied to the build's own copy
# of its sources when CMake configures them (included by `build.cmake`, which says how).
#
# Why: whisper.cpp's decoder computes the logits of every token of a batch, then keeps only
# those asked for. With a prompt of the car's vocabulary (about 55 tokens) that is 55 products
# with the 51,864-word embedding matrix where one is used: for tiny.en about as much work as
# the rest of the first decoder step together. Its authors left the one-line fix commented out
# ("compute logits only for the last token"); it is right only when the batch wants the last
# token's logits and no other, so this applies it just then (and never to the worst-case graph
# that sizes the buffers), and reads the single row back from where it is.
#
# Each edit must find its text exactly once; a whisper-rs-sys upgrade that moves it fails the
# build here, naming this file, instead of silently building whisper.cpp unpatched.

set(_source "${CMAKE_SOURCE_DIR}/src/whisper.cpp")
if(NOT EXISTS "${_source}")
    return()
endif()
file(READ "${_source}" _text)
string(FIND "${_text}" "cockpit: last-token logits" _patched)
if(NOT _patched EQUAL -1)
    return()
endif()

function(_cockpit_replace old new)
    string(FIND "${_text}" "${old}" _at)
    if(_at EQUAL -1)
        message(FATAL_ERROR "${CMAKE_CURRENT_LIST_FILE}: whisper.cpp no longer contains the text "
            "this patch replaces; update the patch for this whisper-rs-sys version")
    endif()
    string(REPLACE "${old}" "${new}" _text "${_text}")
    set(_text "${_text}" PARENT_SCOPE)
endfunction()

_cockpit_replace([=[
    struct ggml_tensor * logits = ggml_mul_mat(ctx0, model.d_te, cur);
]=] [=[
    // cockpit: last-token logits. Only the last token's logits are wanted (a prompt): compute
    // just those.
    if (!worst_case && batch.n_tokens > 1 && batch.logits[batch.n_tokens - 1]) {
        bool only_last = true;
        for (int i = 0; i < batch.n_tokens - 1; ++i) {
            only_last = only_last && batch.logits[i] == 0;
        }
        if (only_last) {
            cur = ggml_view_2d(ctx0, cur, cur->ne[0], 1, cur->nb[1], (cur->ne[1] - 1)*cur->nb[1]);
        }
    }

    struct ggml_tensor * logits = ggml_mul_mat(ctx0, model.d_te, cur);
]=])

_cockpit_replace([=[
        ggml_backend_tensor_get(logits, logits_out.data() + (n_vocab*i), sizeof(float)*(n_vocab*i), sizeof(float)*n_vocab);
]=] [=[
        // cockpit: last-token logits. A graph that computed one row holds it at the start.
        const size_t row = logits->ne[1] == 1 ? 0 : i;
        ggml_backend_tensor_get(logits, logits_out.data() + (n_vocab*i), sizeof(float)*(n_vocab*row), sizeof(float)*n_vocab);
]=])

file(WRITE "${_source}" "${_text}")
message(STATUS "cockpit: whisper.cpp computes only the logits it is asked for")
