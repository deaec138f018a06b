//! `cockpit listen`: a recording through the whole pipeline (endpointer, Whisper, the
//! language model, the policy, the simulated car's bus, the reply), one result per utterance.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use audio::file::{read_file, to_speech_rate};
use audio::models::{ModelDir, WhisperModel};
use audio::tts::Voice;
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::lm::{Engine, Language, model_dir};
use cockpit_agent::pipeline::journal::{Entry, Journal};
use cockpit_agent::pipeline::{Config, Event, Parts, Pipeline, feed_samples};

use vehicle::reference;

use crate::cli::ListenArgs;
use crate::say_cmd::simulated_agent;

/// The longest recording `listen` takes.
const MAX_RECORDING: Duration = Duration::from_secs(600);

pub async fn run(args: &ListenArgs) -> Result<()> {
    let Some(model) = WhisperModel::from_name(&args.whisper) else {
        bail!(
            "no Whisper model {:?}: use tiny.en, tiny.en-f16 or base",
            args.whisper
        );
    };
    let audio = read_file(&args.file, MAX_RECORDING)?;
    let samples = to_speech_rate(&audio);
    let models = ModelDir::locate();
    let transcriber = Arc::new(Transcriber::load(
        &models.whisper(model),
        TranscriberConfig::for_commands(args.threads),
    )?);
    let voice = args
        .speak
        .then(|| Voice::load_or_fallback(&models.piper_voice(), args.threads));
    let journal = args.journal.as_deref().map(Journal::open).transpose()?;
    let (agent, _sim) = simulated_agent(args.speed, args.gear, args.model.as_deref()).await?;
    let early = Engine::load(
        &args.model.clone().unwrap_or_else(model_dir),
        Language::reference(&reference::catalog())?,
        1,
    )?;

    let mut config = Config::new(args.seat);
    config.lossless = true;
    config.speak = args.speak;
    let mut pipeline = Pipeline::start(
        Parts {
            agent,
            transcriber,
            voice,
            journal,
            early: Some(early),
        },
        config,
    );
    let input = pipeline.input();
    let realtime = args.realtime;
    let feeder = tokio::spawn(async move { feed_samples(&input, &[samples], realtime).await });
    let mut finished = 0;
    while let Some(event) = pipeline.next_event().await {
        match event {
            Event::Finished(entry) => {
                finished += 1;
                if args.json {
                    outln!("{}", serde_json::to_string(&entry)?);
                } else {
                    print_entry(&entry);
                }
            }
            Event::Problem(problem) => eprintln!("warning: {problem}"),
            _ => {}
        }
    }
    let _ = feeder.await;
    if finished == 0 {
        bail!(
            "no speech found in {}: is it a recording of someone speaking, loud enough?",
            args.file.display()
        );
    }
    Ok(())
}

fn print_entry(entry: &Entry) {
    let t = &entry.timings;
    if entry.transcript.is_empty() {
        outln!(
            "{:6.2} s  [{}] (no speech{})",
            entry.speech_end_s,
            entry.seat,
            entry
                .error
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        );
        return;
    }
    outln!(
        "{:6.2} s  [{}] heard: {}",
        entry.speech_end_s,
        entry.seat,
        entry.transcript
    );
    outln!(
        "          plan: {} (confidence {:.2})",
        entry.plan,
        entry.confidence
    );
    for (path, value) in &entry.changes {
        outln!("          {path} = {value}");
    }
    outln!("          cockpit: {}", entry.reply);
    let stage = |name: &str, ms: Option<f64>| ms.map(|ms| format!(", {name} {ms:.0} ms"));
    outln!(
        "          from the end of speech: endpoint {:.0} ms, transcript {:.0} ms{}{}{}{}",
        t.endpoint_ms,
        t.transcript_ms,
        stage("plan", t.plan_ms).unwrap_or_default(),
        stage("first frame", t.first_frame_ms).unwrap_or_default(),
        stage("confirmed", t.confirmed_ms).unwrap_or_default(),
        stage("reply audio", t.reply_audio_ms).unwrap_or_default(),
    );
}
