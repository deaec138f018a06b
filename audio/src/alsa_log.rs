//! alsa-lib reports what goes wrong by printing it on stderr itself, before cpal turns the
//! same failure into an error: eight lines each time a missing card is looked for. cockpit
//! looks for a microphone every few seconds while there is none, which buried the terminal
//! view under them. Around each device lookup those messages go to a buffer instead, and from
//! there to the debug log (`-vv`); what matters reaches the user as cpal's error.

/// Runs `f` (which opens or lists audio devices) with alsa-lib's messages on this thread sent
/// to the debug log rather than stderr.
#[cfg(target_os = "linux")]
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    // Each call installs a new buffer, dropping the last one, so nothing piles up.
    let Ok(buffer) = alsa::Output::local_error_handler() else {
        return f();
    };
    let result = f();
    let said = buffer.borrow().to_string();
    let said = said.trim_end();
    if !said.is_empty() {
        tracing::debug!(target: "alsa", "{said}");
    }
    result
}

/// Elsewhere there is no alsa-lib to quiet.
#[cfg(not(target_os = "linux"))]
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    f()
}
