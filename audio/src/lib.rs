//! cockpit's ears and voice: audio files, capture, endpointing, Whisper transcription,
//! playback and speech synthesis.
#![deny(missing_docs)]

mod alsa_log;
pub mod capture;
pub mod convert;
pub mod endpoint;
pub mod file;
pub mod models;
pub mod noise;
pub mod onnx;
pub mod playback;
pub mod tts;
pub mod wer;
pub mod whisper;
