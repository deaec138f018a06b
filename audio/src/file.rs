//! Audio files in and out: WAV of any rate, width and channel count (hound), FLAC (claxon),
//! and the conversion every input goes through to 16 kHz mono, the form Whisper takes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
use rubato::{Fft, FixedSync, Resampler};

/// The sample rate the recogniser works at.
pub const SPEECH_RATE: u32 = 16_000;

/// Interleaved samples in [-1, 1] with their rate and channel count.
#[derive(Clone, Debug, PartialEq)]
pub struct Audio {
    /// Interleaved samples.
    pub samples: Vec<f32>,
    /// Frames per second.
    pub sample_rate: u32,
    /// Channels per frame.
    pub channels: u16,
}

impl Audio {
    /// Length in frames.
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }

    /// Length in time.
    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.frames() as f64 / f64::from(self.sample_rate.max(1)))
    }

    /// One channel's samples.
    pub fn channel(&self, index: usize) -> Vec<f32> {
        let channels = usize::from(self.channels.max(1));
        self.samples
            .iter()
            .skip(index)
            .step_by(channels)
            .copied()
            .collect()
    }
}

/// A file that cannot be used as audio.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct AudioFileError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong, for a person.
    pub reason: String,
}

fn error(path: &Path, reason: impl Into<String>) -> AudioFileError {
    AudioFileError {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Reads a WAV or FLAC file, refusing one longer than `max_duration` before reading its
/// samples (the header says how long it is).
pub fn read_file(path: &Path, max_duration: Duration) -> Result<Audio, AudioFileError> {
    let metadata =
        std::fs::metadata(path).map_err(|e| error(path, format!("cannot read it: {e}")))?;
    if metadata.len() == 0 {
        return Err(error(path, "the file is empty (0 bytes)"));
    }
    let mut magic = [0u8; 4];
    {
        use std::io::Read;
        let mut file =
            std::fs::File::open(path).map_err(|e| error(path, format!("cannot read it: {e}")))?;
        file.read_exact(&mut magic)
            .map_err(|_| error(path, "too short to be an audio file"))?;
    }
    let audio = match &magic {
        b"RIFF" | b"RIFX" | b"RF64" => read_wav(path, max_duration)?,
        b"fLaC" => read_flac(path, max_duration)?,
        _ => {
            return Err(error(
                path,
                "not a WAV or FLAC file (no RIFF or fLaC header)",
            ));
        }
    };
    if audio.frames() == 0 {
        return Err(error(path, "holds no audio samples"));
    }
    Ok(audio)
}

fn check_length(path: &Path, frames: u64, rate: u32, max: Duration) -> Result<(), AudioFileError> {
    if rate == 0 {
        return Err(error(path, "its sample rate is 0"));
    }
    let seconds = frames as f64 / f64::from(rate);
    if seconds > max.as_secs_f64() {
        return Err(error(
            path,
            format!(
                "it is {} long; cockpit takes up to {}",
                human_duration(seconds),
                human_duration(max.as_secs_f64())
            ),
        ));
    }
    Ok(())
}

fn human_duration(seconds: f64) -> String {
    if seconds >= 3600.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else if seconds >= 60.0 {
        format!("{:.1} min", seconds / 60.0)
    } else {
        format!("{seconds:.1} s")
    }
}

fn read_wav(path: &Path, max: Duration) -> Result<Audio, AudioFileError> {
    let mut reader = hound::WavReader::open(path)
        .map_err(|e| error(path, format!("not a readable WAV file: {e}")))?;
    let spec = reader.spec();
    check_length(path, u64::from(reader.duration()), spec.sample_rate, max)?;
    let samples: Result<Vec<f32>, hound::Error> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect(),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect()
        }
    };
    let samples = samples.map_err(|e| error(path, format!("damaged WAV data: {e}")))?;
    Ok(Audio {
        samples,
        sample_rate: spec.sample_rate,
        channels: spec.channels,
    })
}

fn read_flac(path: &Path, max: Duration) -> Result<Audio, AudioFileError> {
    let mut reader = claxon::FlacReader::open(path)
        .map_err(|e| error(path, format!("not a readable FLAC file: {e}")))?;
    let info = reader.streaminfo();
    if let Some(frames) = info.samples {
        check_length(path, frames, info.sample_rate, max)?;
    }
    let scale = 1.0 / (1u64 << (info.bits_per_sample.clamp(1, 32) - 1)) as f32;
    let samples: Result<Vec<f32>, claxon::Error> = reader
        .samples()
        .map(|s| s.map(|v| v as f32 * scale))
        .collect();
    let samples = samples.map_err(|e| error(path, format!("damaged FLAC data: {e}")))?;
    Ok(Audio {
        samples,
        sample_rate: info.sample_rate,
        // Cannot truncate: FLAC has at most 8 channels.
        channels: info.channels as u16,
    })
}

/// Averages the channels into one and resamples it to 16 kHz.
pub fn to_speech_rate(audio: &Audio) -> Vec<f32> {
    let channels = usize::from(audio.channels.max(1));
    let mono: Vec<f32> = if channels == 1 {
        audio.samples.clone()
    } else {
        audio
            .samples
            .chunks_exact(channels)
            .map(|frame| frame.iter().sum::<f32>() / channels as f32)
            .collect()
    };
    resample(&mono, audio.sample_rate, SPEECH_RATE)
}

/// Resamples a mono signal between rates with rubato's FFT resampler (a fixed ratio, the
/// case it is made for), with its delay trimmed so that the output lines up with the input.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let chunk = 1024;
    let Ok(mut resampler) = Fft::<f32>::new(from as usize, to as usize, chunk, 1, FixedSync::Input)
    else {
        // Rates rubato refuses (0, absurd ratios) never come from a file that passed
        // `read_file`; returning nothing makes such audio silent rather than crash.
        return Vec::new();
    };
    let input = [samples.to_vec()];
    let Ok(adapter) = SequentialSliceOfVecs::new(&input, 1, samples.len()) else {
        return Vec::new();
    };
    match resampler.process_all(&adapter, samples.len(), None) {
        Ok(output) => output.take_data(),
        Err(_) => Vec::new(),
    }
}

/// Writes mono samples as a 16-bit PCM WAV file.
pub fn write_wav(path: &Path, samples: &[f32], sample_rate: u32) -> Result<(), AudioFileError> {
    write_wav_channels(path, std::slice::from_ref(&samples.to_vec()), sample_rate)
}

/// Writes one `Vec` of samples per channel (a microphone per seat) as a 16-bit PCM WAV file;
/// the channels are cut to the shortest.
pub fn write_wav_channels(
    path: &Path,
    channels: &[Vec<f32>],
    sample_rate: u32,
) -> Result<(), AudioFileError> {
    let count = u16::try_from(channels.len())
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| error(path, "cannot write it: no channels, or too many"))?;
    let spec = hound::WavSpec {
        channels: count,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec)
        .map_err(|e| error(path, format!("cannot write it: {e}")))?;
    let frames = channels.iter().map(Vec::len).min().unwrap_or(0);
    for i in 0..frames {
        for channel in channels {
            let value = (channel[i].clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            writer
                .write_sample(value)
                .map_err(|e| error(path, format!("cannot write it: {e}")))?;
        }
    }
    writer
        .finalize()
        .map_err(|e| error(path, format!("cannot write it: {e}")))
}

/// A mono 16-bit WAV written as audio arrives (a live session's microphone): the header is
/// brought up to date at every [`flush`](Self::flush), so a session cut short leaves a
/// readable file up to then.
pub struct WavRecorder {
    path: PathBuf,
    writer: hound::WavWriter<std::io::BufWriter<std::fs::File>>,
    samples: u64,
}

impl WavRecorder {
    /// Creates (or replaces) `path`.
    pub fn create(path: &Path, sample_rate: u32) -> Result<WavRecorder, AudioFileError> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::create(path, spec)
            .map_err(|e| error(path, format!("cannot write it: {e}")))?;
        Ok(WavRecorder {
            path: path.to_owned(),
            writer,
            samples: 0,
        })
    }

    /// Appends samples.
    pub fn push(&mut self, samples: &[f32]) -> Result<(), AudioFileError> {
        for s in samples {
            let value = (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            self.writer
                .write_sample(value)
                .map_err(|e| error(&self.path, format!("cannot write it: {e}")))?;
        }
        self.samples += samples.len() as u64;
        Ok(())
    }

    /// Samples written so far.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// Writes out what is buffered and the header that covers it.
    pub fn flush(&mut self) -> Result<(), AudioFileError> {
        self.writer
            .flush()
            .map_err(|e| error(&self.path, format!("cannot write it: {e}")))
    }

    /// Finishes the file.
    pub fn finish(self) -> Result<(), AudioFileError> {
        let path = self.path;
        self.writer
            .finalize()
            .map_err(|e| error(&path, format!("cannot write it: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(rate: u32, seconds: f32, hz: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|i| (i as f32 / rate as f32 * hz * std::f32::consts::TAU).sin() * 0.5)
            .collect()
    }

    #[test]
    fn a_recording_reads_back_while_it_grows_and_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.wav");
        let mut recorder = WavRecorder::create(&path, SPEECH_RATE).unwrap();
        recorder.push(&tone(SPEECH_RATE, 0.5, 440.0)).unwrap();
        recorder.flush().unwrap();
        let partial = read_file(&path, Duration::from_secs(5)).unwrap();
        assert_eq!(partial.samples.len(), 8_000);
        recorder.push(&tone(SPEECH_RATE, 0.5, 440.0)).unwrap();
        assert_eq!(recorder.samples(), 16_000);
        recorder.finish().unwrap();
        let whole = read_file(&path, Duration::from_secs(5)).unwrap();
        assert_eq!(whole.samples.len(), 16_000);
        assert_eq!(whole.sample_rate, SPEECH_RATE);
    }

    #[test]
    fn resampling_keeps_length_and_pitch() {
        let input = tone(48_000, 1.0, 440.0);
        let output = resample(&input, 48_000, SPEECH_RATE);
        assert_eq!(output.len(), 16_000);
        // A 440 Hz tone crosses zero 880 times a second.
        let crossings = output
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        assert!((870..=890).contains(&crossings), "{crossings}");
    }

    #[test]
    fn wav_files_of_any_width_and_channels_read_alike() {
        let dir = tempfile::tempdir().unwrap();
        for (bits, format) in [
            (8, hound::SampleFormat::Int),
            (16, hound::SampleFormat::Int),
            (24, hound::SampleFormat::Int),
            (32, hound::SampleFormat::Float),
        ] {
            let path = dir.path().join(format!("t{bits}.wav"));
            let spec = hound::WavSpec {
                channels: 2,
                sample_rate: 44_100,
                bits_per_sample: bits,
                sample_format: format,
            };
            let mut w = hound::WavWriter::create(&path, spec).unwrap();
            for s in tone(44_100, 0.5, 300.0) {
                match format {
                    hound::SampleFormat::Float => {
                        w.write_sample(s).unwrap();
                        w.write_sample(s).unwrap();
                    }
                    hound::SampleFormat::Int => {
                        let v = (s * ((1i64 << (bits - 1)) - 1) as f32) as i32;
                        w.write_sample(v).unwrap();
                        w.write_sample(v).unwrap();
                    }
                }
            }
            w.finalize().unwrap();
            let audio = read_file(&path, Duration::from_secs(60)).unwrap();
            assert_eq!(
                (audio.channels, audio.sample_rate, audio.frames()),
                (2, 44_100, 22_050),
                "{bits} bits"
            );
            let peak = audio.samples.iter().fold(0f32, |m, s| m.max(s.abs()));
            assert!((0.48..0.51).contains(&peak), "{bits} bits: peak {peak}");
            assert_eq!(to_speech_rate(&audio).len(), 8_000);
        }
    }

    fn check_refused(bytes: &[u8], expect: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.wav");
        std::fs::write(&path, bytes).unwrap();
        let err = read_file(&path, Duration::from_secs(600))
            .unwrap_err()
            .to_string();
        assert!(err.contains(expect), "{err}");
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        check_refused(b"", "the file is empty (0 bytes)");
        check_refused(b"ID3\x03 not audio at all", "not a WAV or FLAC file");
        check_refused(b"RIFF\x24\x00\x00\x00WAVEfmt ", "not a readable WAV file");
        // A header claiming three hours of 16 kHz audio, with a few samples behind it.
        let mut header = Vec::new();
        let data_len: u32 = 3 * 3600 * 16_000 * 2;
        header.extend_from_slice(b"RIFF");
        header.extend_from_slice(&(36 + data_len).to_le_bytes());
        header.extend_from_slice(b"WAVEfmt ");
        header.extend_from_slice(&16u32.to_le_bytes());
        header.extend_from_slice(&[1, 0, 1, 0]);
        header.extend_from_slice(&16_000u32.to_le_bytes());
        header.extend_from_slice(&32_000u32.to_le_bytes());
        header.extend_from_slice(&[2, 0, 16, 0]);
        header.extend_from_slice(b"data");
        header.extend_from_slice(&data_len.to_le_bytes());
        header.extend_from_slice(&[0; 64]);
        check_refused(&header, "it is 3.0 h long; cockpit takes up to 10.0 min");
    }
}
