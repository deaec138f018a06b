//! cockpit's ears and voice: audio files, capture, endpointing, Whisper transcription,
//! playback and speech synthesis.
#![deny(missing_docs)]

pub mod convert;
pub mod file;
pub mod models;
pub mod wer;
pub mod whisper;
pub mod onnx;
pub mod tts;
pub mod playback;
pub mod endpoint;
pub mod capture;
