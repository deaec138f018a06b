//! `cockpit transcribe` and `cockpit models convert`.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use audio::convert::{Quantization, convert as convert_model};
use audio::file::{read_file, to_speech_rate};
use audio::models::{ModelDir, WhisperModel};
use audio::whisper::{Transcriber, TranscriberConfig};

use crate::cli::{ConvertArgs, TranscribeArgs};

/// The longest recording `transcribe` takes.
const MAX_RECORDING: Duration = Duration::from_secs(600);

pub fn transcribe(args: &TranscribeArgs) -> Result<()> {
    let Some(model) = WhisperModel::from_name(&args.model) else {
        bail!("no Whisper model {:?}: use tiny.en, tiny.en-f16 or base", args.model);
    };
    let path = ModelDir::locate().whisper(model);
    let config = if args.command {
        TranscriberConfig::for_commands(args.threads)
    } else {
        TranscriberConfig::for_long_audio(args.threads)
    };
    let audio = read_file(&args.file, MAX_RECORDING)?;
    let samples = to_speech_rate(&audio);
    let transcriber = Transcriber::load(&path, config)?;
    let transcript = transcriber.transcribe(&samples)?;
    if args.json {
        outln!("{}", serde_json::to_string(&transcript)?);
    } else if transcript.text.is_empty() {
        outln!("(nothing: {})", transcript.empty_because.as_deref().unwrap_or("no speech"));
    } else {
        outln!("{}", transcript.text);
    }
    Ok(())
}

pub fn convert(args: &ConvertArgs) -> Result<()> {
    let quantization = if args.q8_0 { Quantization::Q8_0 } else { Quantization::F16 };
    if let Some(parent) = args.to.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let report = convert_model(&args.from, &args.to, quantization)?;
    eprintln!(
        "wrote {} ({:.1} MB): {} tensors, {} + {} layers of width {}, {} tokens",
        args.to.display(),
        report.bytes as f64 / 1e6,
        report.tensors,
        report.layers.0,
        report.layers.1,
        report.n_state,
        report.n_vocab
    );
    Ok(())
}
