//! `cockpit demo`: the bundled voice session through the whole pipeline. The occupants'
//! recorded requests (cockpit's own voice, `assets/demo/voice/`) play into a four-channel cabin
//! microphone while the simulated car drives the demo drive; the endpointer, Whisper, the
//! language model, the policy and the bus do the rest, and a play-by-play ends in a summary of
//! what was heard, done and how fast.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use audio::file::{SPEECH_RATE, read_file, to_speech_rate, write_wav_channels};
use audio::models::{ModelDir, WhisperModel};
use audio::tts::Voice;
use audio::wer::word_error_rate;
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::agent::Agent;
use cockpit_agent::lm::{Engine, Language, model_dir};
use cockpit_agent::pipeline::journal::{Entry, Journal};
use cockpit_agent::pipeline::{Config, Event, Parts, Pipeline, feed_samples};
use serde::Deserialize;
use tokio::time::Instant;
use vehicle::{Actuator, Dynamics, Outcome, Seat, SimCar, VirtualBus, reference};

use crate::car::{load_drive, simulated_car_state};
use crate::cli::DemoArgs;
use crate::recorder::BusRecorder;
use crate::sim_cmd::situation_line;

/// The bundled session, relative to the repository (or installation) root.
const SESSION: &str = "assets/demo/session.toml";
/// The cabin microphone's channels, one per seat.
const SEATS: [Seat; 4] = [
    Seat::Driver,
    Seat::Passenger,
    Seat::RearLeft,
    Seat::RearRight,
];
/// How much of a voice the other seats' microphones pick up.
const CROSS_TALK: f32 = 0.3;
/// Road and fan noise on every channel (RMS).
const NOISE_RMS: f32 = 0.002;
/// Quiet after the last utterance, for its reply.
const TAIL: Duration = Duration::from_secs(4);
/// How often the driving situation is printed.
const STATUS_EVERY: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionFile {
    drive: String,
    utterance: Vec<Line>,
}

/// One thing said in the session.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    at: f64,
    seat: Seat,
    file: PathBuf,
    text: String,
}

/// A session ready to play: the drive, what is said, and the cabin microphone's channels.
struct Session {
    drive: String,
    lines: Vec<Line>,
    channels: Vec<Vec<f32>>,
}

/// The bundled session: beside the executable's folders or the current directory.
fn bundled_session() -> Result<PathBuf> {
    let starts = [std::env::current_exe().ok(), std::env::current_dir().ok()];
    for start in starts.into_iter().flatten() {
        for dir in start.ancestors() {
            let candidate = dir.join(SESSION);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!("cannot find {SESSION}: run cockpit from its repository, or give --session FILE")
}

fn load_session(path: &Path) -> Result<Session> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the demo session {}", path.display()))?;
    let file: SessionFile = toml::from_str(&text)
        .with_context(|| format!("demo session {} is malformed", path.display()))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut placed: Vec<(usize, Vec<f32>)> = Vec::new();
    let mut lines = file.utterance;
    lines.sort_by(|a, b| a.at.total_cmp(&b.at));
    for (n, line) in lines.iter().enumerate() {
        if !line.at.is_finite() || line.at < 0.0 {
            bail!(
                "demo session {}: utterance {}: `at` must be seconds from the start",
                path.display(),
                n + 1
            );
        }
        let audio = read_file(
            &folder.join("voice").join(&line.file),
            Duration::from_secs(30),
        )?;
        placed.push((
            (line.at * f64::from(SPEECH_RATE)) as usize,
            to_speech_rate(&audio),
        ));
    }
    let tail = TAIL.as_secs() as usize * SPEECH_RATE as usize;
    let length = placed.iter().map(|(at, s)| at + s.len()).max().unwrap_or(0) + tail;
    let mut channels = vec![vec![0.0f32; length]; SEATS.len()];
    // Deterministic noise (a linear congruential generator): the demo is the same every run,
    // and the project needs no random-number crate for it.
    let mut seed: u32 = 0x2545_f491;
    let scale = NOISE_RMS * 3.0f32.sqrt();
    for channel in &mut channels {
        for sample in channel.iter_mut() {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            *sample = (f32::from((seed >> 16) as u16) / 32768.0 - 1.0) * scale;
        }
    }
    for (line, (at, samples)) in lines.iter().zip(&placed) {
        for (seat, channel) in SEATS.iter().zip(&mut channels) {
            let gain = if *seat == line.seat { 1.0 } else { CROSS_TALK };
            for (out, s) in channel[*at..].iter_mut().zip(samples) {
                *out += s * gain;
            }
        }
    }
    Ok(Session {
        drive: file.drive,
        lines,
        channels,
    })
}

pub async fn run(args: &DemoArgs) -> Result<()> {
    let path = match &args.session {
        Some(path) => path.clone(),
        None => bundled_session()?,
    };
    let session = load_session(&path)?;
    let drive = load_drive(&session.drive)?;
    let models = ModelDir::locate();
    let transcriber = Arc::new(Transcriber::load(
        &models.whisper(WhisperModel::TinyEnQ8),
        TranscriberConfig::for_commands(2),
    )?);
    let voice = Voice::load_or_fallback(&models.piper_voice(), 1);
    let journal_path = match &args.record {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            write_wav_channels(&dir.join("audio.wav"), &session.channels, SPEECH_RATE)?;
            Some(dir.join("journal.jsonl"))
        }
        None => args.journal.clone(),
    };
    let journal = journal_path.as_deref().map(Journal::open).transpose()?;

    let car = Arc::new(reference::car_definition());
    let engine = Engine::load(&model_dir(), Language::reference(car.catalog())?, 1)?;
    let early = if args.no_early {
        None
    } else {
        Some(Engine::load(
            &model_dir(),
            Language::reference(car.catalog())?,
            1,
        )?)
    };
    let bus = VirtualBus::new("virtual");
    let sim = SimCar::spawn(
        car.clone(),
        Arc::new(bus.endpoint()),
        drive,
        Dynamics::reference(&car),
    );
    let recorder = match &args.record {
        Some(dir) => Some(BusRecorder::start(
            Arc::new(bus.endpoint()),
            &dir.join("bus.log"),
            "vcan0",
        )?),
        None => None,
    };
    let state = simulated_car_state(&car, Arc::new(bus.endpoint())).await?;
    let actuator = Arc::new(Actuator::new(
        car.clone(),
        Arc::new(bus.endpoint()),
        state.clone(),
    ));
    let agent = Agent::new(engine, car, state.clone(), actuator);

    let seconds = session.channels[0].len() as f64 / f64::from(SPEECH_RATE);
    outln!(
        "cockpit demo: {} things said over {seconds:.0} s of the {:?} drive, played into a four-seat cabin microphone{}",
        session.lines.len(),
        session.drive,
        if args.fast {
            ", faster than real time"
        } else {
            ""
        }
    );
    outln!(
        "what is heard goes through Whisper, the language model, the safety policy and the simulated car's CAN bus; a change counts when the car's status frames report it\n"
    );

    let mut config = Config::new(Seat::Driver);
    config.seats = SEATS.to_vec();
    // Faster than real time the audio outruns Whisper; nothing may be dropped for it.
    config.lossless = args.fast;
    config.speak = !args.fast;
    let mut pipeline = Pipeline::start(
        Parts {
            agent,
            transcriber,
            voice: Some(voice),
            journal,
            early,
        },
        config,
    );
    let input = pipeline.input();
    let channels = session.channels.clone();
    let start = Instant::now();
    let feeder = tokio::spawn(async move { feed_samples(&input, &channels, true).await });
    let mut status = tokio::time::interval(STATUS_EVERY);
    let mut entries: Vec<Entry> = Vec::new();
    let mut ctrl_c = crate::interrupt::ctrl_c();
    loop {
        tokio::select! {
            _ = &mut ctrl_c => { outln!("interrupted"); break }
            // On a simulated clock the seconds fly by while Whisper works: no ticker then.
            _ = status.tick(), if !args.fast => outln!("{}", situation_line(&state, start.elapsed())),
            event = pipeline.next_event() => match event {
                None => break,
                Some(event) => play_by_play(&event, start.elapsed(), &mut entries),
            },
        }
    }
    feeder.abort();
    let sim_stats = sim.stop().await;
    summary(&session.lines, &entries, args.fast);
    outln!(
        "  bus: {} command frames taken by the ECUs, {} dropped by their E2E checks",
        sim_stats.commands,
        sim_stats.bad_crc + sim_stats.repeated + sim_stats.out_of_sequence
    );
    if let Some(recorder) = recorder {
        let frames = recorder.finish().await?;
        if let Some(dir) = &args.record {
            outln!(
                "  recorded to {}: audio.wav, bus.log ({frames} frames), journal.jsonl",
                dir.display()
            );
        }
    } else if let Some(journal) = &journal_path {
        outln!("  journal: {}", journal.display());
    }
    Ok(())
}

fn play_by_play(event: &Event, now: Duration, entries: &mut Vec<Entry>) {
    let t = now.as_secs_f64();
    match event {
        Event::Heard { seat, text, .. } if !text.is_empty() => {
            outln!("{t:7.1} s  [{seat}] \"{text}\"");
        }
        Event::Answered { turn, .. } => {
            for outcome in &turn.outcomes {
                let mark = match outcome {
                    Outcome::Confirmed { .. } | Outcome::Clamped { .. } => "ok",
                    Outcome::Refused { .. } => "REFUSED",
                    Outcome::Superseded { stopped: true, .. } => "stopped",
                    Outcome::Superseded { .. } => "replaced",
                    _ => "FAILED",
                };
                outln!("{:>12}{mark:<8} {}", "", outcome.path());
            }
            if !turn.reply.is_empty() {
                outln!("{t:7.1} s  cockpit: {}", turn.reply);
            }
        }
        Event::Finished(entry) => {
            if let Some(ms) = entry.timings.first_frame_ms {
                outln!(
                    "{:>12}first command frame {ms:.0} ms after the end of speech (Whisper done at {:.0} ms)",
                    "",
                    entry.timings.transcript_ms
                );
            }
            entries.push((**entry).clone());
        }
        Event::Problem(problem) => outln!("{t:7.1} s  warning: {problem}"),
        _ => {}
    }
}

/// The value at fraction `p` of sorted `values`.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    sorted.get((last as f64 * p).round() as usize).copied()
}

fn summary(lines: &[Line], entries: &[Entry], fast: bool) {
    // Each utterance heard belongs to the line that was playing when its speech began.
    let line_of = |entry: &Entry| lines.iter().rfind(|l| l.at <= entry.speech_start_s + 0.5);
    let heard: Vec<&Entry> = entries
        .iter()
        .filter(|e| !e.transcript.is_empty())
        .collect();
    let reference: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let hypothesis: Vec<&str> = heard.iter().map(|e| e.transcript.as_str()).collect();
    let wer = word_error_rate(&reference.join(" "), &hypothesis.join(" "));
    let right_seat = heard
        .iter()
        .filter(|e| line_of(e).is_some_and(|l| l.seat == e.seat))
        .count();
    let outcomes: Vec<&Outcome> = heard.iter().flat_map(|e| &e.outcomes).collect();
    let done = outcomes.iter().filter(|o| o.is_done()).count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Refused { .. }))
        .count();
    outln!("\nsummary:");
    outln!(
        "  heard {} utterances of {} spoken; word error rate {:.1} %; seat told right {right_seat} of {}",
        heard.len(),
        lines.len(),
        wer * 100.0,
        heard.len()
    );
    outln!(
        "  {} changes asked: {done} confirmed by the car, {refused} refused by the policy, {} not confirmed",
        outcomes.len(),
        outcomes.len() - done - refused
    );
    if fast {
        // The audio outran the stages and waited in their queues: no latency to speak of.
        outln!("  latency: measured in real time only (run without --fast)");
        return;
    }
    let sorted = |f: &dyn Fn(&Entry) -> Option<f64>| {
        let mut v: Vec<f64> = heard.iter().filter_map(|e| f(e)).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let to_frame = sorted(&|e| e.timings.first_frame_ms);
    let to_reply = sorted(&|e| e.timings.reply_audio_ms);
    let show = |v: &[f64]| match (percentile(v, 0.5), percentile(v, 0.95)) {
        (Some(p50), Some(p95)) => format!("p50 {p50:.0} ms, p95 {p95:.0} ms over {}", v.len()),
        _ => "none".into(),
    };
    outln!(
        "  from the end of speech to the first command frame: {}",
        show(&to_frame)
    );
    outln!(
        "  from the end of speech to the reply's audio: {}",
        show(&to_reply)
    );
    // Where the time to the frame goes, averaged over utterances that sent one: Whisper and
    // the model at work, and the rest silence waited for (the early judgement's pause, or
    // the endpointer's full hangover when the words were not yet a complete request).
    let with_frame: Vec<&&Entry> = heard
        .iter()
        .filter(|e| e.timings.first_frame_ms.is_some())
        .collect();
    if !with_frame.is_empty() {
        let n = with_frame.len() as f64;
        let mean = |f: &dyn Fn(&Entry) -> f64| with_frame.iter().map(|e| f(e)).sum::<f64>() / n;
        let total = mean(&|e| e.timings.first_frame_ms.unwrap_or(0.0));
        let whisper = mean(&|e| e.whisper_ms);
        let plan = mean(&|e| e.timings.plan_ms.unwrap_or(0.0) - e.timings.transcript_ms);
        let bus =
            mean(&|e| e.timings.first_frame_ms.unwrap_or(0.0) - e.timings.plan_ms.unwrap_or(0.0));
        let wait = total - whisper - plan - bus;
        let early = with_frame
            .iter()
            .filter(|e| e.ended_by == "complete")
            .count();
        let share = |x: f64| 100.0 * x / total.max(f64::EPSILON);
        outln!(
            "  share of it: silence waited {wait:.0} ms ({:.0} %), Whisper {whisper:.0} ms ({:.0} %), language model {plan:.0} ms ({:.0} %), policy and bus {bus:.0} ms ({:.0} %); {early} of {} ended early as complete requests",
            share(wait),
            share(whisper),
            share(plan),
            share(bus),
            with_frame.len()
        );
    }
}
