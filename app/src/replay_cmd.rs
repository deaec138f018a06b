//! `cockpit replay`: a recorded session on the bench. The CAN log plays the car (its status
//! frames set speed, gear and state over time), the audio plays the cabin, both on one clock;
//! what cockpit sends goes to a candump log instead of a car. The report folder gets the
//! journal, that log, and an HTML timeline readable offline.

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use audio::file::read_file;
use audio::models::{ModelDir, WhisperModel};
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::agent::Agent;
use cockpit_agent::lm::{Engine, Language, model_dir};
use cockpit_agent::pipeline::journal::{Entry, Journal};
use cockpit_agent::pipeline::{Config, Event, Parts, Pipeline, feed_samples};
use tokio::time::Instant;
use vehicle::transport::{LogTransport, LogWriter, Pacing};
use vehicle::{Actuator, CanTransport, Outcome, Seat, VehicleState};

use crate::car::load_car;
use crate::cli::{SessionReplayArgs, Speed};

/// The longest recording a replay takes.
const MAX_AUDIO: Duration = Duration::from_secs(3600);
/// How often the car's speed is sampled for the report.
const SAMPLE_EVERY: Duration = Duration::from_millis(500);

/// The four seats of a cabin microphone with one channel per seat, in the order `cockpit
/// demo --record` writes them.
const CABIN: [Seat; 4] = [
    Seat::Driver,
    Seat::Passenger,
    Seat::RearLeft,
    Seat::RearRight,
];

/// One recorded session: its audio and CAN log, and the folder for its report.
struct Session {
    audio: PathBuf,
    can: PathBuf,
    report: PathBuf,
}

/// What replaying a session gave.
struct Replayed {
    entries: Vec<Entry>,
    /// Malformed lines of the CAN log, skipped.
    skipped: usize,
    audio_s: f64,
    wall: std::time::Duration,
}

/// One session, `--audio` and `--can`: each utterance printed as it is decided.
pub async fn run(args: &SessionReplayArgs) -> Result<()> {
    let (Some(audio), Some(can)) = (&args.audio, &args.can) else {
        anyhow::bail!("name the recording with --audio and --can, or give session folders");
    };
    let session = Session {
        audio: audio.clone(),
        can: can.clone(),
        report: args.report.clone(),
    };
    let replayed = replay(&session, args, WHISPER_THREADS, |event| match event {
        Event::Finished(entry) => outln!(
            "{:7.1} s  [{}] {:?} → {} — {}",
            entry.speech_end_s,
            entry.seat,
            entry.transcript,
            entry.plan,
            entry.reply
        ),
        Event::Problem(problem) => eprintln!("warning: {problem}"),
        _ => {}
    })
    .await?;
    let entries = &replayed.entries;
    let frames: usize = entries.iter().map(|e| e.frames.len()).sum();
    outln!(
        "\n{} utterances, {} understood, {} with a refusal; {frames} command frames sent{}",
        entries.len(),
        entries.iter().filter(|e| e.understood).count(),
        entries.iter().filter(|e| e.refused).count(),
        if replayed.skipped > 0 {
            format!("; {} malformed log lines skipped", replayed.skipped)
        } else {
            String::new()
        }
    );
    outln!(
        "report: {} (journal.jsonl, sent.log, report.html)",
        args.report.display()
    );
    Ok(())
}

/// Whisper's threads for a single replay; a batch shares the cores out among its sessions.
const WHISPER_THREADS: usize = 2;

async fn replay(
    session: &Session,
    args: &SessionReplayArgs,
    whisper_threads: usize,
    mut on_event: impl FnMut(&Event),
) -> Result<Replayed> {
    let wall = std::time::Instant::now();
    let audio = read_file(&session.audio, MAX_AUDIO)?;
    let audio_s = audio.duration().as_secs_f64();
    let channels: Vec<Vec<f32>> = (0..usize::from(audio.channels))
        .map(|c| {
            audio::file::resample(
                &audio.channel(c),
                audio.sample_rate,
                audio::file::SPEECH_RATE,
            )
        })
        .collect();
    let seats = if !args.seats.is_empty() {
        args.seats.clone()
    } else if channels.len() == CABIN.len() {
        CABIN.to_vec()
    } else {
        vec![Seat::Driver; channels.len()]
    };
    std::fs::create_dir_all(&session.report).with_context(|| {
        format!(
            "cannot create the report folder {}",
            session.report.display()
        )
    })?;

    let car = Arc::new(load_car(&args.car)?);
    let pacing = match args.speed {
        Speed::Factor(f) => Pacing::Factor(f),
        // On the simulated clock "as recorded" takes no time, and keeps audio and log in step.
        Speed::Max => Pacing::Factor(1.0),
    };
    let sent_path = session.report.join("sent.log");
    let sent = File::create(&sent_path)
        .with_context(|| format!("cannot create {}", sent_path.display()))?;
    let log = LogTransport::open(&session.can, pacing, None)
        .with_context(|| format!("cannot open the CAN log {}", session.can.display()))?
        .record_to(LogWriter::new(Box::new(BufWriter::new(sent))), "cockpit");
    let log = Arc::new(log);
    let bus: Arc<dyn CanTransport> = log.clone();
    let state = VehicleState::spawn(car.clone(), bus.clone());
    let actuator = Arc::new(Actuator::new(car.clone(), bus, state.clone()));

    let models = ModelDir::locate();
    let transcriber = Arc::new(Transcriber::load(
        &models.whisper(WhisperModel::TinyEnQ8),
        TranscriberConfig::for_commands(whisper_threads),
    )?);
    let engine = Engine::load(&model_dir(), Language::reference(car.catalog())?, 1)?;
    let early = Engine::load(&model_dir(), Language::reference(car.catalog())?, 1)?;
    let journal_path = session.report.join("journal.jsonl");
    // A report is of one replay: start the journal afresh.
    let _ = std::fs::remove_file(&journal_path);
    let journal = Journal::open(&journal_path)?;
    let mut config = Config::new(seats.first().copied().unwrap_or(Seat::Driver));
    config.seats = seats;
    config.lossless = true;
    let mut pipeline = Pipeline::start(
        Parts {
            agent: Agent::new(engine, car.clone(), state.clone(), actuator),
            transcriber,
            voice: None,
            journal: Some(journal),
            early: Some(early),
        },
        config,
    );
    let input = pipeline.input();
    let start = Instant::now();
    let feeder = tokio::spawn(async move { feed_samples(&input, &channels, true).await });
    let speeds = Arc::new(std::sync::Mutex::new(Vec::<(f64, Option<f64>)>::new()));
    let speed_sampler = {
        let (state, speeds) = (state.clone(), speeds.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SAMPLE_EVERY);
            loop {
                tick.tick().await;
                let speed = state.value("Vehicle.Speed").and_then(|v| v.as_f64());
                speeds
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((start.elapsed().as_secs_f64(), speed));
            }
        })
    };
    let mut entries: Vec<Entry> = Vec::new();
    while let Some(event) = pipeline.next_event().await {
        on_event(&event);
        if let Event::Finished(entry) = event {
            entries.push(*entry);
        }
    }
    let _ = feeder.await;
    speed_sampler.abort();
    log.flush()
        .await
        .with_context(|| format!("cannot write {}", sent_path.display()))?;
    let skipped = log.skipped_lines().await;
    let speeds = speeds.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let html_path = session.report.join("report.html");
    std::fs::write(&html_path, report_html(session, &entries, &speeds))
        .with_context(|| format!("cannot write {}", html_path.display()))?;
    Ok(Replayed {
        entries,
        skipped,
        audio_s,
        wall: wall.elapsed(),
    })
}

/// Many sessions, `cockpit replay DIR...`: replayed side by side, each on its own thread with
/// its own runtime (and, at `--speed max`, its own simulated clock), a progress bar while they
/// run, then a table of every session and `summary.json` in the report folder.
pub fn batch(args: &SessionReplayArgs) -> Result<()> {
    let sessions = batch_sessions(args)?;
    let started = std::time::Instant::now();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = args.jobs.unwrap_or(cores).clamp(1, sessions.len());
    // Whisper is nearly all of a replay's work: share the cores out rather than have every
    // session's Whisper fight over all of them.
    let whisper_threads = (cores / jobs).max(1);
    let bar = indicatif::ProgressBar::new(sessions.len() as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} sessions, {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("0 utterances");
    let utterances = std::sync::atomic::AtomicUsize::new(0);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<Replayed>>>> =
        sessions.iter().map(|_| Default::default()).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(session) = sessions.get(i) else {
                        return;
                    };
                    let result =
                        session_runtime(args.speed).and_then(|runtime| {
                            runtime.block_on(replay(session, args, whisper_threads, |event| {
                                match event {
                                    Event::Finished(_) => {
                                        let n = utterances
                                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                        bar.set_message(format!("{} utterances", n + 1));
                                    }
                                    Event::Problem(problem) => bar.suspend(|| {
                                        eprintln!("warning: {}: {problem}", session.audio.display())
                                    }),
                                    _ => {}
                                }
                            }))
                        });
                    bar.inc(1);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    bar.finish_and_clear();

    let mut rows = Vec::new();
    let mut failed = 0;
    for (session, result) in sessions.iter().zip(results) {
        let result = result.into_inner().unwrap_or_else(|e| e.into_inner());
        match result {
            Some(Ok(replayed)) => rows.push(SummaryRow::new(session, &replayed)),
            Some(Err(e)) => {
                failed += 1;
                eprintln!("error: {}: {e:#}", session.report.display());
            }
            None => failed += 1,
        }
    }
    outln!("{}", summary_table(&rows, started.elapsed().as_secs_f64()));
    if args.speed == Speed::Max {
        outln!(
            "(at --speed max each session runs on a simulated clock: the latencies are not \
             real time; replay at --speed 1 to measure them)"
        );
    }
    let summary_path = args.report.join("summary.json");
    let json = serde_json::to_string_pretty(&rows)?;
    std::fs::write(&summary_path, json + "\n")
        .with_context(|| format!("cannot write {}", summary_path.display()))?;
    outln!(
        "sessions replayed: {}, {jobs} at a time; reports in {} (one folder each, summary.json)",
        rows.len(),
        args.report.display()
    );
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {} sessions could not be replayed",
            sessions.len()
        );
    }
    Ok(())
}

/// The runtime a session replays on: `--speed max` runs on a simulated clock that jumps ahead
/// whenever every task waits, and that clock is the runtime's own.
fn session_runtime(speed: Speed) -> Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_all();
    if speed == Speed::Max {
        builder.start_paused(true);
    }
    Ok(builder.build()?)
}

/// The sessions of a batch, checked before any is replayed: a missing recording is found at
/// once rather than after an hour of others.
fn batch_sessions(args: &SessionReplayArgs) -> Result<Vec<Session>> {
    let mut names = std::collections::BTreeSet::new();
    args.sessions
        .iter()
        .map(|dir| {
            let audio = ["audio.wav", "audio.flac"]
                .iter()
                .map(|name| dir.join(name))
                .find(|path| path.is_file())
                .with_context(|| {
                    format!(
                        "{} has no audio.wav or audio.flac: a session folder holds the cabin's \
                         audio and bus.log, as `cockpit demo --record DIR` and `cockpit run \
                         --record DIR` write them",
                        dir.display()
                    )
                })?;
            let can = dir.join("bus.log");
            anyhow::ensure!(
                can.is_file(),
                "{} has no bus.log (the car's CAN log, candump -l format)",
                dir.display()
            );
            // Report folders are named after the sessions', numbered where two share a name.
            let base = dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "session".to_owned());
            let mut name = base.clone();
            let mut n = 1;
            while !names.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            Ok(Session {
                audio,
                can,
                report: args.report.join(name),
            })
        })
        .collect()
}

/// One line of a batch's summary.
#[derive(serde::Serialize)]
struct SummaryRow {
    session: String,
    audio_s: f64,
    wall_s: f64,
    utterances: usize,
    understood: usize,
    refused: usize,
    frames_sent: usize,
    skipped_log_lines: usize,
    /// From the end of speech to the first command frame, over the utterances that sent one.
    first_frame_p50_ms: Option<f64>,
    first_frame_p95_ms: Option<f64>,
}

impl SummaryRow {
    fn new(session: &Session, replayed: &Replayed) -> SummaryRow {
        let entries = &replayed.entries;
        let mut first: Vec<f64> = entries
            .iter()
            .filter_map(|e| e.timings.first_frame_ms)
            .collect();
        first.sort_by(f64::total_cmp);
        let percentile = |p: f64| {
            (!first.is_empty()).then(|| first[((first.len() - 1) as f64 * p).round() as usize])
        };
        SummaryRow {
            session: session
                .report
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            audio_s: replayed.audio_s,
            wall_s: replayed.wall.as_secs_f64(),
            utterances: entries.len(),
            understood: entries.iter().filter(|e| e.understood).count(),
            refused: entries.iter().filter(|e| e.refused).count(),
            frames_sent: entries.iter().map(|e| e.frames.len()).sum(),
            skipped_log_lines: replayed.skipped,
            first_frame_p50_ms: percentile(0.5),
            first_frame_p95_ms: percentile(0.95),
        }
    }
}

fn summary_table(rows: &[SummaryRow], wall_s: f64) -> String {
    let ms = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0}"));
    let mut table = format!(
        "{:<24} {:>8} {:>8} {:>6} {:>10} {:>7} {:>6} {:>7} {:>7}",
        "session",
        "audio s",
        "wall s",
        "heard",
        "understood",
        "refused",
        "frames",
        "p50 ms",
        "p95 ms"
    );
    for r in rows {
        let _ = write!(
            table,
            "\n{:<24} {:>8.1} {:>8.1} {:>6} {:>10} {:>7} {:>6} {:>7} {:>7}",
            r.session,
            r.audio_s,
            r.wall_s,
            r.utterances,
            r.understood,
            r.refused,
            r.frames_sent,
            ms(r.first_frame_p50_ms),
            ms(r.first_frame_p95_ms)
        );
    }
    let _ = write!(
        table,
        "\n{:<24} {:>8.1} {:>8.1} {:>6} {:>10} {:>7} {:>6}   (p50/p95: end of speech to first frame)",
        "all",
        rows.iter().map(|r| r.audio_s).sum::<f64>(),
        wall_s,
        rows.iter().map(|r| r.utterances).sum::<usize>(),
        rows.iter().map(|r| r.understood).sum::<usize>(),
        rows.iter().map(|r| r.refused).sum::<usize>(),
        rows.iter().map(|r| r.frames_sent).sum::<usize>(),
    );
    table
}

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained page: the car's speed and the utterances on one time axis, the stage
/// timings of each utterance as stacked bars, and a table of everything.
fn report_html(session: &Session, entries: &[Entry], speeds: &[(f64, Option<f64>)]) -> String {
    let end = speeds
        .last()
        .map(|(t, _)| *t)
        .unwrap_or(0.0)
        .max(entries.iter().map(|e| e.speech_end_s).fold(0.0, f64::max))
        .max(1.0);
    let (width, height) = (1000.0, 160.0);
    let x = |t: f64| 40.0 + t / end * (width - 60.0);
    let top = speeds.iter().filter_map(|(_, s)| *s).fold(10.0, f64::max);
    let y = |v: f64| height - 20.0 - v / top * (height - 40.0);
    let mut timeline = String::new();
    let points: Vec<String> = speeds
        .iter()
        .filter_map(|(t, s)| s.map(|s| format!("{:.1},{:.1}", x(*t), y(s))))
        .collect();
    let _ = write!(
        timeline,
        "<svg viewBox='0 0 {width} {height}' width='100%'><text x='4' y='14' font-size='11'>\
         <tspan fill='#2a7'>speed, km/h (max {top:.0})</tspan> · utterances, numbered as below: \
         <tspan fill='#36c'>understood</tspan> · <tspan fill='#c90'>not for the car</tspan> · \
         <tspan fill='#c33'>refused</tspan></text>\
         <line x1='40' y1='{b}' x2='{r}' y2='{b}' stroke='#888'/>\
         <polyline fill='none' stroke='#2a7' stroke-width='2' points='{}'/>",
        points.join(" "),
        b = height - 20.0,
        r = width - 20.0,
    );
    for e in entries {
        let colour = if e.refused {
            "#c33"
        } else if !e.understood {
            "#c90"
        } else {
            "#36c"
        };
        let _ = write!(
            timeline,
            "<rect x='{:.1}' y='24' width='{:.1}' height='{}' fill='{colour}' opacity='0.35'><title>{}: {}</title></rect>\
             <text x='{:.1}' y='34' font-size='9' text-anchor='middle'>{}</text>",
            x(e.speech_start_s),
            (x(e.speech_end_s) - x(e.speech_start_s)).max(2.0),
            height - 44.0,
            e.id,
            esc(&e.transcript),
            (x(e.speech_start_s) + x(e.speech_end_s)) / 2.0,
            e.id
        );
    }
    let mut t = 0.0;
    while t <= end {
        let _ = write!(
            timeline,
            "<text x='{:.1}' y='{}' font-size='10' text-anchor='middle'>{t:.0} s</text>",
            x(t),
            height - 6.0
        );
        t += (end / 10.0).max(1.0).ceil();
    }
    timeline.push_str("</svg>");

    // Stacked latency bars: endpoint, Whisper, model, bus, in ms from the end of speech.
    let longest = entries
        .iter()
        .filter_map(|e| e.timings.first_frame_ms.or(e.timings.plan_ms))
        .fold(100.0, f64::max);
    let row = 18.0;
    let bars_height = 20.0 + row * entries.len() as f64;
    let mut bars = format!(
        "<svg viewBox='0 0 {width} {bars_height}' width='100%'><text x='4' y='12' font-size='11'>\
         from the end of speech (ms): <tspan fill='#999'>silence waited</tspan> · <tspan fill='#36c'>Whisper</tspan> · \
         <tspan fill='#c90'>model</tspan> · <tspan fill='#2a7'>policy and bus</tspan></text>"
    );
    // Room on the right for the longest bar's "NNN ms".
    let scale = (width - 180.0) / longest;
    for (i, e) in entries.iter().enumerate() {
        let yy = 20.0 + row * i as f64;
        let t = &e.timings;
        let whisper = e.whisper_ms;
        let plan = t.plan_ms.unwrap_or(t.transcript_ms);
        let frame = t.first_frame_ms.unwrap_or(plan);
        let wait = (t.transcript_ms - whisper).max(0.0);
        let parts = [
            ("#999", wait),
            ("#36c", whisper.min(t.transcript_ms)),
            ("#c90", plan - t.transcript_ms),
            ("#2a7", frame - plan),
        ];
        let mut left = 120.0;
        let _ = write!(
            bars,
            "<text x='4' y='{:.1}' font-size='10'>{} {}</text>",
            yy + 12.0,
            e.id,
            esc(&e.seat.to_string())
        );
        for (colour, ms) in parts {
            let w = (ms.max(0.0) * scale).max(0.0);
            let _ = write!(
                bars,
                "<rect x='{left:.1}' y='{yy:.1}' width='{w:.1}' height='{}' fill='{colour}'/>",
                row - 4.0
            );
            left += w;
        }
        let _ = write!(
            bars,
            "<text x='{:.1}' y='{:.1}' font-size='10'>{frame:.0} ms</text>",
            left + 4.0,
            yy + 12.0
        );
    }
    bars.push_str("</svg>");

    let mut table = String::from(
        "<table><tr><th>#</th><th>time</th><th>seat</th><th>heard</th><th>plan</th><th>reply</th><th>outcomes</th><th>frames</th><th>to frame</th></tr>",
    );
    for e in entries {
        let outcomes: Vec<String> = e
            .outcomes
            .iter()
            .map(|o| {
                let what = match o {
                    Outcome::Confirmed { .. } => "confirmed",
                    Outcome::Clamped { .. } => "clamped",
                    Outcome::Refused { .. } => "refused",
                    Outcome::Superseded { stopped: true, .. } => "stopped",
                    Outcome::Superseded { .. } => "replaced",
                    Outcome::NotConfirmed { .. } => "not confirmed",
                    Outcome::Failed { .. } => "failed",
                };
                format!("{} {what}", esc(o.path()))
            })
            .collect();
        let _ = write!(
            table,
            "<tr><td>{}</td><td>{:.1} s</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            e.id,
            e.speech_end_s,
            esc(&e.seat.to_string()),
            esc(&e.transcript),
            esc(&e.plan),
            esc(&e.reply),
            outcomes.join("<br>"),
            e.frames
                .iter()
                .map(|f| esc(f))
                .collect::<Vec<_>>()
                .join("<br>"),
            e.timings
                .first_frame_ms
                .map(|ms| format!("{ms:.0} ms"))
                .unwrap_or_default()
        );
    }
    table.push_str("</table>");
    format!(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>cockpit replay</title>\
         <style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse;font-size:13px}}\
         td,th{{border:1px solid #ccc;padding:3px 6px;vertical-align:top}}code{{font-size:12px}}</style></head><body>\
         <h1>cockpit replay</h1><p>audio <code>{}</code>, CAN log <code>{}</code>: {} utterances</p>\
         <h2>Timeline</h2>{timeline}<h2>Latency</h2>{bars}<h2>Utterances</h2>{table}</body></html>",
        esc(&session.audio.display().to_string()),
        esc(&session.can.display().to_string()),
        entries.len()
    )
}
