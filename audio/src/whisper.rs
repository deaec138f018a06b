//! Speech to text with whisper.cpp (whisper-rs): one context and one reused state, commands
//! decoded greedily over an encoder window trimmed to the utterance.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use std::time::Instant;

use serde::Serialize;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::endpoint::voiced_frames;
use crate::file::SPEECH_RATE;
use crate::models::{ModelError, check_file};

/// Whisper's encoder sees 50 positions a second (a 10 ms mel hop, halved by its second
/// convolution), 1500 for its full 30-second window.
const SAMPLES_PER_AUDIO_POSITION: usize = SPEECH_RATE as usize / 50;
const FULL_AUDIO_CONTEXT: usize = 1500;
/// Extra encoder positions past the end of the speech: Whisper needs a little silence after
/// the last word to close the sentence, and trimming exactly to the audio drops final words.
const AUDIO_CONTEXT_MARGIN: usize = 64;
/// The smallest window a command is encoded with (7.7 s). Below it tiny.en loses words it keeps
/// with the full window, and with llamafile's kernels (audio/whisper/build.cmake) smaller
/// windows are not even faster (300 recorded prompts, f16: 6.83 % WER at 384, 7.36 % at 320,
/// 7.83 % at 256, 6.71 % full; a 3 s command 121, 142 and 126 ms).
const MIN_COMMAND_AUDIO_CONTEXT: usize = 384;
/// Whisper writes sentences into road noise (generated brown noise comes back as "It's a little
/// bit more light"), with a no-speech probability of zero. The voice detector tells them
/// apart: over 117 noise clips no frame scored 0.75, while every recorded prompt but two
/// one-word ones ("with", "press") had at least two such frames. Audio without them is not
/// decoded.
const VOICE_SCORE: f32 = 0.75;
const MIN_VOICED_FRAMES: usize = 2;
/// Below this level (about -55 dBFS RMS) a recording holds no speech worth decoding.
const SILENCE_RMS: f32 = 0.0018;
/// A command is a sentence or two; a runaway decode of a noisy window is cut here.
const MAX_COMMAND_TOKENS: i32 = 96;
/// Tokens a second of fast speech needs (three words, a token and a half each).
const TOKENS_PER_SECOND: f64 = 5.0;

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

/// How much of Whisper's 30-second window to encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudioContext {
    /// All of it, as Whisper was trained.
    Full,
    /// Only as many positions as the audio fills (50 a second), plus `margin`, and at least
    /// `minimum`: the encoder's cost grows with the window, and a command is a few seconds.
    Trimmed {
        /// Positions past the end of the audio.
        margin: usize,
        /// The fewest positions encoded.
        minimum: usize,
    },
}

/// How the transcriber decodes.
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriberConfig {
    /// CPU threads.
    pub threads: usize,
    /// Text the decoder starts from: the car's vocabulary, to bias recognition toward it.
    pub prompt: String,
    /// Above this no-speech probability the transcript is empty.
    pub no_speech_threshold: f32,
    /// How much of the 30-second window the encoder sees.
    pub audio_context: AudioContext,
    /// One short segment without timestamps (commands), or timed segments (long audio).
    pub long_form: bool,
}

impl TranscriberConfig {
    /// For spoken commands in a car: trimmed window, the car's vocabulary as prompt.
    pub fn for_commands(threads: usize) -> TranscriberConfig {
        TranscriberConfig {
            threads,
            // "passenger", "seat cooling", "recirculation", "low beams" and "trunk" are here
            // because cockpit's own voice was heard as "pass in your side", "Switch to Research",
            // "low beans" and "Open the truck" without them. `scripts/bench.sh spoken` (428
            // requests, two voices, quiet and noisy): 1396 of 1712 understood, against 1389
            // with the list before them, within what one prompt word changes. Prompts are
            // fickle: most variants tried turned the demo's "Unlock the doors." into "I mock
            // the doors" (the end-to-end tests hear both), and sentences made Whisper repeat.
            prompt: "Car voice commands: open the passenger window, close the sunroof, set the temperature \
                     to 21 degrees, seat heating, seat cooling, fan speed, air conditioning, recirculation, \
                     defrost, wipers, low beams, hazard lights, fog lights, ambient light, volume, next song, \
                     unlock the doors, open the trunk."
                .into(),
            no_speech_threshold: 0.6,
            audio_context: AudioContext::Trimmed {
                margin: AUDIO_CONTEXT_MARGIN,
                minimum: MIN_COMMAND_AUDIO_CONTEXT,
            },
            long_form: false,
        }
    }

    /// For long recordings: the full window, timed segments, no prompt.
    pub fn for_long_audio(threads: usize) -> TranscriberConfig {
        TranscriberConfig {
            threads,
            prompt: String::new(),
            no_speech_threshold: 0.6,
            audio_context: AudioContext::Full,
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
        let path = model
            .to_str()
            .ok_or_else(|| whisper_error("the path is not UTF-8".into()))?;
        let context = WhisperContext::new_with_params(path, WhisperContextParameters::default())
            .map_err(|e| {
                TranscribeError::Model(ModelError::Damaged {
                    path: model.to_owned(),
                    reason: format!("whisper.cpp cannot load it: {e}"),
                })
            })?;
        let state = context
            .create_state()
            .map_err(|e| whisper_error(e.to_string()))?;
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
                empty_because: Some(
                    if rms < SILENCE_RMS {
                        "silence"
                    } else {
                        "too short for speech"
                    }
                    .into(),
                ),
                audio_seconds,
                audio_context: 0,
                whisper_ms: 0.0,
            });
        }
        if voiced_frames(samples, VOICE_SCORE) < MIN_VOICED_FRAMES {
            return Ok(Transcript {
                text: String::new(),
                no_speech_probability: 1.0,
                empty_because: Some("no voice in it".into()),
                audio_seconds,
                audio_context: 0,
                whisper_ms: 0.0,
            });
        }
        let audio_context = match self.config.audio_context {
            AudioContext::Full => FULL_AUDIO_CONTEXT,
            AudioContext::Trimmed { margin, minimum } => {
                (samples.len().div_ceil(SAMPLES_PER_AUDIO_POSITION) + margin)
                    .max(minimum)
                    .min(FULL_AUDIO_CONTEXT)
            }
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
            // About three words a second is fast speech; a decode far beyond that is a loop.
            let limit = (audio_seconds * TOKENS_PER_SECOND) as i32 + 8;
            params.set_max_tokens(limit.min(MAX_COMMAND_TOKENS));
        }

        let started = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state
            .full(params, samples)
            .map_err(|e| TranscribeError::Whisper {
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
        let text = if self.config.long_form {
            clean(&text)
        } else {
            collapse_repetition(&clean(&text))
        };
        let empty_because = if !text.chars().any(char::is_alphanumeric) {
            Some("no words".to_owned())
        } else if no_speech_probability > self.config.no_speech_threshold {
            Some(format!(
                "no speech (probability {no_speech_probability:.2})"
            ))
        } else if no_speech_probability > 0.1 && is_hallucination(&text) {
            Some(format!("{text:?} is what Whisper says to noise"))
        } else {
            None
        };
        Ok(Transcript {
            text: if empty_because.is_some() {
                String::new()
            } else {
                text
            },
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

/// A command decoded over a trimmed window sometimes ends in a loop: its last phrase said
/// over and over ("To leave the conference, leave the conference, leave the con"), because
/// the decoder does not see where the audio ends. Whatever comes before the loop is kept, and
/// the looping phrase once. Written here because whisper.cpp's own guard against loops (its
/// entropy threshold) only acts with temperature fallback, which commands run without.
///
/// Cutting one loop can reveal another: a sentence said twice and then a third time until the
/// budget ran out loses the third round first, so this repeats until nothing changes.
pub fn collapse_repetition(text: &str) -> String {
    let mut text = text.to_owned();
    loop {
        let collapsed = collapse_one_loop(&text);
        if collapsed == text {
            return text;
        }
        text = collapsed;
    }
}

fn collapse_one_loop(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    // A round is compared by its letters, not word by word: the decoder may split a word
    // differently the second time ("Login and correct, mailbox. Log in and correct, mailbox.").
    let keys: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .collect();
    let n = keys.len();
    for start in 0..n {
        // Periods beyond half of what is left fit only one whole round: a restart at most.
        for period in 1..(n - start) {
            let pattern = keys[start..start + period].concat();
            if pattern.is_empty() {
                continue;
            }
            // Whole rounds of the phrase from `start`, then what is left of the decode.
            let mut rounds = 1;
            let mut rest = start + period;
            while let Some(end) = whole_round(&keys, rest, &pattern) {
                rounds += 1;
                rest = end;
            }
            let left = keys[rest..].concat();
            // Cut off wherever its budget ends, the last round may stop in a word...
            let cut_short = pattern.starts_with(&left);
            // ...or, after three rounds, stumble ("…, defrost, defrost"): still a loop.
            let stumbled = rounds >= 3 && n - rest < period;
            // A whole phrase and then most of it again, up to where the budget ran out, is a
            // loop cut short in its second round ("turn on the seat heating for the rear left
            // seat, turn on the seat heating for the rear"); a few words again are not.
            let restarted = rounds == 1 && cut_short && n - rest >= 4 && 2 * (n - rest) >= period;
            if (rounds >= 2 && (cut_short || stumbled)) || restarted {
                let kept = words[..start + period].join(" ");
                return kept.trim_end_matches(',').to_owned();
            }
        }
    }
    text.to_owned()
}

/// Where a whole round of `pattern` starting at word `from` ends, if the words from there
/// spell it out exactly.
fn whole_round(keys: &[String], from: usize, pattern: &str) -> Option<usize> {
    let mut spelled = 0;
    for (i, key) in keys.iter().enumerate().skip(from) {
        if !pattern[spelled..].starts_with(key.as_str()) {
            return None;
        }
        spelled += key.len();
        if spelled == pattern.len() && !key.is_empty() {
            return Some(i + 1);
        }
    }
    None
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
        assert_eq!(
            clean(" (engine revving) Open the window. ♪"),
            "Open the window."
        );
        assert_eq!(clean("Set it to 21  degrees"), "Set it to 21 degrees");
    }

    #[test]
    fn decoding_loops_are_cut_to_one_round() {
        assert_eq!(
            collapse_repetition("activated, activated, activated, activ"),
            "activated"
        );
        assert_eq!(
            collapse_repetition("To leave the conference, leave the conference, leave the con"),
            "To leave the conference"
        );
        assert_eq!(
            collapse_repetition("Agent logged in. Agent logged in."),
            "Agent logged in."
        );
        assert_eq!(
            collapse_repetition("Open the window halfway"),
            "Open the window halfway"
        );
        assert_eq!(
            collapse_repetition("close it, close it all"),
            "close it, close it all"
        );
        assert_eq!(
            collapse_repetition(
                "defrost the windshield, defrost the windshield, defrost the windshield, defrost, defrost"
            ),
            "defrost the windshield"
        );
        assert_eq!(
            collapse_repetition("open the sunrof, open the sunrof, open the sunrof,"),
            "open the sunrof"
        );
        // Heard on the CI machine from the Piper voice: a loop cut short in its second round.
        assert_eq!(
            collapse_repetition(
                "Turn on the seat, heating for the rear left seat, turn on the seat, heating for the rear"
            ),
            "Turn on the seat, heating for the rear left seat"
        );
        assert_eq!(
            collapse_repetition("open the window and close the door and close the"),
            "open the window and close the door and close the"
        );
        // Heard from Asterisk's recorded prompts over a trimmed window: the whole sentence
        // again, then a third round cut short, and a two-word phrase whose loop narrowed to one.
        assert_eq!(
            collapse_repetition(
                "Press 1 to enter an extension. Press 2 to use the directory. Press 1 to enter an \
                 extension. Press 2 to use the directory. Press 2 to use the"
            ),
            "Press 1 to enter an extension. Press 2 to use the directory."
        );
        assert_eq!(
            collapse_repetition(
                "telephone number, telephone number, telephone, telephone, telephone, telephone"
            ),
            "telephone number"
        );
        assert_eq!(
            collapse_repetition("Login and correct, mailbox. Log in and correct, mailbox."),
            "Login and correct, mailbox."
        );
        assert_eq!(
            collapse_repetition("open the window, open the window halfway"),
            "open the window, open the window halfway"
        );
    }

    #[test]
    fn known_inventions_are_recognised() {
        assert!(is_hallucination(" Thank you for watching!"));
        assert!(is_hallucination("you"));
        assert!(!is_hallucination("Thank you for opening the window"));
    }
}
