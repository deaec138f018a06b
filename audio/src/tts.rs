//! Spoken replies: a Piper voice run with ONNX Runtime, its phonemes from espeak-ng; plain
//! espeak-ng when the voice is not there.
//!
//! Piper voices read espeak-ng's IPA phonemes, mapped to ids by the voice's
//! `phoneme_id_map`, with the clause's punctuation kept as phonemes of their own (it shapes
//! the intonation). espeak-ng is run as a program (Debian's `espeak-ng`): one process per
//! reply, with one clause per line, so that each output line is one clause whose punctuation
//! is put back from the text.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;

use crate::onnx::{self, OnnxError};

/// Silence between sentences, in seconds.
const SENTENCE_PAUSE: f32 = 0.15;

/// Synthesized speech.
#[derive(Clone, Debug, PartialEq)]
pub struct Speech {
    /// Mono samples in [-1, 1].
    pub samples: Vec<f32>,
    /// Their rate.
    pub sample_rate: u32,
    /// Which voice spoke: "piper:joe" or "espeak-ng".
    pub voice: String,
    /// Milliseconds synthesis took.
    pub synthesis_ms: f64,
}

/// Why nothing could be said.
#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    /// espeak-ng, needed for phonemes and as the fallback voice, is not installed.
    #[error("espeak-ng is not installed (apt install espeak-ng, which scripts/setup.sh does): {0}")]
    NoEspeak(String),
    /// The voice's configuration is unreadable.
    #[error("voice configuration {path}: {message}; run scripts/setup.sh to fetch the voice again")]
    BadVoice {
        /// The `.onnx.json` file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// ONNX Runtime failed.
    #[error(transparent)]
    Onnx(#[from] OnnxError),
    /// espeak-ng failed.
    #[error("espeak-ng failed: {0}")]
    Espeak(String),
}

#[derive(Deserialize)]
struct VoiceFile {
    audio: AudioFile,
    espeak: EspeakFile,
    inference: InferenceFile,
    phoneme_id_map: HashMap<String, Vec<i64>>,
}

#[derive(Deserialize)]
struct AudioFile {
    sample_rate: u32,
}

#[derive(Deserialize)]
struct EspeakFile {
    voice: String,
}

#[derive(Deserialize)]
struct InferenceFile {
    noise_scale: f32,
    length_scale: f32,
    noise_w: f32,
}

/// A Piper voice.
pub struct PiperVoice {
    model: PathBuf,
    session: Mutex<Session>,
    sample_rate: u32,
    espeak_voice: String,
    scales: [f32; 3],
    ids: HashMap<char, Vec<i64>>,
}

impl PiperVoice {
    /// Loads a voice: `model` is the `.onnx`, its `.onnx.json` sits beside it.
    pub fn load(model: &Path, threads: usize) -> Result<PiperVoice, TtsError> {
        let config_path = PathBuf::from(format!("{}.json", model.display()));
        let bad = |message: String| TtsError::BadVoice {
            path: config_path.clone(),
            message,
        };
        let text = std::fs::read_to_string(&config_path).map_err(|e| bad(e.to_string()))?;
        let file: VoiceFile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let mut ids = HashMap::new();
        for (symbol, id) in file.phoneme_id_map {
            let mut chars = symbol.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                ids.insert(c, id);
            }
        }
        for required in ['^', '$', '_'] {
            if !ids.contains_key(&required) {
                return Err(bad(format!("the phoneme map has no {required:?}")));
            }
        }
        let session = onnx::session(model, threads)?;
        Ok(PiperVoice {
            model: model.to_owned(),
            session: Mutex::new(session),
            sample_rate: file.audio.sample_rate,
            espeak_voice: file.espeak.voice,
            scales: [
                file.inference.noise_scale,
                file.inference.length_scale,
                file.inference.noise_w,
            ],
            ids,
        })
    }

    /// The same sound for the same text every time: Piper draws random noise into its pitch
    /// and timing (scaled by `noise_scale` and `noise_w`); with both at zero it speaks
    /// evenly, for tests and recorded prompts that must not change from run to run.
    pub fn steady(mut self) -> PiperVoice {
        self.scales[0] = 0.0;
        self.scales[2] = 0.0;
        self
    }

    /// The voice's output rate.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Phoneme ids for one sentence: begin, each phoneme followed by a pad, end.
    fn phoneme_ids(&self, phonemes: &str) -> Vec<i64> {
        let mut ids = Vec::with_capacity(phonemes.len() * 2 + 3);
        ids.extend(&self.ids[&'^']);
        ids.extend(&self.ids[&'_']);
        for c in phonemes.chars() {
            if let Some(id) = self.ids.get(&c) {
                ids.extend(id);
                ids.extend(&self.ids[&'_']);
            }
        }
        ids.extend(&self.ids[&'$']);
        ids
    }

    /// Speaks `text`.
    pub fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        let started = Instant::now();
        let mut samples = Vec::new();
        for sentence in phonemize(text, &self.espeak_voice)? {
            let ids = self.phoneme_ids(&sentence);
            let length = ids.len() as i64;
            let error = |e: ort::Error| {
                TtsError::Onnx(OnnxError::Session {
                    path: self.model.clone(),
                    message: e.to_string(),
                })
            };
            let input = Tensor::from_array(([1usize, ids.len()], ids)).map_err(error)?;
            let lengths = Tensor::from_array(([1usize], vec![length])).map_err(error)?;
            let scales = Tensor::from_array(([3usize], self.scales.to_vec())).map_err(error)?;
            let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
            let outputs = session
                .run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales])
                .map_err(error)?;
            let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(error)?;
            samples.extend_from_slice(audio);
            samples.extend(std::iter::repeat_n(
                0.0,
                (SENTENCE_PAUSE * self.sample_rate as f32) as usize,
            ));
        }
        normalize_peak(&mut samples);
        Ok(Speech {
            samples,
            sample_rate: self.sample_rate,
            voice: "piper:joe".into(),
            synthesis_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }
}

/// Scales to a peak of 0.9 so that every reply plays at the same level.
fn normalize_peak(samples: &mut [f32]) {
    let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
    if peak > 1e-4 {
        let gain = 0.9 / peak;
        samples.iter_mut().for_each(|s| *s *= gain);
    }
}

/// The text with the units a reply writes as symbols in words: espeak-ng reads "km/h" as
/// "K M slash H" and "°C" as "degrees C".
fn spoken_units(text: &str) -> String {
    const UNITS: &[(&str, &str)] = &[
        ("km/h", "kilometres per hour"),
        ("mph", "miles per hour"),
        ("km", "kilometres"),
        ("°C", "degrees"),
        ("°F", "degrees Fahrenheit"),
    ];
    text.split(' ')
        .map(|token| {
            // A unit may sit inside brackets or before a full stop: "(50 km/h).".
            let core = token
                .trim_start_matches('(')
                .trim_end_matches(['.', ',', ')', ';']);
            match UNITS.iter().find(|(unit, _)| *unit == core) {
                Some((unit, words)) => token.replacen(unit, words, 1),
                None => token.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits text into clauses with their closing punctuation: "Done, the window is open." →
/// [("Done", ','), ("the window is open", '.')]. A point or comma between digits ("21.5")
/// is part of the number.
fn clauses(text: &str) -> Vec<(String, char)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let in_number = matches!(c, '.' | ',')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if matches!(c, '.' | ',' | '!' | '?' | ';' | ':') && !in_number {
            if !current.trim().is_empty() {
                out.push((current.trim().to_owned(), c));
            }
            current.clear();
        } else if !c.is_control() {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        out.push((current.trim().to_owned(), '.'));
    }
    out
}

fn espeak_ipa(lines: &[String], voice: &str) -> Result<Vec<String>, TtsError> {
    let mut child = Command::new("espeak-ng")
        .args(["-q", "--ipa", "-v", voice, "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| TtsError::NoEspeak(e.to_string()))?;
    {
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| TtsError::Espeak("no stdin".into()))?;
        for line in lines {
            writeln!(stdin, "{line}").map_err(|e| TtsError::Espeak(e.to_string()))?;
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| TtsError::Espeak(e.to_string()))?;
    if !output.status.success() {
        return Err(TtsError::Espeak(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect())
}

/// The text as Piper sentences: IPA phonemes with their punctuation, a sentence ending at
/// each '.', '!' or '?'.
fn phonemize(text: &str, voice: &str) -> Result<Vec<String>, TtsError> {
    let clauses = clauses(&spoken_units(text));
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    let lines: Vec<String> = clauses
        .iter()
        .map(|(words, end)| format!("{words}{end}"))
        .collect();
    let mut phonemes = espeak_ipa(&lines, voice)?;
    if phonemes.len() != clauses.len() {
        // espeak-ng split or joined a clause its own way (an abbreviation, a long clause):
        // ask clause by clause so that the punctuation lands where it belongs.
        phonemes = Vec::with_capacity(clauses.len());
        for line in &lines {
            phonemes.push(espeak_ipa(std::slice::from_ref(line), voice)?.join(" "));
        }
    }
    let mut sentences = Vec::new();
    let mut sentence = String::new();
    for ((_, end), ipa) in clauses.iter().zip(phonemes) {
        if !sentence.is_empty() {
            sentence.push(' ');
        }
        sentence.push_str(&ipa);
        sentence.push(*end);
        if matches!(end, '.' | '!' | '?') {
            sentences.push(std::mem::take(&mut sentence));
        }
    }
    if !sentence.is_empty() {
        sentences.push(sentence);
    }
    Ok(sentences)
}

/// espeak-ng's own voice, for when the Piper voice is missing.
pub fn espeak_synthesize(text: &str) -> Result<Speech, TtsError> {
    let started = Instant::now();
    let output = Command::new("espeak-ng")
        .args(["-v", "en-us", "--stdout", "--", &spoken_units(text)])
        .output()
        .map_err(|e| TtsError::NoEspeak(e.to_string()))?;
    if !output.status.success() {
        return Err(TtsError::Espeak(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    // espeak-ng writes to a pipe, so its WAV header claims the largest possible length; the
    // samples end where the bytes do, at the first read error.
    let reader = hound::WavReader::new(std::io::Cursor::new(output.stdout))
        .map_err(|e| TtsError::Espeak(e.to_string()))?;
    let spec = reader.spec();
    let samples: Vec<f32> = reader
        .into_samples::<i16>()
        .map_while(Result::ok)
        .map(|s| f32::from(s) / 32768.0)
        .collect();
    Ok(Speech {
        samples,
        sample_rate: spec.sample_rate,
        voice: "espeak-ng".into(),
        synthesis_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// The voice cockpit speaks with: Piper when its model is there, espeak-ng otherwise.
pub enum Voice {
    /// The Piper voice.
    Piper(Box<PiperVoice>),
    /// espeak-ng.
    Espeak,
}

impl Voice {
    /// The Piper voice at `model`, or espeak-ng (with a warning) when it cannot be loaded.
    pub fn load_or_fallback(model: &Path, threads: usize) -> Voice {
        match PiperVoice::load(model, threads) {
            Ok(voice) => Voice::Piper(Box::new(voice)),
            Err(e) => {
                tracing::warn!("speaking with espeak-ng: {e}");
                Voice::Espeak
            }
        }
    }

    /// Speaks `text`.
    pub fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        match self {
            Voice::Piper(voice) => voice.synthesize(text),
            Voice::Espeak => espeak_synthesize(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_clauses_with_their_punctuation() {
        assert_eq!(
            clauses("Done, the window is open. Anything else?"),
            vec![
                ("Done".into(), ','),
                ("the window is open".into(), '.'),
                ("Anything else".into(), '?')
            ]
        );
        assert_eq!(
            clauses("no punctuation"),
            vec![("no punctuation".into(), '.')]
        );
        assert!(clauses("  ...  ").is_empty());
        // A decimal point is no full stop: "21.5" had been read as "21. 5".
        assert_eq!(
            clauses("It's now 21.5 °C, 1,000 m."),
            vec![("It's now 21.5 °C".into(), ','), ("1,000 m".into(), '.')]
        );
    }

    #[test]
    fn units_are_read_as_words() {
        assert_eq!(
            spoken_units("We're doing 31 mph (50 km/h)."),
            "We're doing 31 miles per hour (50 kilometres per hour)."
        );
        assert_eq!(
            spoken_units("It's 54 °F (12 °C) outside; about 312 km of range."),
            "It's 54 degrees Fahrenheit (12 degrees) outside; about 312 kilometres of range."
        );
        // Only whole units: "kmh" or "°Celsius" in other words are left as they are.
        assert_eq!(spoken_units("kmh okm 5 %"), "kmh okm 5 %");
    }
}
