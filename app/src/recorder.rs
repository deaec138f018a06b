//! Recording a session for `cockpit replay`: every frame on the bus as a candump log, stamped
//! by the session's own clock (so a session run faster than real time replays at its true
//! pace), beside the microphone's audio and the journal.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use vehicle::CanTransport;
use vehicle::transport::{FrameStream, LogRecord, LogWriter, now_us};

/// A bus being written to a candump log.
pub struct BusRecorder {
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<u64>>,
}

impl BusRecorder {
    /// Starts writing every frame `transport` sees to `path`, as interface `interface`.
    pub fn start(
        transport: Arc<dyn CanTransport>,
        path: &Path,
        interface: &str,
    ) -> Result<BusRecorder> {
        let mut writer = LogWriter::create(path)
            .with_context(|| format!("cannot create the bus log {}", path.display()))?;
        let (stop, mut stopped) = watch::channel(false);
        let mut frames = FrameStream::spawn(transport);
        let (start, start_us) = (Instant::now(), now_us());
        let (interface, path) = (interface.to_owned(), path.to_owned());
        let task = tokio::spawn(async move {
            let mut written = 0u64;
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    frame = frames.recv() => match frame {
                        Some(Ok(timed)) => {
                            let record = LogRecord {
                                timestamp_us: start_us + start.elapsed().as_micros() as u64,
                                interface: interface.clone(),
                                frame: timed.frame,
                            };
                            writer.write(&record).with_context(|| format!("cannot write {}", path.display()))?;
                            written += 1;
                        }
                        Some(Err(e)) => tracing::warn!("recording the bus: {e}"),
                        None => break,
                    },
                }
            }
            writer
                .flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(written)
        });
        Ok(BusRecorder { stop, task })
    }

    /// Stops and flushes; how many frames were written.
    pub async fn finish(self) -> Result<u64> {
        let _ = self.stop.send(true);
        self.task.await.context("the bus recorder stopped")?
    }
}
