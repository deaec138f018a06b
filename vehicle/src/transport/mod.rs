//! CAN transports: one async interface, several backends.
//!
//! [`CanTransport`] is what the rest of cockpit sends and receives frames through; it never
//! knows which backend is behind it:
//! - [`VirtualBus`]: an in-process bus for the simulated car and tests.
//! - [`SocketCan`]: Linux SocketCAN (real hardware, vcan), a thin adapter over `socketcan`.
//! - [`LogTransport`]: a candump log replayed as a bus, what is sent recorded to another log.
//!
//! [`Reopening`] wraps an endpoint that can be lost (a SocketCAN interface) and opens it
//! again until it is back.
//!
//! Each component opens its own endpoint, as it would open its own socket: the state reader
//! and the actuator of one agent are two endpoints of the same bus.

mod candump;
mod reopen;
mod socket;
mod virtual_bus;

use std::time::{SystemTime, UNIX_EPOCH};

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub use candump::{
    LogLineError, LogReader, LogRecord, LogTransport, LogWriter, Pacing, parse_line, replay,
};
pub use reopen::{Opener, Reopening};
pub use socket::SocketCan;
pub use virtual_bus::{VirtualBus, VirtualEndpoint};

use crate::frame::CanFrame;

/// A frame with the time it was seen, in microseconds since the Unix epoch (or since the
/// start of the recording, for logs that were taken that way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedFrame {
    /// Microseconds.
    pub timestamp_us: u64,
    /// The frame.
    pub frame: CanFrame,
}

/// Why a transport could not send or receive.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The other side is gone: the bus was dropped, the log has ended.
    #[error("{0} is closed")]
    Closed(String),
    /// The receiver fell behind and frames were dropped, as a CAN controller overruns.
    #[error("{bus}: receiver overrun, {lost} frames lost")]
    Overrun {
        /// The bus.
        bus: String,
        /// How many frames were lost.
        lost: u64,
    },
    /// The kernel has no SocketCAN support at all (no `can` module, no vcan).
    #[error(
        "this kernel has no SocketCAN support (socket family PF_CAN unavailable), so {interface} \
         cannot be opened; use --can virtual for the simulated car, or load the can and can_raw modules"
    )]
    NoKernelSupport {
        /// The interface asked for.
        interface: String,
    },
    /// A SocketCAN operation failed.
    #[error("{interface}: {source}")]
    Io {
        /// The interface.
        interface: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The frame cannot travel on this bus (a CAN FD frame on a classical interface).
    #[error("{bus} cannot carry {frame}: {reason}")]
    Unsupported {
        /// The bus.
        bus: String,
        /// The frame, in candump spelling.
        frame: String,
        /// Why.
        reason: String,
    },
}

/// A CAN bus endpoint.
#[async_trait]
pub trait CanTransport: Send + Sync {
    /// A short name for messages: `virtual`, `can0`, `replay of drive.log`.
    fn name(&self) -> &str;

    /// Sends one frame.
    async fn send(&self, frame: CanFrame) -> Result<(), TransportError>;

    /// Waits for the next frame from another endpoint. An [`TransportError::Overrun`] is
    /// not fatal: later frames still arrive.
    async fn recv(&self) -> Result<TimedFrame, TransportError>;
}

/// Microseconds since the Unix epoch, now.
pub fn now_us() -> u64 {
    // A clock before 1970 is a misconfigured machine; 0 keeps the log readable.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

/// Frames from a transport, read by a task of its own and handed over through a channel.
///
/// Loops that wait on frames and on timers at once use this, because a `select!` would drop
/// a half-finished receive, and not every transport's receive is cancel-safe (a replayed
/// log's frame would be lost). Overruns are passed on and reading goes on; any other error
/// is passed on and ends the stream.
pub struct FrameStream {
    frames: mpsc::Receiver<Result<TimedFrame, TransportError>>,
    task: JoinHandle<()>,
}

/// How many frames wait between the reading task and the consumer. The reader blocks when it
/// is full, so a slow consumer slows reading instead of growing memory; the transport's own
/// buffer (or overrun) takes it from there.
const STREAM_CAPACITY: usize = 1024;

impl FrameStream {
    /// Starts reading `transport`.
    pub fn spawn(transport: Arc<dyn CanTransport>) -> FrameStream {
        let (sender, frames) = mpsc::channel(STREAM_CAPACITY);
        let task = tokio::spawn(async move {
            loop {
                let received = transport.recv().await;
                let fatal =
                    matches!(&received, Err(e) if !matches!(e, TransportError::Overrun { .. }));
                if sender.send(received).await.is_err() || fatal {
                    return;
                }
            }
        });
        FrameStream { frames, task }
    }

    /// The next frame or error; `None` once the stream has ended.
    pub async fn recv(&mut self) -> Option<Result<TimedFrame, TransportError>> {
        self.frames.recv().await
    }
}

impl Drop for FrameStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}
