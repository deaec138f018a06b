//! The car's state as its status frames report it: the latest value of every signal, with
//! when it arrived. Never what was commanded: a window reported at 40 % is at 40 %, whatever
//! was asked. A signal whose message stops arriving goes stale and reads as unknown.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::catalog::Value;
use crate::mapping::{CarDefinition, StatusFrame, StatusReceivers};
use crate::transport::{CanTransport, FrameStream};

/// A value older than this many cycles of its message is stale. Three cycles ride out a lost
/// frame or two and a busy scheduler, and still notice a silent ECU within a second for the
/// usual 100 ms cycle.
const STALE_AFTER_CYCLES: u32 = 3;

/// Signals of messages without a cycle time go stale after this long.
const STALE_WITHOUT_CYCLE: Duration = Duration::from_secs(2);

/// How often staleness is checked when no frame arrives.
const STALE_CHECK: Duration = Duration::from_millis(100);

/// One signal's reported value.
#[derive(Clone, Debug, PartialEq)]
pub struct Datapoint {
    /// The value; `None` when it is stale or the car reported "not available".
    pub value: Option<Value>,
    /// When its frame was received, in microseconds (the transport's clock).
    pub timestamp_us: u64,
    /// How long ago it arrived.
    pub age: Duration,
    /// Whether its message stopped arriving.
    pub stale: bool,
}

/// Counts of status frames handled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateStats {
    /// Status frames decoded.
    pub decoded: u64,
    /// Protected status frames rejected by their E2E check.
    pub rejected: u64,
    /// Receiver overruns, frames lost.
    pub lost: u64,
}

struct Entry {
    value: Option<Value>,
    timestamp_us: u64,
    received: Instant,
    stale_after: Duration,
}

struct Shared {
    table: RwLock<HashMap<String, Entry>>,
    stats: RwLock<StateStats>,
    generation: watch::Sender<u64>,
}

/// The live state of the car, kept current by a task reading status frames. Cloning gives
/// another handle to the same state.
#[derive(Clone)]
pub struct VehicleState {
    shared: Arc<Shared>,
    _task: Arc<TaskGuard>,
}

struct TaskGuard(JoinHandle<()>);

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl VehicleState {
    /// Starts following the status frames on `transport`.
    pub fn spawn(car: Arc<CarDefinition>, transport: Arc<dyn CanTransport>) -> VehicleState {
        let (generation, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            table: RwLock::new(HashMap::new()),
            stats: RwLock::new(StateStats::default()),
            generation,
        });
        let task = tokio::spawn(follow(car, transport, shared.clone()));
        VehicleState {
            shared,
            _task: Arc::new(TaskGuard(task)),
        }
    }

    /// The latest report of `path`, or `None` if none has arrived yet.
    pub fn get(&self, path: &str) -> Option<Datapoint> {
        let table = self.shared.table.read().unwrap_or_else(|e| e.into_inner());
        table
            .get(path)
            .map(|entry| datapoint(entry, Instant::now()))
    }

    /// The current value of `path`, `None` when unknown, stale or never reported.
    pub fn value(&self, path: &str) -> Option<Value> {
        self.get(path).and_then(|d| d.value)
    }

    /// Every signal reported so far.
    pub fn snapshot(&self) -> BTreeMap<String, Datapoint> {
        let now = Instant::now();
        let table = self.shared.table.read().unwrap_or_else(|e| e.into_inner());
        table
            .iter()
            .map(|(path, entry)| (path.clone(), datapoint(entry, now)))
            .collect()
    }

    /// Frame counts.
    pub fn stats(&self) -> StateStats {
        *self.shared.stats.read().unwrap_or_else(|e| e.into_inner())
    }

    /// A receiver that changes whenever a value changes or goes stale.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.shared.generation.subscribe()
    }

    /// Waits until every path in `paths` has been reported, or `timeout` passes. Returns the
    /// paths still missing.
    pub async fn wait_for_paths(&self, paths: &[&str], timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        let mut changes = self.subscribe();
        loop {
            let missing: Vec<String> = paths
                .iter()
                .filter(|p| self.value(p).is_none())
                .map(|p| p.to_string())
                .collect();
            if missing.is_empty() || Instant::now() >= deadline {
                return missing;
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                continue;
            }
        }
    }

    /// Waits until `path` reports a value for which `accept` holds, or `timeout` passes.
    /// Returns the last value seen and whether it was accepted.
    pub async fn wait_until(
        &self,
        path: &str,
        timeout: Duration,
        accept: impl Fn(&Value) -> bool,
    ) -> (Option<Value>, bool) {
        let deadline = Instant::now() + timeout;
        let mut changes = self.subscribe();
        loop {
            let current = self.value(path);
            if current.as_ref().is_some_and(&accept) {
                return (current, true);
            }
            if Instant::now() >= deadline {
                return (current, false);
            }
            // A timeout means the deadline passed; the loop checks once more and returns.
            let _ = tokio::time::timeout_at(deadline, changes.changed()).await;
        }
    }
}

fn datapoint(entry: &Entry, now: Instant) -> Datapoint {
    let age = now.saturating_duration_since(entry.received);
    let stale = age > entry.stale_after;
    Datapoint {
        value: if stale { None } else { entry.value.clone() },
        timestamp_us: entry.timestamp_us,
        age,
        stale,
    }
}

async fn follow(car: Arc<CarDefinition>, transport: Arc<dyn CanTransport>, shared: Arc<Shared>) {
    let stale_after: HashMap<String, Duration> = car
        .reported_paths()
        .map(|path| {
            let cycle = car.status_message(path).and_then(|m| m.cycle_time());
            let after = cycle
                .map(|c| c * STALE_AFTER_CYCLES)
                .unwrap_or(STALE_WITHOUT_CYCLE);
            (path.to_owned(), after)
        })
        .collect();
    let mut frames = FrameStream::spawn(transport);
    let mut receivers = StatusReceivers::default();
    let mut check = tokio::time::interval(STALE_CHECK);
    let mut stale_seen: HashMap<String, bool> = HashMap::new();
    loop {
        tokio::select! {
            received = frames.recv() => {
                let timed = match received {
                    None => return,
                    Some(Ok(timed)) => timed,
                    Some(Err(crate::transport::TransportError::Overrun { lost, .. })) => {
                        shared.stats.write().unwrap_or_else(|e| e.into_inner()).lost += lost;
                        continue;
                    }
                    Some(Err(e)) => {
                        tracing::warn!("vehicle state stops following the bus: {e}");
                        return;
                    }
                };
                let now = Instant::now();
                let mut changed = false;
                let verdict = {
                    let mut table = shared.table.write().unwrap_or_else(|e| e.into_inner());
                    car.decode_status(&timed.frame, &mut receivers, |path, value| {
                        let stale_after = stale_after.get(path).copied().unwrap_or(STALE_WITHOUT_CYCLE);
                        let entry = table.entry(path.to_owned()).or_insert_with(|| {
                            changed = true;
                            Entry { value: None, timestamp_us: 0, received: now, stale_after }
                        });
                        let was_stale = now.saturating_duration_since(entry.received) > entry.stale_after;
                        if entry.value != value || was_stale {
                            changed = true;
                        }
                        entry.value = value;
                        entry.timestamp_us = timed.timestamp_us;
                        entry.received = now;
                    })
                };
                {
                    let mut stats = shared.stats.write().unwrap_or_else(|e| e.into_inner());
                    match verdict {
                        StatusFrame::Decoded => stats.decoded += 1,
                        StatusFrame::Rejected(status) => {
                            stats.rejected += 1;
                            tracing::debug!(?status, frame = %timed.frame, "status frame failed its E2E check");
                        }
                        StatusFrame::Unknown => {}
                    }
                }
                if changed {
                    shared.generation.send_modify(|g| *g += 1);
                }
            }
            _ = check.tick() => {
                // Staleness has no frame to announce it, so look for it.
                let now = Instant::now();
                let table = shared.table.read().unwrap_or_else(|e| e.into_inner());
                let mut changed = false;
                for (path, entry) in table.iter() {
                    let stale = now.saturating_duration_since(entry.received) > entry.stale_after;
                    let before = stale_seen.insert(path.clone(), stale).unwrap_or(false);
                    changed |= before != stale;
                }
                drop(table);
                if changed {
                    shared.generation.send_modify(|g| *g += 1);
                }
            }
        }
    }
}
