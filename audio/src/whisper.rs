//! Speech to text with whisper.cpp (whisper-rs): one context and one reused state, commands
//! decoded greedily over an encoder window trimmed to the utterance.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use std::time::Instant;

use serde::Serialize;
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState};

use crate::file::SPEECH_RATE;
use crate::models::{ModelError, check_file};

/// Whisper's encoder sees 50 positions a second (a 10 ms mel hop, halved by its second
/// convolution), 1500 for its full 30-second window.
const SAMPLES_PER_AUDIO_POSITION: usize = SPEECH_RATE as usize / 50;
const FULL_AUDIO_CONTEXT: usize = 1500;
/// Extra encoder positions past the end of the speech: Whisper needs a little silence after
/// the last word to close the sentence, and trimming exactly to the audio drops final words.
const AUDIO_CONTEXT_MARGIN: usize = 64;
/// Below this level (about -55 dBFS RMS) a recording holds no speech worth decoding.
const SILENCE_RMS: f32 = 0.0018;
/// A command is a sentence or two; a runaway decode of a noisy window is cut here.
const MAX_COMMAND_TOKENS: i32 = 96;

/// Phrases Whisper is known to invent from silence, noise and music (learnt from subtitled
/// videos); accepted only when Whisper itself is not confident there is speech.
const HALLUCINATIONS: &[&str] = &[
    "thank you for watching",
    "thanks for watching",
    "thank you",
    "thank you very much",
    "please subscribe",
    "subtitles by",
    "you",
    "bye",
];

/// How the transcriber decodes.
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriberConfig {
    /// CPU threads.
    pub threads: usize,
    /// Text the decoder starts from: the car's vocabulary, to bias recognition toward it.
    pub prompt: String,
    /// Above this no-speech probability the transcript is empty.
    pub no_speech_threshold: f32,
    /// Encode only as much of the 30-second window as the audio needs.
    pub trim_audio_context: bool,
    /// One short segment without timestamps (commands), or timed segments (long audio).
    pub long_form: bool,
}

impl TranscriberConfig {
    /// For spoken commands in a car: trimmed window, the car's vocabulary as prompt.
    pub fn for_commands(threads: usize) -> TranscriberConfig {
        TranscriberConfig {
            threads,
            prompt: "Car voice commands: open the window, close the sunroof, set the temperature to 21 degrees, \
                     seat heating, fan speed, air conditioning, defrost, wipers, hazard lights, fog lights, \
                     ambient light, volume, next song, unlock the doors, open the boot."
                .into(),
            no_speech_threshold: 0.6,
            trim_audio_context: true,
            long_form: false,
        }
    }

    /// For long recordings: the full window, timed segments, no prompt.
    pub fn for_long_audio(threads: usize) -> TranscriberConfig {
        TranscriberConfig {
            threads,
            prompt: String::new(),
            no_speech_threshold: 0.6,
            trim_audio_context: false,
            long_form: true,
        }
    }
}

/// What was heard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transcript {
    /// The words, empty when no speech was found.
    pub text: String,
    /// Whisper's probability that the audio holds no speech.
    pub no_speech_probability: f32,
    /// Why the transcript is empty, when it is.
    pub empty_because: Option<String>,
    /// Length of the audio.
    pub audio_seconds: f64,
    /// Encoder positions used (1500 is the full 30-second window).
    pub audio_context: usize,
    /// Milliseconds Whisper took (mel, encoder and decoder).
    pub whisper_ms: f64,
}

/// Why transcription failed.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// The model file is missing or damaged.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// whisper.cpp refused the model or the audio.
    #[error("whisper.cpp failed on {model}: {message}")]
    Whisper {
        /// The model file.
        model: PathBuf,
        /// What it said.
        message: String,
    },
}

/// A loaded Whisper model with its decoding state, reused for every utterance (a new state
/// allocates its buffers, tens of megabytes, each time).
pub struct Transcriber {
    model: PathBuf,
    _context: WhisperContext,
    state: Mutex<WhisperState>,
    config: TranscriberConfig,
}

static LOG_HOOKS: Once = Once::new();

impl Transcriber {
    /// Loads a ggml Whisper model.
    pub fn load(model: &Path, config: TranscriberConfig) -> Result<Transcriber, TranscribeError> {
        // whisper.cpp logs to stderr on its own; route it through `tracing` instead.
        LOG_HOOKS.call_once(whisper_rs::install_logging_hooks);
        check_file(model, 1 << 20, b"lmgg", "a whisper.cpp (ggml) model")?;
        let whisper_error = |message: String| TranscribeError::Whisper {
            model: model.to_owned(),
            message,
        };
        let path = model.to_str().ok_or_else(|| whisper_error("the path is not UTF-8".into()))?;
        let context = WhisperContext::new_with_params(path, WhisperContextParameters::default()).map_err(|e| {
            TranscribeError::Model(ModelError::Damaged {
                path: model.to_owned(),
                reason: format!("whisper.cpp cannot load it: {e}"),
            })
        })?;
        let state = context.create_state().map_err(|e| whisper_error(e.to_string()))?;
        Ok(Transcriber {
            model: model.to_owned(),
            _context: context,
            state: Mutex::new(state),
            config,
        })
    }

    /// The settings.
    pub fn config(&self) -> &TranscriberConfig {
        &self.config
    }

    /// Transcribes 16 kHz mono samples.
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript, TranscribeError> {
        let audio_seconds = samples.len() as f64 / f64::from(SPEECH_RATE);
        let rms = (samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32).sqrt();
        if samples.len() < SPEECH_RATE as usize / 10 || rms < SILENCE_RMS {
            return Ok(Transcript {
                text: String::new(),
                no_speech_probability: 1.0,
                empty_because: Some(if rms < SILENCE_RMS { "silence" } else { "too short for speech" }.into()),
                audio_seconds,
                audio_context: 0,
                whisper_ms: 0.0,
            });
        }
        let audio_context = if self.config.trim_audio_context {
            (samples.len().div_ceil(SAMPLES_PER_AUDIO_POSITION) + AUDIO_CONTEXT_MARGIN).min(FULL_AUDIO_CONTEXT)
        } else {
            FULL_AUDIO_CONTEXT
        };
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(self.config.threads as i32);
        params.set_language(Some("en"));
        params.set_translate(false);
        params.set_no_context(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_suppress_blank(true);
        params.set_suppress_nst(true);
        params.set_temperature(0.0);
        params.set_temperature_inc(0.0);
        params.set_no_speech_thold(self.config.no_speech_threshold);
        params.set_audio_ctx(audio_context as i32);
        if !self.config.prompt.is_empty() {
            params.set_initial_prompt(&self.config.prompt);
        }
        if !self.config.long_form {
            params.set_single_segment(true);
            params.set_no_timestamps(true);
            params.set_max_tokens(MAX_COMMAND_TOKENS);
        }

        let started = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.full(params, samples).map_err(|e| TranscribeError::Whisper {
            model: self.model.clone(),
            message: e.to_string(),
        })?;
        let whisper_ms = started.elapsed().as_secs_f64() * 1000.0;

        let mut text = String::new();
        let mut no_speech_probability: f32 = 0.0;
        for segment in state.as_iter() {
            if segment.segment_index() == 0 {
                no_speech_probability = segment.no_speech_probability();
            }
            if let Ok(part) = segment.to_str_lossy() {
                text.push_str(&part);
            }
        }
        let text = clean(&text);
        let empty_because = if text.is_empty() {
            Some("no words".to_owned())
        } else if no_speech_probability > self.config.no_speech_threshold {
            Some(format!("no speech (probability {no_speech_probability:.2})"))
        } else if no_speech_probability > 0.1 && is_hallucination(&text) {
            Some(format!("{text:?} is what Whisper says to noise"))
        } else {
            None
        };
        Ok(Transcript {
            text: if empty_because.is_some() { String::new() } else { text },
            no_speech_probability,
            empty_because,
            audio_seconds,
            audio_context,
            whisper_ms,
        })
    }
}

/// Trims the text and drops bracketed annotations (`[BLANK_AUDIO]`, `(engine noise)`,
/// `♪`) that Whisper writes for sounds that are not words.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            '♪' | '♫' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_hallucination(text: &str) -> bool {
    let normalized: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let normalized = normalized.split_whitespace().collect::<Vec<_>>().join(" ");
    HALLUCINATIONS.contains(&normalized.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_are_not_words() {
        assert_eq!(clean(" [BLANK_AUDIO] "), "");
        assert_eq!(clean(" (engine revving) Open the window. ♪"), "Open the window.");
        assert_eq!(clean("Set it to 21  degrees"), "Set it to 21 degrees");
    }

    #[test]
    fn known_inventions_are_recognised() {
        assert!(is_hallucination(" Thank you for watching!"));
        assert!(is_hallucination("you"));
        assert!(!is_hallucination("Thank you for opening the window"));
    }
}
