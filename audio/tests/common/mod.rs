//! Recordings with known transcripts, shared by the speech tests and the speech benchmark.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use audio::file::{read_file, to_speech_rate};
use audio::models::{ModelDir, WhisperModel};

/// What JFK says in whisper.cpp's `jfk.wav`.
pub const JFK: &str = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";

/// The model folder of the test set-up.
pub fn models() -> ModelDir {
    let dir = ModelDir::locate();
    assert!(
        dir.whisper(WhisperModel::TinyEnQ8).exists(),
        "the models are missing from {}: run ./scripts/test.sh (or scripts/setup.sh --test) once",
        dir.root().display()
    );
    dir
}

/// `jfk.wav` at 16 kHz.
pub fn jfk() -> Vec<f32> {
    let path = models().root().join("test-audio/jfk.wav");
    to_speech_rate(&read_file(&path, Duration::from_secs(60)).expect("jfk.wav reads"))
}

/// The recorded Asterisk prompts (Debian `asterisk-core-sounds-en-wav`, 8 kHz) with their
/// published transcripts: the first `n` spoken ones of at most 8 seconds, in file order.
pub fn recorded_prompts(n: usize) -> Vec<(String, String, Vec<f32>)> {
    let transcripts = std::process::Command::new("zcat")
        .arg("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
        .output()
        .expect("zcat runs");
    let text = String::from_utf8_lossy(&transcripts.stdout);
    assert!(
        !text.is_empty(),
        "the Asterisk transcripts are missing: run ./scripts/test.sh once"
    );
    let mut prompts = Vec::new();
    for line in text.lines() {
        let Some((name, words)) = line.split_once(": ") else {
            continue;
        };
        if words.starts_with('[') || name.contains('/') {
            continue;
        }
        let path = PathBuf::from(format!("/usr/share/asterisk/sounds/en/{name}.wav"));
        let Ok(audio) = read_file(&path, Duration::from_secs(60)) else {
            continue;
        };
        if audio.duration() > Duration::from_secs(8) {
            continue;
        }
        prompts.push((name.to_owned(), words.to_owned(), to_speech_rate(&audio)));
        if prompts.len() == n {
            break;
        }
    }
    prompts
}
