//! The session journal: one JSON object per utterance, written as soon as the utterance is
//! finished with, so a crash loses at most the utterance in flight.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use vehicle::{Outcome, Seat, Value};

/// Milliseconds from the end of speech to each stage. The end of speech is where the voice
/// stopped, not where the endpointer noticed: `endpoint_ms` is the silence it waited for.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Timings {
    /// The endpointer decided the utterance was over.
    pub endpoint_ms: f64,
    /// Whisper's transcript was ready.
    pub transcript_ms: f64,
    /// The language model's plan was ready.
    pub plan_ms: Option<f64>,
    /// The first command frame was on the bus.
    pub first_frame_ms: Option<f64>,
    /// The car confirmed (or the agent gave up on) the last change.
    pub confirmed_ms: Option<f64>,
    /// The reply's first sound was ready to play.
    pub reply_audio_ms: Option<f64>,
    /// The reply had been spoken (or cut off).
    pub reply_done_ms: Option<f64>,
}

/// One utterance, from what was heard to what was said back.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Counts from 1 in a session.
    pub id: u64,
    /// Who spoke.
    pub seat: Seat,
    /// Seconds from the start of the session to the start and end of speech (audio time).
    pub speech_start_s: f64,
    /// See `speech_start_s`.
    pub speech_end_s: f64,
    /// Why the endpointer ended it: silence, complete (early), max_length, released,
    /// end_of_input; or typed, or asked_earlier (asked for a set time from now, and due).
    pub ended_by: String,
    /// What Whisper heard (empty for no speech).
    pub transcript: String,
    /// Whisper's probability that there was no speech.
    pub no_speech_probability: f32,
    /// Milliseconds Whisper worked on it (during the pause, when it ended early).
    pub whisper_ms: f64,
    /// The model's plan ("none" when it was not asked).
    pub plan: String,
    /// The model's confidence in it.
    pub confidence: f32,
    /// What cockpit answered.
    pub reply: String,
    /// Understood (not asked back, not out of scope).
    pub understood: bool,
    /// At least one change was refused.
    pub refused: bool,
    /// Every actuator whose reported value changed during the turn.
    pub changes: BTreeMap<String, Value>,
    /// What became of each requested change.
    pub outcomes: Vec<Outcome>,
    /// The command frames sent, as candump log lines.
    pub frames: Vec<String>,
    /// Stage by stage.
    pub timings: Timings,
    /// The reply was cut off by someone speaking.
    pub interrupted: bool,
    /// What went wrong, when a stage failed (the utterance is still journaled).
    pub error: Option<String>,
}

/// Why the journal could not be written.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot write the session journal {path}: {source} (check the folder exists and is writable)"
)]
pub struct JournalError {
    path: PathBuf,
    source: std::io::Error,
}

/// A JSON-lines file of [`Entry`]s.
pub struct Journal {
    path: PathBuf,
    out: BufWriter<File>,
}

impl Journal {
    /// Creates `path` (or appends to it: a session resumed after a crash keeps its history).
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let error = |source| JournalError {
            path: path.to_owned(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(error)?;
        Ok(Journal {
            path: path.to_owned(),
            out: BufWriter::new(file),
        })
    }

    /// Appends one entry and flushes it to the file.
    pub fn write(&mut self, entry: &Entry) -> Result<(), JournalError> {
        let error = |source| JournalError {
            path: self.path.clone(),
            source,
        };
        // Cannot fail: every field serializes (strings, numbers, maps with string keys).
        let line = serde_json::to_string(entry).map_err(|e| error(e.into()))?;
        writeln!(self.out, "{line}").map_err(error)?;
        self.out.flush().map_err(error)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64) -> Entry {
        Entry {
            id,
            seat: Seat::Driver,
            speech_start_s: 1.0,
            speech_end_s: 2.5,
            ended_by: "silence".into(),
            transcript: "open the window".into(),
            no_speech_probability: 0.01,
            whisper_ms: 250.0,
            plan: "set window my max".into(),
            confidence: 0.99,
            reply: "The window is now fully open.".into(),
            understood: true,
            refused: false,
            changes: BTreeMap::new(),
            outcomes: Vec::new(),
            frames: vec!["(1.000000) virtual 300#01".into()],
            timings: Timings::default(),
            interrupted: false,
            error: None,
        }
    }

    #[test]
    fn every_entry_is_a_line_on_disk_as_soon_as_it_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("journal.jsonl");
        let mut journal = Journal::open(&path).expect("journal");
        journal.write(&entry(1)).expect("write");
        // Read while the journal is still open: nothing waits in a buffer.
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 1);
        journal.write(&entry(2)).expect("write");
        drop(journal);
        let mut reopened = Journal::open(&path).expect("journal");
        reopened.write(&entry(3)).expect("write");
        let ids: Vec<u64> = std::fs::read_to_string(&path)
            .expect("read")
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("json")["id"]
                    .as_u64()
                    .expect("id")
            })
            .collect();
        assert_eq!(ids, [1, 2, 3]);
    }

    #[test]
    fn an_unwritable_journal_names_its_file() {
        let error = Journal::open(Path::new("/nonexistent/folder/journal.jsonl"))
            .err()
            .expect("an error");
        assert!(
            error
                .to_string()
                .contains("/nonexistent/folder/journal.jsonl")
        );
    }
}
