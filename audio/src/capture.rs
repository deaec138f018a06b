//! Microphone capture with cpal: the device's own rate, format and channels (devices rarely
//! offer 16 kHz mono), turned into 16 kHz mono chunks with each channel's energy, on a thread
//! of its own that reopens the device when it disappears and comes back.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, Sample, SampleFormat, SizedSample, Stream, StreamConfig};
use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
use rubato::{Fft, FixedSync, Resampler};

use crate::file::SPEECH_RATE;

/// Raw callback chunks waiting for conversion. At a typical 10 ms per callback this is
/// several seconds: enough to ride out a busy moment, bounded so a stuck reader costs no
/// more memory than that.
const RAW_QUEUE: usize = 512;
/// Converted chunks waiting for the reader (10 ms each).
const CHUNK_QUEUE: usize = 512;
/// How soon a lost device is first looked for again; each miss doubles the wait, up to
/// [`REOPEN_AT_MOST`]. A device that comes back is found soon, and one that stays away does
/// not have ALSA print its complaint twice a second.
const REOPEN_FIRST: Duration = Duration::from_millis(500);
const REOPEN_AT_MOST: Duration = Duration::from_secs(8);
/// Glitches are reported at most this often: under load a device can overrun every period,
/// and one line a second says as much as a hundred.
const GLITCH_REPORT_EVERY: Duration = Duration::from_secs(1);

/// What to do when the reader falls behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backpressure {
    /// Drop audio and count it (`CaptureEvent::Overrun`): a live microphone never waits.
    DropWhenBehind,
    /// Make the device wait for the reader: for devices that are not paced in real time,
    /// such as ALSA's null and file devices playing a recording into the capture path.
    WaitForReader,
}

/// Which microphone, and how to treat it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureConfig {
    /// A device whose name contains this text; the default input when `None`.
    pub device: Option<String>,
    /// What to do when the reader falls behind.
    pub backpressure: Backpressure,
}

/// 10 ms of audio, converted.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioChunk {
    /// 16 kHz mono samples (the channels averaged).
    pub samples: Vec<f32>,
    /// Sum of squared samples per device channel, for finding the speaking seat.
    pub channel_energy: Vec<f32>,
}

/// What the microphone thread reports.
#[derive(Clone, Debug, PartialEq)]
pub enum CaptureEvent {
    /// The device is open.
    Opened {
        /// Its name.
        device: String,
        /// Its rate.
        sample_rate: u32,
        /// Its channels.
        channels: u16,
    },
    /// Audio.
    Chunk(AudioChunk),
    /// The reader fell behind and this many device frames were dropped.
    Overrun {
        /// Frames lost.
        frames: u64,
    },
    /// The device's stream stumbled and went on by itself: most often its own buffer
    /// overran because the system was too busy to read it in time, and a moment of audio
    /// is missing. Not a reason to reopen the device, which would lose far more.
    Glitch {
        /// How many since the last report.
        count: u64,
        /// What the last one was.
        reason: String,
    },
    /// The device failed or disappeared; it is being looked for again.
    Lost {
        /// What happened.
        reason: String,
    },
}

/// Why the microphone could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// No input device.
    #[error("no microphone: {0}")]
    NoDevice(String),
    /// The device refused to open.
    #[error("cannot open microphone {device}: {reason}")]
    Open {
        /// The device.
        device: String,
        /// What it said.
        reason: String,
    },
}

/// A device as `cockpit devices` lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeviceInfo {
    /// The host's identifier (`alsa:default`), unique.
    pub id: String,
    /// Its description.
    pub name: String,
    /// Its default input format, when it can record.
    pub input: Option<String>,
    /// Its default output format, when it can play.
    pub output: Option<String>,
    /// It is the default input.
    pub default_input: bool,
    /// It is the default output.
    pub default_output: bool,
}

fn device_id(device: &cpal::Device) -> Option<String> {
    device.id().ok().map(|id| id.to_string())
}

/// Every audio device the host knows, with its default formats.
pub fn list_devices() -> Result<Vec<DeviceInfo>, CaptureError> {
    crate::alsa_log::quietly(list_devices_loudly)
}

fn list_devices_loudly() -> Result<Vec<DeviceInfo>, CaptureError> {
    let host = cpal::default_host();
    let default_input = host.default_input_device().as_ref().and_then(device_id);
    let default_output = host.default_output_device().as_ref().and_then(device_id);
    let devices = host
        .devices()
        .map_err(|e| CaptureError::NoDevice(e.to_string()))?;
    let mut out = Vec::new();
    for device in devices {
        let Some(id) = device_id(&device) else {
            continue;
        };
        let name = device
            .description()
            .map(|d| d.name().to_owned())
            .unwrap_or_default();
        let format = |c: cpal::SupportedStreamConfig| {
            format!(
                "{} Hz, {} ch, {:?}",
                c.sample_rate(),
                c.channels(),
                c.sample_format()
            )
        };
        out.push(DeviceInfo {
            input: device.default_input_config().ok().map(format),
            output: device.default_output_config().ok().map(format),
            default_input: default_input.as_deref() == Some(id.as_str()),
            default_output: default_output.as_deref() == Some(id.as_str()),
            id,
            name,
        });
    }
    Ok(out)
}

fn find_device(name: Option<&str>) -> Result<cpal::Device, CaptureError> {
    let host = cpal::default_host();
    match name {
        None => host.default_input_device().ok_or_else(|| {
            CaptureError::NoDevice(
                "the system has no default input device (`cockpit devices` lists them)".into(),
            )
        }),
        Some(wanted) => host
            .input_devices()
            .map_err(|e| CaptureError::NoDevice(e.to_string()))?
            .find(|d| {
                device_id(d).is_some_and(|id| id == wanted || id.ends_with(&format!(":{wanted}")))
                    || d.description()
                        .is_ok_and(|desc| desc.name().contains(wanted))
            })
            .ok_or_else(|| {
                CaptureError::NoDevice(format!(
                    "no input device named like {wanted:?} (`cockpit devices` lists them)"
                ))
            }),
    }
}

/// A running microphone. Dropping it stops the capture thread.
pub struct Microphone {
    events: Option<Receiver<CaptureEvent>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// An open device. Fields drop in order: the receiver goes first, so that a callback blocked
/// on a full queue (`WaitForReader`) fails its send and returns before the stream, whose
/// drop waits for the callback, is closed.
struct Open {
    raw: Receiver<Vec<f32>>,
    errors: Arc<Mutex<StreamErrors>>,
    dropped: Arc<AtomicU64>,
    channels: usize,
    sample_rate: u32,
    name: String,
    _stream: Stream,
}

/// What the stream's error callback has said since the capture thread last looked.
#[derive(Default)]
struct StreamErrors {
    /// The first error the stream does not survive.
    fatal: Option<String>,
    /// Errors it survives, counted, and the last of them.
    glitches: u64,
    last_glitch: String,
}

impl StreamErrors {
    fn record(&mut self, error: &cpal::Error) {
        if survives(error.kind()) {
            self.glitches += 1;
            self.last_glitch = error.to_string();
        } else if self.fatal.is_none() {
            self.fatal = Some(error.to_string());
        }
    }
}

/// Whether a stream goes on after this error without being opened again. cpal recovers an
/// xrun itself (ALSA: prepare and start), a refused real-time priority only costs latency,
/// and a rerouted default device keeps streaming; anything else (the device gone, I/O
/// errors, an invalidated stream) needs the device opened afresh.
fn survives(kind: cpal::ErrorKind) -> bool {
    matches!(
        kind,
        cpal::ErrorKind::Xrun | cpal::ErrorKind::RealtimeDenied | cpal::ErrorKind::DeviceChanged
    )
}

fn build<T>(
    device: &cpal::Device,
    config: StreamConfig,
    sender: SyncSender<Vec<f32>>,
    backpressure: Backpressure,
    dropped: Arc<AtomicU64>,
    errors: Arc<Mutex<StreamErrors>>,
) -> Result<Stream, cpal::Error>
where
    T: SizedSample,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _| {
            let chunk: Vec<f32> = data.iter().map(|&s| f32::from_sample(s)).collect();
            match backpressure {
                // Cannot block the audio thread for long: a live device overruns its own
                // buffer rather than ours, and we count what we drop.
                Backpressure::DropWhenBehind => {
                    if let Err(TrySendError::Full(chunk)) = sender.try_send(chunk) {
                        dropped.fetch_add((chunk.len() / channels) as u64, Ordering::Relaxed);
                    }
                }
                // A send error means the capture thread is gone: the stream is being dropped.
                Backpressure::WaitForReader => {
                    let _ = sender.send(chunk);
                }
            }
        },
        move |error| {
            errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .record(&error);
        },
        None,
    )
}

fn open(config: &CaptureConfig) -> Result<Open, CaptureError> {
    crate::alsa_log::quietly(|| open_loudly(config))
}

fn open_loudly(config: &CaptureConfig) -> Result<Open, CaptureError> {
    let device = find_device(config.device.as_deref())?;
    let name = device
        .description()
        .map(|d| d.name().to_owned())
        .unwrap_or_else(|_| "input".into());
    let open_error = |reason: String| CaptureError::Open {
        device: name.clone(),
        reason,
    };
    let supported = device
        .default_input_config()
        .map_err(|e| open_error(e.to_string()))?;
    let stream_config: StreamConfig = supported.config();
    let (sender, raw) = sync_channel(RAW_QUEUE);
    let errors = Arc::new(Mutex::new(StreamErrors::default()));
    let dropped = Arc::new(AtomicU64::new(0));
    let (s, d, f, b) = (sender, dropped.clone(), errors.clone(), config.backpressure);
    let stream = match supported.sample_format() {
        SampleFormat::F32 => build::<f32>(&device, stream_config, s, b, d, f),
        SampleFormat::I16 => build::<i16>(&device, stream_config, s, b, d, f),
        SampleFormat::I32 => build::<i32>(&device, stream_config, s, b, d, f),
        SampleFormat::U16 => build::<u16>(&device, stream_config, s, b, d, f),
        SampleFormat::U8 => build::<u8>(&device, stream_config, s, b, d, f),
        other => {
            return Err(open_error(format!(
                "sample format {other:?} is not supported"
            )));
        }
    }
    .map_err(|e| open_error(e.to_string()))?;
    stream.play().map_err(|e| open_error(e.to_string()))?;
    Ok(Open {
        raw,
        errors,
        dropped,
        channels: usize::from(stream_config.channels.max(1)),
        sample_rate: stream_config.sample_rate,
        name,
        _stream: stream,
    })
}

/// Turns device audio into 16 kHz mono in 10 ms steps.
struct Converter {
    resampler: Option<Fft<f32>>,
    chunk: usize,
    mono: Vec<f32>,
    energy: Vec<f32>,
    channels: usize,
}

impl Converter {
    fn new(sample_rate: u32, channels: usize) -> Converter {
        let chunk = (sample_rate as usize / 100).max(1);
        let resampler = (sample_rate != SPEECH_RATE)
            .then(|| {
                Fft::<f32>::new(
                    sample_rate as usize,
                    SPEECH_RATE as usize,
                    chunk,
                    1,
                    FixedSync::Input,
                )
                .ok()
            })
            .flatten();
        Converter {
            resampler,
            chunk,
            mono: Vec::with_capacity(chunk * 2),
            energy: vec![0.0; channels],
            channels,
        }
    }

    fn push(&mut self, interleaved: &[f32], out: &mut Vec<AudioChunk>) {
        for frame in interleaved.chunks_exact(self.channels) {
            let mut sum = 0.0;
            for (c, &s) in frame.iter().enumerate() {
                self.energy[c] += s * s;
                sum += s;
            }
            self.mono.push(sum / self.channels as f32);
            if self.mono.len() == self.chunk {
                let samples = match &mut self.resampler {
                    None => std::mem::take(&mut self.mono),
                    Some(resampler) => {
                        let input = [std::mem::take(&mut self.mono)];
                        SequentialSliceOfVecs::new(&input, 1, self.chunk)
                            .ok()
                            .and_then(|adapter| resampler.process(&adapter, None).ok())
                            .map(|o| o.take_data())
                            .unwrap_or_default()
                    }
                };
                self.mono.clear();
                out.push(AudioChunk {
                    samples,
                    channel_energy: std::mem::replace(&mut self.energy, vec![0.0; self.channels]),
                });
            }
        }
    }
}

impl Microphone {
    /// Opens the microphone and starts capturing.
    pub fn open(config: CaptureConfig) -> Result<Microphone, CaptureError> {
        // Open once here so that a missing device is an error now, not an event later.
        let first = open(&config)?;
        Microphone::start(config, Some(first))
    }

    /// Captures from the microphone once there is one: a device missing now (a USB
    /// microphone not yet enumerated when the head unit boots) is looked for as a lost one
    /// is, and [`CaptureEvent::Opened`] says when it came.
    pub fn open_when_available(config: CaptureConfig) -> Result<Microphone, CaptureError> {
        Microphone::start(config, None)
    }

    fn start(config: CaptureConfig, first: Option<Open>) -> Result<Microphone, CaptureError> {
        let (sender, events) = sync_channel(CHUNK_QUEUE);
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name("microphone".into())
            .spawn(move || run(config, first, sender, thread_stop))
            .map_err(|e| CaptureError::NoDevice(e.to_string()))?;
        Ok(Microphone {
            events: Some(events),
            stop,
            thread: Some(thread),
        })
    }

    /// The next event, waiting at most `timeout`; `None` on timeout or when capture ended.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<CaptureEvent> {
        self.events.as_ref()?.recv_timeout(timeout).ok()
    }
}

impl Drop for Microphone {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Closing the queue first unblocks a capture thread waiting for this reader.
        self.events = None;
        if let Some(thread) = self.thread.take() {
            // A panic in the capture thread was already printed.
            let _ = thread.join();
        }
    }
}

fn deliver(
    sender: &SyncSender<CaptureEvent>,
    event: CaptureEvent,
    backpressure: Backpressure,
) -> bool {
    match backpressure {
        Backpressure::WaitForReader => sender.send(event).is_ok(),
        Backpressure::DropWhenBehind => match sender.try_send(event) {
            Ok(()) | Err(TrySendError::Full(_)) => true,
            Err(TrySendError::Disconnected(_)) => false,
        },
    }
}

fn run(
    config: CaptureConfig,
    first: Option<Open>,
    sender: SyncSender<CaptureEvent>,
    stop: Arc<AtomicBool>,
) {
    let mut current = first;
    let mut chunks = Vec::new();
    let mut reopen_after = REOPEN_FIRST;
    while !stop.load(Ordering::Relaxed) {
        let Some(device) = &current else {
            // In short naps, so that dropping the microphone is not kept waiting.
            let until = std::time::Instant::now() + reopen_after;
            while std::time::Instant::now() < until {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            match open(&config) {
                Ok(device) => current = Some(device),
                Err(e) => {
                    tracing::debug!("microphone still unavailable: {e}");
                    reopen_after = (reopen_after * 2).min(REOPEN_AT_MOST);
                }
            }
            continue;
        };
        reopen_after = REOPEN_FIRST;
        let opened = CaptureEvent::Opened {
            device: device.name.clone(),
            sample_rate: device.sample_rate,
            channels: device.channels as u16,
        };
        if !deliver(&sender, opened, Backpressure::WaitForReader) {
            return;
        }
        let mut converter = Converter::new(device.sample_rate, device.channels);
        let mut glitch_reported: Option<std::time::Instant> = None;
        let lost = loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let glitch = {
                let mut errors = device.errors.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(reason) = errors.fatal.take() {
                    break reason;
                }
                (errors.glitches > 0
                    && glitch_reported.is_none_or(|at| at.elapsed() >= GLITCH_REPORT_EVERY))
                .then(|| CaptureEvent::Glitch {
                    count: std::mem::take(&mut errors.glitches),
                    reason: std::mem::take(&mut errors.last_glitch),
                })
            };
            if let Some(glitch) = glitch {
                glitch_reported = Some(std::time::Instant::now());
                if !deliver(&sender, glitch, config.backpressure) {
                    return;
                }
            }
            let dropped = device.dropped.swap(0, Ordering::Relaxed);
            if dropped > 0
                && !deliver(
                    &sender,
                    CaptureEvent::Overrun { frames: dropped },
                    config.backpressure,
                )
            {
                return;
            }
            match device.raw.recv_timeout(Duration::from_millis(200)) {
                Ok(raw) => {
                    converter.push(&raw, &mut chunks);
                    for chunk in chunks.drain(..) {
                        if !deliver(&sender, CaptureEvent::Chunk(chunk), config.backpressure) {
                            return;
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break "the audio stream ended".to_owned(),
            }
        };
        tracing::warn!("microphone lost: {lost}");
        if !deliver(
            &sender,
            CaptureEvent::Lost { reason: lost },
            Backpressure::WaitForReader,
        ) {
            return;
        }
        current = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overrun_is_a_glitch_and_a_vanished_device_is_lost() {
        let mut errors = StreamErrors::default();
        errors.record(&cpal::ErrorKind::Xrun.into());
        errors.record(&cpal::ErrorKind::Xrun.into());
        errors.record(&cpal::ErrorKind::RealtimeDenied.into());
        assert_eq!(errors.glitches, 3);
        assert!(errors.fatal.is_none(), "the stream goes on after these");

        errors.record(&cpal::Error::with_message(
            cpal::ErrorKind::DeviceNotAvailable,
            "Device disconnected",
        ));
        errors.record(&cpal::Error::with_message(
            cpal::ErrorKind::BackendError,
            "I/O error",
        ));
        // The first reason is the one worth telling.
        assert_eq!(errors.fatal.as_deref(), Some("Device disconnected"));
    }

    #[test]
    fn stereo_48k_becomes_16k_mono_with_energy_per_channel() {
        let mut converter = Converter::new(48_000, 2);
        let mut chunks = Vec::new();
        // One second: the left channel loud, the right quiet.
        let interleaved: Vec<f32> = (0..48_000)
            .flat_map(|i| {
                let s = (i as f32 / 48_000.0 * 440.0 * std::f32::consts::TAU).sin();
                [0.5 * s, 0.05 * s]
            })
            .collect();
        converter.push(&interleaved, &mut chunks);
        assert_eq!(chunks.len(), 100);
        let total: usize = chunks.iter().map(|c| c.samples.len()).sum();
        assert_eq!(total, 16_000);
        let energy: Vec<f32> = (0..2)
            .map(|c| chunks.iter().map(|k| k.channel_energy[c]).sum())
            .collect();
        assert_eq!(
            crate::endpoint::loudest_channel(&energy).map(|(c, _)| c),
            Some(0)
        );
    }
}
