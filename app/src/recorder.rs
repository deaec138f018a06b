//! Recording a session for `cockpit replay`: every frame on the bus as a candump log, stamped
//! by the session's own clock (so a session run faster than real time replays at its true
//! pace), beside the microphone's audio and the journal.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use audio::file::{SPEECH_RATE, WavRecorder};
use cockpit_agent::pipeline::{INPUT_QUEUE, Input};
use tokio::sync::{mpsc, watch};
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

/// The pipeline's audio input written to a WAV as it passes on, for `cockpit run --record`.
/// Where no audio came (no microphone, between recordings played at Enter), silence is written,
/// so the file keeps time with the bus log and replays in step with it.
pub struct AudioTee {
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<u64>>,
}

/// How far the audio may fall behind the clock before silence fills the gap: more than a
/// microphone's delivery jitter, less than anything a listener would notice.
const TEE_SLACK_S: f64 = 0.2;

impl AudioTee {
    /// Starts writing 16 kHz audio to `path`; what is sent to the returned sender goes on to
    /// `pipeline` (audio and everything else).
    pub fn start(
        path: &Path,
        pipeline: mpsc::Sender<Input>,
    ) -> Result<(AudioTee, mpsc::Sender<Input>)> {
        let mut wav = WavRecorder::create(path, SPEECH_RATE)?;
        // As deep as the pipeline's own input, so a microphone that never waits still only
        // drops what the pipeline would have dropped.
        let (input, mut from) = mpsc::channel::<Input>(INPUT_QUEUE);
        let (stop, mut stopped) = watch::channel(false);
        let start = std::time::Instant::now();
        let rate = f64::from(SPEECH_RATE);
        let catch_up = move |wav: &mut WavRecorder, coming: usize| -> Result<()> {
            let due = (start.elapsed().as_secs_f64() * rate) as u64;
            let have = wav.samples() + coming as u64;
            if due > have + (TEE_SLACK_S * rate) as u64 {
                wav.push(&vec![0.0; (due - have) as usize])?;
            }
            Ok(())
        };
        let task = tokio::spawn(async move {
            let mut flushed = 0u64;
            loop {
                let item = tokio::select! {
                    _ = stopped.changed() => break,
                    item = from.recv() => match item {
                        Some(item) => item,
                        None => break,
                    },
                };
                if let Input::Audio(chunk) = &item {
                    catch_up(&mut wav, chunk.samples.len())?;
                    wav.push(&chunk.samples)?;
                    if wav.samples() >= flushed + SPEECH_RATE as u64 {
                        wav.flush()?;
                        flushed = wav.samples();
                    }
                }
                if pipeline.send(item).await.is_err() {
                    break;
                }
            }
            catch_up(&mut wav, 0)?;
            let samples = wav.samples();
            wav.finish()?;
            Ok(samples)
        });
        Ok((AudioTee { stop, task }, input))
    }

    /// Stops, fills the silence up to now and finishes the file; how many seconds it holds.
    pub async fn finish(self) -> Result<f64> {
        let _ = self.stop.send(true);
        let samples = self.task.await.context("the audio recorder stopped")??;
        Ok(samples as f64 / f64::from(SPEECH_RATE))
    }
}
