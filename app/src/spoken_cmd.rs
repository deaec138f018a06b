//! `cockpit spoken`: labelled requests spoken by a voice and heard back by Whisper, so that
//! the intent check (`check_intent.py`) measures the agent on what it would hear in the car
//! rather than on typed text. Whisper's mistakes on car words ("pass in your side" for
//! "passenger side") are invisible to the typed check.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use audio::file::{SPEECH_RATE, resample};
use audio::models::{ModelDir, WhisperModel};
use audio::noise::{cabin_noise, mix_at_snr};
use audio::tts::{PiperVoice, espeak_synthesize};
use audio::wer::{edit_distance, normalize};
use audio::whisper::{Transcriber, TranscriberConfig};
use serde_json::Value;

use crate::cli::{SpokenArgs, SpokenVoice};
use crate::voice_demo::percentile;

pub fn run(args: &SpokenArgs) -> Result<()> {
    let Some(model) = WhisperModel::from_name(&args.model) else {
        bail!(
            "no Whisper model {:?}: use tiny.en, tiny.en-f16 or base",
            args.model
        );
    };
    if args.varied && matches!(args.voice, SpokenVoice::Espeak) {
        bail!("--varied is Piper's random pitch and timing; espeak-ng has none");
    }
    let cases = read_cases(args)?;
    let models = ModelDir::locate();
    // Unless asked for variety, the voice without its random pitch and timing: a second run
    // measures the same speech.
    let piper = match args.voice {
        SpokenVoice::Piper => {
            let voice = PiperVoice::load(&models.piper_voice(), args.threads)?;
            Some(if args.varied { voice } else { voice.steady() })
        }
        SpokenVoice::Espeak => None,
    };
    let mut config = TranscriberConfig::for_commands(args.threads);
    if let Some(prompt) = &args.prompt {
        config.prompt = prompt.clone();
    }
    let transcriber = Transcriber::load(&models.whisper(model), config)?;

    let output = File::create(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let mut output = BufWriter::new(output);
    let bar = indicatif::ProgressBar::new(cases.len() as u64).with_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} heard")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    // The same words are spoken and heard once, however many cases hold them.
    let mut heard_before: HashMap<String, String> = HashMap::new();
    let (mut word_errors, mut words, mut heard_exactly) = (0, 0, 0);
    let mut whisper_ms = Vec::new();
    let started = Instant::now();
    for (seed, (line, mut case)) in cases.into_iter().enumerate() {
        bar.inc(1);
        let Some(said) = case
            .get("utterance")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            bail!(
                "{} line {line}: no \"utterance\" string",
                args.cases.display()
            );
        };
        let heard = match heard_before.get(&said) {
            Some(heard) => heard.clone(),
            None => {
                let speech = match &piper {
                    Some(voice) => voice.synthesize(&said)?,
                    None => espeak_synthesize(&said)?,
                };
                let mut samples = resample(&speech.samples, speech.sample_rate, SPEECH_RATE);
                if let Some(snr) = args.noise_db {
                    let noise = cabin_noise(samples.len(), 1 + seed as u64);
                    samples = mix_at_snr(&samples, &noise, snr);
                }
                let transcript = transcriber.transcribe(&samples)?;
                whisper_ms.push(transcript.whisper_ms);
                let reference = normalize(&said);
                let errors = edit_distance(&reference, &normalize(&transcript.text));
                word_errors += errors;
                words += reference.len();
                heard_exactly += usize::from(errors == 0);
                if errors > 0 {
                    tracing::info!("{said:?} heard as {:?}", transcript.text);
                }
                heard_before.insert(said.clone(), transcript.text.clone());
                transcript.text
            }
        };
        case.insert("said".into(), Value::String(said));
        case.insert("utterance".into(), Value::String(heard));
        writeln!(output, "{}", Value::Object(case))?;
    }
    output.flush()?;
    bar.finish_and_clear();

    whisper_ms.sort_by(f64::total_cmp);
    let distinct = whisper_ms.len();
    eprintln!(
        "{distinct} distinct requests spoken by {} {} and heard by Whisper {}: WER {:.1} %, \
         {heard_exactly} heard word for word ({:.1} %); Whisper p50 {:.0} ms, p95 {:.0} ms; \
         {:.0} s in all; wrote {}",
        match args.voice {
            SpokenVoice::Piper if args.varied => "Piper (joe, varied)",
            SpokenVoice::Piper => "Piper (joe, steady)",
            SpokenVoice::Espeak => "espeak-ng",
        },
        match args.noise_db {
            Some(snr) => format!("in cabin noise at {snr} dB SNR"),
            None => "in a quiet cabin".to_owned(),
        },
        args.model,
        100.0 * word_errors as f64 / words.max(1) as f64,
        100.0 * heard_exactly as f64 / distinct.max(1) as f64,
        percentile(&whisper_ms, 0.5).unwrap_or(0.0),
        percentile(&whisper_ms, 0.95).unwrap_or(0.0),
        started.elapsed().as_secs_f64(),
        args.output.display(),
    );
    Ok(())
}

/// The cases with their line numbers, each a JSON object.
fn read_cases(args: &SpokenArgs) -> Result<Vec<(usize, serde_json::Map<String, Value>)>> {
    let file = File::open(&args.cases).with_context(|| {
        format!(
            "cannot read {}: give a file of labelled requests, one JSON object per line \
             (as tests/data/eval/public-cases.jsonl)",
            args.cases.display()
        )
    })?;
    let mut cases = Vec::new();
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", args.cases.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(case)) => cases.push((index + 1, case)),
            _ => bail!(
                "{} line {}: not a JSON object; each line must be one labelled request",
                args.cases.display(),
                index + 1
            ),
        }
    }
    let every = args.every.max(1);
    let mut cases: Vec<_> = cases
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % every == args.offset % every)
        .map(|(_, case)| case)
        .collect();
    if let Some(limit) = args.limit {
        cases.truncate(limit);
    }
    Ok(cases)
}
