//! Ctrl-C for the commands' event loops.

use std::future::Future;
use std::pin::Pin;

/// Resolves at the first Ctrl-C after it is made (or at once if none can be listened for).
/// Make one before a loop and poll it by reference in each turn's `select!`: one made anew
/// each turn misses a signal that arrives between turns, and tokio's handler has already
/// replaced the default one that would have ended the program.
pub fn ctrl_c() -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
