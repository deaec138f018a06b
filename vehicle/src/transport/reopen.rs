//! An endpoint that opens its bus again after losing it.
//!
//! A USB CAN adapter unplugged, an interface taken down, a controller left bus-off: a
//! SocketCAN socket's reads and writes then fail, and a socket bound to an interface that
//! was removed never works again. Nobody in a moving car restarts the head unit for that, and
//! without a reader the car's state would turn unknown for the rest of the drive. A
//! [`Reopening`] endpoint opens the bus again (after 0.5 s, then waiting twice as long each
//! time up to 8 s), so the state comes back by itself once the bus does; meanwhile a send
//! fails with the reason, which the actuator reports as the outcome of that change.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use super::{CanTransport, TimedFrame, TransportError};
use crate::frame::CanFrame;

/// The first wait before opening a lost bus again.
const FIRST_RETRY: Duration = Duration::from_millis(500);
/// The longest wait between tries: an adapter plugged back in is found within this.
const LAST_RETRY: Duration = Duration::from_secs(8);

/// How to open the bus, each time.
pub type Opener = Box<dyn Fn() -> Result<Arc<dyn CanTransport>, TransportError> + Send + Sync>;

/// A bus endpoint that survives losing its bus (see the module's text).
pub struct Reopening {
    name: String,
    open: Opener,
    /// The endpoint in use; none after it failed, until it opens again.
    current: Mutex<Option<Arc<dyn CanTransport>>>,
}

impl Reopening {
    /// Opens the bus with `open`, now (a bus missing at the start is an error to report
    /// then) and again whenever it is lost.
    pub fn open(open: Opener) -> Result<Reopening, TransportError> {
        let first = open()?;
        Ok(Reopening {
            name: first.name().to_owned(),
            open,
            current: Mutex::new(Some(first)),
        })
    }

    /// The endpoint in use, opened again if it was lost.
    fn endpoint(&self) -> Result<Arc<dyn CanTransport>, TransportError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(endpoint) = &*current {
            return Ok(endpoint.clone());
        }
        let endpoint = (self.open)()?;
        tracing::info!("{}: open again", self.name);
        *current = Some(endpoint.clone());
        Ok(endpoint)
    }

    /// `endpoint` failed with `error`: the next use opens the bus again (unless another
    /// caller has already done so).
    fn lost(&self, endpoint: &Arc<dyn CanTransport>, error: &TransportError) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, endpoint)) {
            tracing::warn!("{}: {error}; opening it again", self.name);
            *current = None;
        }
    }
}

#[async_trait]
impl CanTransport for Reopening {
    fn name(&self) -> &str {
        &self.name
    }

    /// Sends on the bus, opening it again first if it was lost; fails while it is gone.
    async fn send(&self, frame: CanFrame) -> Result<(), TransportError> {
        let endpoint = self.endpoint()?;
        let sent = endpoint.send(frame).await;
        if let Err(error) = &sent
            && !matches!(error, TransportError::Unsupported { .. })
        {
            self.lost(&endpoint, error);
        }
        sent
    }

    /// The next frame, however long the bus is gone: a lost bus is opened again until it
    /// opens and carries frames. Overruns are passed on, as from any endpoint.
    async fn recv(&self) -> Result<TimedFrame, TransportError> {
        let mut wait = FIRST_RETRY;
        loop {
            match self.endpoint() {
                Ok(endpoint) => match endpoint.recv().await {
                    Err(error @ TransportError::Overrun { .. }) => return Err(error),
                    Ok(frame) => return Ok(frame),
                    Err(error) => self.lost(&endpoint, &error),
                },
                Err(error) => tracing::debug!("{}: still gone: {error}", self.name),
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LAST_RETRY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::CanId;
    use crate::transport::{LogTransport, Pacing};
    use std::path::{Path, PathBuf};

    /// A bus played from a candump log: it ends with the log, and cannot be opened while
    /// the file is missing (an adapter unplugged).
    fn log_bus(path: &Path) -> Opener {
        let path = path.to_path_buf();
        Box::new(move || {
            let bus =
                LogTransport::open(&path, Pacing::AsFastAsPossible, None).map_err(|source| {
                    TransportError::Io {
                        interface: path.display().to_string(),
                        source,
                    }
                })?;
            Ok(Arc::new(bus) as Arc<dyn CanTransport>)
        })
    }

    fn write_log(path: &PathBuf, ids: &[u16]) {
        let lines: String = ids
            .iter()
            .enumerate()
            .map(|(i, id)| format!("(1700000000.{i:06}) can0 {id:03X}#01\n"))
            .collect();
        std::fs::write(path, lines).expect("the log is written");
    }

    async fn next_id(bus: &Reopening) -> CanId {
        bus.recv().await.expect("a frame").frame.id()
    }

    #[tokio::test(start_paused = true)]
    async fn frames_come_again_once_the_lost_bus_is_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("bus.log");
        write_log(&log, &[0x101, 0x102]);
        let bus = Reopening::open(log_bus(&log)).expect("opens");
        assert_eq!(next_id(&bus).await, CanId::Standard(0x101));
        assert_eq!(next_id(&bus).await, CanId::Standard(0x102));

        // The log ends (the bus is lost) and the file is gone for three seconds.
        std::fs::remove_file(&log).expect("removed");
        let back = log.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            write_log(&back, &[0x103]);
        });
        let started = tokio::time::Instant::now();
        assert_eq!(next_id(&bus).await, CanId::Standard(0x103));
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(3) && waited <= Duration::from_secs(3) + LAST_RETRY,
            "{waited:?}"
        );
    }

    #[tokio::test]
    async fn a_bus_missing_at_the_start_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("missing.log");
        let Err(error) = Reopening::open(log_bus(&log)) else {
            panic!("a missing bus opened");
        };
        assert!(error.to_string().contains("missing.log"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_send_on_a_lost_bus_fails_and_the_next_opens_it_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("bus.log");
        write_log(&log, &[0x101]);
        let bus = Reopening::open(log_bus(&log)).expect("opens");
        let frame = CanFrame::classic(CanId::Standard(0x200), &[1]).expect("a frame");
        bus.send(frame).await.expect("sent");
        // Lost: the log has ended; it cannot be opened while the file is gone.
        assert_eq!(next_id(&bus).await, CanId::Standard(0x101));
        std::fs::remove_file(&log).expect("removed");
        let reading = tokio::time::timeout(Duration::from_secs(1), bus.recv()).await;
        assert!(reading.is_err(), "no frame while the bus is gone");
        let Err(error) = bus.send(frame).await else {
            panic!("sent on a bus that is gone");
        };
        assert!(error.to_string().contains("bus.log"), "{error}");
        write_log(&log, &[0x102]);
        bus.send(frame).await.expect("sent once the bus is back");
        assert_eq!(next_id(&bus).await, CanId::Standard(0x102));
    }
}
