//! `cockpit run`: live. The microphone (or typed requests, or a recording at the press of
//! Enter) through the pipeline to the car; the dashboard shows it when there is a display,
//! the terminal when not. Every utterance goes to a session journal.

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use audio::capture::{Backpressure, CaptureConfig, CaptureEvent, Microphone};
use audio::file::{read_file, to_speech_rate};
use audio::models::{ModelDir, WhisperModel};
use audio::tts::Voice;
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::agent::{Agent, ModelSource};
use cockpit_agent::lm::{Engine, Language, model_dir};
use cockpit_agent::pipeline::journal::Journal;
use cockpit_agent::pipeline::{Config, Event, Input, Parts, Pipeline, feed_audio};
use cockpit_agent::view::Panel;
use tokio::sync::mpsc;
use ui::{Dashboard, Options, Screen, SharedFocus};
use vehicle::{Actuator, Outcome, Seat};

use crate::car::{CarOnBus, load_car};
use crate::cli::{Bus, CarArgs, RunArgs};
use crate::recorder::{AudioTee, BusRecorder};
use crate::settings::{Settings, default_journal_dir};

/// The longest recording `--from-file` plays.
const MAX_RECORDING: Duration = Duration::from_secs(60);

pub fn run(args: &RunArgs) -> Result<()> {
    let settings = Settings::load(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let _inside = runtime.enter();

    let car = Arc::new(load_car(&CarArgs {
        dbc: settings.dbc.clone(),
        mapping: settings.map.clone(),
        catalog: settings.catalog.clone(),
    })?);
    let bus: Bus = settings.can.parse().map_err(anyhow::Error::msg)?;
    let CarOnBus {
        endpoints,
        state,
        missing,
        sim: _sim,
    } = runtime.block_on(CarOnBus::start(&car, &bus, &settings.drive))?;
    if !missing.is_empty() {
        eprintln!(
            "warning: the car has not reported {} yet; shown as unknown until it does",
            missing.join(", ")
        );
    }
    let actuator = Arc::new(Actuator::new(
        car.clone(),
        endpoints.endpoint()?,
        state.clone(),
    ));

    let Some(model) = WhisperModel::from_name(&settings.whisper) else {
        bail!(
            "no Whisper model {:?}: use tiny.en, tiny.en-f16 or base",
            settings.whisper
        );
    };
    let models = ModelDir::locate();
    let transcriber = Arc::new(Transcriber::load(
        &models.whisper(model),
        TranscriberConfig::for_commands(settings.threads),
    )?);
    // A language model that cannot be loaded takes the requests, not the session: the
    // dashboard, the car's state and hearing go on, and each request tries the file again.
    let language = Language::reference(car.catalog())?;
    let engine = Engine::load(&model_dir(), language.clone(), 1);
    let early = match &engine {
        Ok(_) => Engine::load(&model_dir(), language.clone(), 1).ok(),
        Err(e) => {
            eprintln!(
                "warning: {e}\n  until it loads, each request is answered with this reason and tries the file again"
            );
            None
        }
    };
    let voice = settings
        .speak
        .then(|| Voice::load_or_fallback(&models.piper_voice(), 1));
    let journal_dir = settings
        .journal_dir
        .clone()
        .unwrap_or_else(default_journal_dir);
    std::fs::create_dir_all(&journal_dir)
        .with_context(|| format!("cannot create the journal folder {}", journal_dir.display()))?;
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let journal_path = match &args.record {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the recording folder {}", dir.display()))?;
            dir.join("journal.jsonl")
        }
        None => journal_dir.join(format!("session-{started}.jsonl")),
    };
    let journal = Journal::open(&journal_path)?;
    let bus_recorder = match &args.record {
        Some(dir) => Some(BusRecorder::start(
            endpoints.endpoint()?,
            &dir.join("bus.log"),
            endpoints.name(),
        )?),
        None => None,
    };

    let mut agent = match engine {
        Ok(engine) => Agent::new(engine, car.clone(), state.clone(), actuator.clone()),
        Err(e) => Agent::without_model(
            &e,
            ModelSource {
                dir: model_dir(),
                threads: 1,
            },
            language,
            car.clone(),
            state.clone(),
            actuator.clone(),
        ),
    };
    let has_display = has_display();
    agent.set_dashboard_shown(settings.dashboard && has_display);
    let schedule = agent.schedule();
    let mut config = Config::new(settings.seat);
    config.seats = settings.seats.clone();
    config.speak = settings.speak;
    config.lossless = args.lossless;
    // The words appear as they are said: a Whisper run on the speech so far each second.
    config.interim_every = Some(Duration::from_secs(1));
    // What the dashboard shows and was touched last, for "close it"; without a dashboard it
    // stays the home screen with nothing touched.
    let focus = SharedFocus::default();
    config.focus = focus.clone();
    let pipeline = Pipeline::start(
        Parts {
            agent,
            transcriber,
            voice,
            journal: Some(journal),
            early,
        },
        config,
    );
    let (audio_tee, input) = match &args.record {
        Some(dir) => {
            let (tee, input) = AudioTee::start(&dir.join("audio.wav"), pipeline.input())?;
            (Some(tee), input)
        }
        None => (None, pipeline.input()),
    };
    let pressed = Arc::new(AtomicBool::new(!settings.push_to_talk));
    let capture = CaptureConfig {
        device: settings.device.clone(),
        backpressure: if args.lossless {
            Backpressure::WaitForReader
        } else {
            Backpressure::DropWhenBehind
        },
    };
    // A microphone missing at the start may still come (a USB one enumerated after boot):
    // it is looked for all session, and typing works meanwhile.
    let (microphone, present) = match Microphone::open(capture.clone()) {
        Ok(microphone) => (Some(microphone), true),
        Err(e) => {
            eprintln!(
                "no microphone ({e}): listening for one to appear; type a request{}",
                if args.from_file.is_some() {
                    ", or press Enter to play the recording"
                } else {
                    " (or give --from-file FILE and press Enter to play it)"
                }
            );
            (Microphone::open_when_available(capture).ok(), false)
        }
    };
    if let Some(microphone) = microphone {
        let (input, pressed, lossless) = (input.clone(), pressed.clone(), args.lossless);
        std::thread::Builder::new()
            .name("cockpit-microphone".into())
            .spawn(move || forward_microphone(microphone, &input, &pressed, lossless))?;
    }
    let recording = match &args.from_file {
        Some(path) => {
            let mut samples = to_speech_rate(&read_file(path, MAX_RECORDING)?);
            // A second of quiet after it, so the endpointer hears the speaker stop.
            samples.extend(std::iter::repeat_n(0.0, 16_000));
            Some(Arc::new(samples))
        }
        None => None,
    };
    let deadline = args.duration.map(Duration::from_secs_f64);
    eprintln!(
        "cockpit on the {} bus; journal {}",
        endpoints.name(),
        journal_path.display()
    );
    if settings.dashboard && has_display {
        let window_schedule = schedule.clone();
        let options = Options {
            seat: settings.seat,
            screen: Screen::Home,
            dark: !settings.light,
            focus,
        };
        let window = Dashboard::new(
            car.clone(),
            state,
            actuator,
            runtime.handle().clone(),
            options,
        )?;
        window.on_cancel_waiting(move |id| {
            schedule.cancel(id);
        });
        let panel = Panel::new(car).listing(window_schedule);
        dashboard(&runtime, &settings, pipeline, panel, &window, &pressed)?;
    } else {
        if settings.dashboard {
            eprintln!("no display ({}): the terminal view", NO_DISPLAY);
        }
        // Without a microphone at the start the keyboard is the input: its end ends the
        // session.
        let keyboard = Keyboard {
            seat: settings.seat,
            push_to_talk: settings.push_to_talk,
            recording,
            pressed,
            ends_session: !present,
        };
        keyboard.spawn(input);
        runtime.block_on(terminal(pipeline, deadline));
    }
    if let (Some(tee), Some(bus), Some(dir)) = (audio_tee, bus_recorder, &args.record) {
        let seconds = runtime.block_on(tee.finish())?;
        let frames = runtime.block_on(bus.finish())?;
        eprintln!(
            "recorded to {}: audio.wav ({seconds:.1} s), bus.log ({frames} frames), journal.jsonl \
             (cockpit replay {} --report DIR plays it back)",
            dir.display(),
            dir.display()
        );
    } else {
        eprintln!("journal: {}", journal_path.display());
    }
    Ok(())
}

/// The microphone's chunks into the pipeline; never waits on it (a full queue drops audio,
/// counted and reported) unless `lossless`.
fn forward_microphone(
    microphone: Microphone,
    input: &mpsc::Sender<Input>,
    pressed: &AtomicBool,
    lossless: bool,
) {
    let report = |text: String, problem: bool| {
        let _ = input.try_send(Input::Report { text, problem });
    };
    let mut dropped = 0u64;
    loop {
        match microphone.recv_timeout(Duration::from_millis(50)) {
            Some(CaptureEvent::Chunk(chunk)) if pressed.load(Ordering::SeqCst) => {
                let sent = if lossless {
                    input
                        .blocking_send(Input::Audio(chunk))
                        .map_err(|e| mpsc::error::TrySendError::Closed(e.0))
                } else {
                    input.try_send(Input::Audio(chunk))
                };
                match sent {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        dropped += 1;
                        if dropped % 100 == 1 {
                            report(
                                format!(
                                    "the pipeline is behind: {dropped} chunks of microphone audio dropped"
                                ),
                                true,
                            );
                        }
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => return,
                }
            }
            Some(CaptureEvent::Chunk(_)) => {}
            Some(CaptureEvent::Opened {
                device,
                sample_rate,
                channels,
            }) => {
                report(
                    format!("listening on {device} ({sample_rate} Hz, {channels} channels)"),
                    false,
                );
            }
            Some(CaptureEvent::Overrun { frames }) => {
                report(
                    format!("{frames} microphone frames dropped by the capture"),
                    true,
                );
            }
            Some(CaptureEvent::Glitch { count, reason }) => {
                report(
                    format!("the microphone stumbled {count}× ({reason}); still listening"),
                    true,
                );
            }
            Some(CaptureEvent::Lost { reason }) => {
                report(
                    format!(
                        "microphone lost ({reason}); listening for it to come back, typing still works"
                    ),
                    true,
                );
            }
            None if input.is_closed() => return,
            None => {}
        }
    }
}

/// Lines typed on the terminal: a request each; with push-to-talk an empty line presses or
/// releases the button; with a recording an empty line plays it.
struct Keyboard {
    seat: Seat,
    push_to_talk: bool,
    recording: Option<Arc<Vec<f32>>>,
    pressed: Arc<AtomicBool>,
    /// The end of typing (Ctrl-D, or a closed pipe) ends the session.
    ends_session: bool,
}

impl Keyboard {
    fn spawn(self, input: mpsc::Sender<Input>) {
        let handle = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                let line = line.trim().to_owned();
                let sent = if !line.is_empty() {
                    input.blocking_send(Input::Text(line, self.seat))
                } else if let Some(recording) = &self.recording {
                    // Played as a microphone would deliver it, without ending the session.
                    let (input, recording) = (input.clone(), recording.clone());
                    handle.spawn(async move {
                        feed_audio(&input, std::slice::from_ref(&*recording), true).await
                    });
                    Ok(())
                } else if self.push_to_talk {
                    let now = !self.pressed.fetch_xor(true, Ordering::SeqCst);
                    input.blocking_send(if now { Input::Press } else { Input::Release })
                } else {
                    Ok(())
                };
                if sent.is_err() {
                    return;
                }
            }
            if self.ends_session {
                let _ = input.blocking_send(Input::End);
            }
        });
    }
}

/// The terminal view: what was heard, done and said, until Ctrl-C or the deadline.
async fn terminal(mut pipeline: Pipeline, deadline: Option<Duration>) {
    let stop = async {
        match deadline {
            Some(after) => tokio::time::sleep(after).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(stop);
    let mut ctrl_c = crate::interrupt::ctrl_c();
    loop {
        tokio::select! {
            _ = &mut ctrl_c => break,
            _ = &mut stop => break,
            event = pipeline.next_event() => match event {
                None => return,
                Some(event) => print_event(&event),
            },
        }
    }
    for event in pipeline.finish().await {
        print_event(&event);
    }
}

fn print_event(event: &Event) {
    match event {
        Event::SpeechStarted { .. } => outln!("listening…"),
        Event::Hearing(text) => outln!("  … {text}"),
        Event::Heard { seat, text, .. } if text.is_empty() => outln!("[{seat}] (no speech)"),
        Event::Heard { seat, text, .. } => outln!("[{seat}] {text}"),
        Event::Answered { turn, .. } => {
            for outcome in &turn.outcomes {
                let mark = match outcome {
                    Outcome::Confirmed { .. } | Outcome::Clamped { .. } => "ok",
                    Outcome::Refused { .. } => "refused",
                    Outcome::Superseded { stopped: true, .. } => "stopped",
                    Outcome::Superseded { .. } => "replaced",
                    _ => "not confirmed",
                };
                outln!("    {mark:<13} {}", outcome.path());
            }
            // A "stop" heard during a turn leaves the reply to the turn it stopped.
            if !turn.reply.is_empty() {
                outln!("cockpit: {}", turn.reply);
            }
        }
        Event::Finished(entry) => {
            if let Some(ms) = entry.timings.first_frame_ms {
                outln!("    first command frame {ms:.0} ms after the end of speech");
            }
        }
        Event::Problem(problem) => eprintln!("warning: {problem}"),
        Event::Notice(notice) => eprintln!("{notice}"),
        Event::Level(_) => {}
    }
}

/// The dashboard on the main thread; the pipeline's events become the assistant panel.
fn dashboard(
    runtime: &tokio::runtime::Runtime,
    settings: &Settings,
    mut pipeline: Pipeline,
    mut panel: Panel,
    dashboard: &Dashboard,
    pressed: &Arc<AtomicBool>,
) -> Result<()> {
    let input = pipeline.input();
    let show = dashboard.assistant_sender();
    let shown = runtime.spawn(async move {
        while let Some(event) = pipeline.next_event().await {
            match &event {
                Event::Problem(problem) => tracing::warn!("{problem}"),
                Event::Notice(notice) => tracing::info!("{notice}"),
                _ => {}
            }
            if let Some(view) = panel.apply(&event) {
                let _ = show.send(view.clone());
            }
        }
        pipeline.finish().await;
    });
    {
        let (input, pressed) = (input.clone(), pressed.clone());
        let push_to_talk = settings.push_to_talk;
        let held = AtomicBool::new(false);
        dashboard.on_mic(move || {
            // The button holds an utterance open until tapped again; with push-to-talk it
            // also opens the microphone for that long.
            let now_held = !held.fetch_xor(true, Ordering::SeqCst);
            if push_to_talk {
                pressed.store(now_held, Ordering::SeqCst);
            }
            let _ = input.try_send(if now_held {
                Input::Press
            } else {
                Input::Release
            });
        });
    }
    {
        let input = input.clone();
        let seat = settings.seat;
        dashboard.on_ask(move |text| {
            let _ = input.try_send(Input::Text(text, seat));
        });
    }
    dashboard.run()?;
    let _ = runtime.block_on(input.send(Input::End));
    drop(input);
    let _ = runtime.block_on(shown);
    Ok(())
}

/// Why [`has_display`] found none, for the terminal view's first line.
const NO_DISPLAY: &str = if cfg!(feature = "kms") {
    "DISPLAY and WAYLAND_DISPLAY unset, and no /dev/dri/card* or /dev/fb*"
} else {
    "DISPLAY and WAYLAND_DISPLAY unset"
};

/// Whether the dashboard has somewhere to show: a window system, or, in a build for a head
/// unit without one (`--features kms`), a DRM or framebuffer device.
fn has_display() -> bool {
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return true;
    }
    let device_like = |dir: &str, prefix: &str| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
        })
    };
    cfg!(feature = "kms") && (device_like("/dev/dri", "card") || device_like("/dev", "fb"))
}
