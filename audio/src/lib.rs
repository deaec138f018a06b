//! cockpit's ears and voice: audio files, capture, endpointing, Whisper transcription,
//! playback and speech synthesis.
#![deny(missing_docs)]

pub mod convert;
pub mod file;
pub mod models;
pub mod whisper;
