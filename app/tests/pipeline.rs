//! The whole pipeline on recorded speech: sound in, Whisper, the shipped language model, the
//! policy, frames on the in-process bus, the simulated car's confirmed state, the journal.
//! The recordings are the demo's (`assets/demo/voice/`, cockpit's own voice); Whisper's model
//! comes from `scripts/setup.sh --test`.

mod common;

use common::SimulatedCar;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use audio::file::{read_file, to_speech_rate};
use audio::models::{ModelDir, WhisperModel};
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::agent::Agent;
use cockpit_agent::lm::{Engine, Language};
use cockpit_agent::pipeline::journal::{Entry, Journal};
use cockpit_agent::pipeline::{Config, Event, Input, Parts, Pipeline, feed_samples};
use vehicle::{
    Actuator, Drive, Dynamics, Gear, Seat, SimCar, Value, VehicleState, VirtualBus, reference,
};

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const LOCK: &str = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked";
const LOW_BEAM: &str = "Vehicle.Body.Lights.Beam.Low.IsOn";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The demo's recordings of `names`, one after another with `gap` of quiet between them.
fn recording(names: &[&str], gap: Duration) -> Vec<f32> {
    let mut samples = Vec::new();
    for name in names {
        let path = repo().join("assets/demo/voice").join(name);
        let audio = read_file(&path, Duration::from_secs(30)).expect("a demo recording");
        samples.extend(to_speech_rate(&audio));
        samples.extend(std::iter::repeat_n(
            0.0,
            (gap.as_secs_f64() * 16_000.0) as usize,
        ));
    }
    samples
}

/// What a pipeline runs on for the car behind `state` and `actuator`: the shipped model,
/// Whisper tiny.en with `threads`, no voice, and the journal given.
fn parts(
    car: Arc<vehicle::CarDefinition>,
    state: VehicleState,
    actuator: Arc<Actuator>,
    threads: usize,
    journal: Option<Journal>,
) -> Parts {
    let language = Language::reference(car.catalog()).expect("the plan language");
    let engine =
        Engine::load(&repo().join("assets/model"), language, 1).expect("the shipped model");
    let whisper = ModelDir::at(&repo().join("models")).whisper(WhisperModel::TinyEnQ8);
    let transcriber = Transcriber::load(&whisper, TranscriberConfig::for_commands(threads))
        .expect("Whisper tiny.en (scripts/setup.sh --test)");
    Parts {
        agent: Agent::new(engine, car, state, actuator),
        transcriber: Arc::new(transcriber),
        voice: None,
        journal,
        early: None,
    }
}

/// Runs `samples` through a pipeline on a parked simulated car; returns the journal entries
/// as events gave them, the journal file's lines, and the car's state.
async fn listen(samples: Vec<f32>, journal: &Path) -> (Vec<Entry>, Vec<String>, VehicleState) {
    let mut config = Config::new(Seat::Driver);
    config.lossless = true;
    let (events, lines, state) = listen_with(samples, journal, config, false).await;
    let entries = events
        .into_iter()
        .filter_map(|event| match event {
            Event::Finished(entry) => Some(*entry),
            _ => None,
        })
        .collect();
    (entries, lines, state)
}

/// [`listen`] with the pipeline's settings given, and the audio fed as fast as the pipeline
/// takes it or `paced` as a microphone would; returns every event.
async fn listen_with(
    samples: Vec<f32>,
    journal: &Path,
    config: Config,
    paced: bool,
) -> (Vec<Event>, Vec<String>, VehicleState) {
    // One recording through Whisper at a time: the test of words shown while they are said
    // needs them back while the speech lasts, which three Whispers sharing two cores delay.
    let _alone = ONE_AT_A_TIME.lock().await;
    let SimulatedCar {
        car,
        state,
        actuator,
        sim: _sim,
        ..
    } = SimulatedCar::start(0.0).await;
    let mut pipeline = Pipeline::start(
        parts(
            car,
            state.clone(),
            actuator,
            2,
            Some(Journal::open(journal).expect("journal")),
        ),
        config,
    );
    let input = pipeline.input();
    tokio::spawn(async move { feed_samples(&input, &[samples], paced).await });
    let mut events = Vec::new();
    while let Some(event) = pipeline.next_event().await {
        if let Event::Problem(problem) = &event {
            panic!("the pipeline reported: {problem}");
        }
        events.push(event);
    }
    let lines = std::fs::read_to_string(journal)
        .expect("the journal")
        .lines()
        .map(str::to_owned)
        .collect();
    (events, lines, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spoken_requests_reach_the_car_and_every_utterance_the_journal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.jsonl");
    let samples = recording(
        &["01-unlock.flac", "02-yes.flac", "04-headlights.flac"],
        Duration::from_millis(1500),
    );
    let (entries, lines, state) = listen(samples, &journal).await;

    let heard: Vec<&str> = entries.iter().map(|e| e.transcript.as_str()).collect();
    assert_eq!(entries.len(), 3, "heard {heard:?}");
    assert_eq!(lines.len(), 3, "one journal line per utterance");
    let ids: Vec<u64> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, [1, 2, 3]);

    // "Unlock the doors." asks first and sends nothing; "Yes, please." unlocks.
    assert!(entries[0].reply.contains("Say yes"), "{:?}", entries[0]);
    assert!(entries[0].frames.is_empty());
    assert_eq!(
        entries[1].reply, "The doors are unlocked.",
        "{:?}",
        entries[1]
    );
    assert!(!entries[1].frames.is_empty());
    assert_eq!(state.value(LOCK), Some(Value::Bool(false)));
    // "Turn on the headlights." — the car reports them on.
    assert_eq!(
        entries[2].changes.get(LOW_BEAM),
        Some(&Value::Bool(true)),
        "{:?}",
        entries[2]
    );
    assert_eq!(state.value(LOW_BEAM), Some(Value::Bool(true)));

    for entry in &entries[1..] {
        let t = &entry.timings;
        let (plan, frame, confirmed) = (
            t.plan_ms.expect("plan"),
            t.first_frame_ms.expect("frame"),
            t.confirmed_ms.expect("confirmed"),
        );
        assert!(
            t.endpoint_ms >= 500.0,
            "the endpointer waits for silence: {t:?}"
        );
        assert!(
            t.endpoint_ms < t.transcript_ms
                && t.transcript_ms <= plan
                && plan <= frame
                && frame <= confirmed,
            "stages in order: {t:?}"
        );
        // The journal's line is the entry as the events gave it.
        let line: serde_json::Value =
            serde_json::from_str(&lines[entry.id as usize - 1]).expect("a JSON line");
        assert_eq!(line["transcript"], entry.transcript.as_str());
        assert_eq!(
            line["frames"].as_array().map(Vec::len),
            Some(entry.frames.len())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silence_and_noise_reach_the_journal_without_acting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.jsonl");
    // Two seconds of silence, a second of loud low hum (no words), two more of silence.
    let mut samples = vec![0.0f32; 32_000];
    samples.extend(
        (0..16_000).map(|n| 0.3 * (n as f32 * 2.0 * std::f32::consts::PI * 60.0 / 16_000.0).sin()),
    );
    samples.extend(vec![0.0f32; 32_000]);
    let (entries, lines, _state) = listen(samples, &journal).await;
    assert_eq!(entries.len(), lines.len());
    for entry in &entries {
        assert!(entry.frames.is_empty(), "{entry:?}");
        assert!(entry.changes.is_empty(), "{entry:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn stop_said_while_the_sunroof_or_a_window_moves_stops_it_where_it_is() {
    // Typed requests on a simulated clock. The sunroof takes six seconds to open, and the
    // turn that opens it waits for the car all that time; "stop" two seconds in must act
    // then, and the opening turn's reply says where it stopped.
    const SUNROOF: &str = "Vehicle.Cabin.Sunroof.Position";
    let SimulatedCar {
        car,
        state,
        actuator,
        sim: _sim,
        ..
    } = SimulatedCar::start(0.0).await;
    let mut pipeline = Pipeline::start(
        parts(car, state.clone(), actuator.clone(), 1, None),
        Config::new(Seat::Driver),
    );
    let input = pipeline.input();
    let say = async |text: &str| {
        input
            .send(Input::Text(text.into(), Seat::Driver))
            .await
            .expect("the pipeline takes it");
    };
    let sunroof = || state.value(SUNROOF).and_then(|v| v.as_f64());

    say("open the sunroof").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    say("stop").await;
    let mut entries = Vec::new();
    while entries.len() < 2 {
        match pipeline.next_event().await.expect("the pipeline runs") {
            Event::Finished(entry) => entries.push(*entry),
            _ => continue,
        }
    }
    let at = sunroof().expect("the sunroof is reported");
    assert!((15.0..60.0).contains(&at), "stopped on its way: {at}");
    let (stop, open) = (&entries[0], &entries[1]);
    assert_eq!(stop.transcript, "stop");
    assert_eq!(stop.reply, "", "the opening's reply says it: {stop:?}");
    assert!(!stop.frames.is_empty(), "{stop:?}");
    assert_eq!(open.transcript, "open the sunroof");
    assert_eq!(
        open.reply,
        format!("The sunroof stopped at {at} % open."),
        "{open:?}"
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(sunroof(), Some(at), "it stays where it stopped");

    // "Stop" with nothing moving is a request like any other.
    say("stop").await;
    let entry = loop {
        if let Event::Finished(entry) = pipeline.next_event().await.expect("the pipeline runs") {
            break *entry;
        }
    };
    assert_eq!(entry.plan, "cancel");
    assert!(entry.frames.is_empty(), "{entry:?}");
    assert_eq!(sunroof(), Some(at));

    // What stopped on its way did move: undo closes it again.
    say("undo that").await;
    let entry = loop {
        if let Event::Finished(entry) = pipeline.next_event().await.expect("the pipeline runs") {
            break *entry;
        }
    };
    assert_eq!(sunroof(), Some(0.0), "{entry:?}");

    // A window a touch set moving (no turn waits for it): "stop" stops it and says where.
    const WINDOW: &str = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";
    let touch = actuator.clone();
    let touched =
        tokio::spawn(async move { actuator.set(Seat::Driver, WINDOW, Value::Int(100)).await });
    tokio::time::sleep(Duration::from_secs(1)).await;
    say("stop").await;
    let entry = loop {
        if let Event::Finished(entry) = pipeline.next_event().await.expect("the pipeline runs") {
            break *entry;
        }
    };
    let at = state
        .value(WINDOW)
        .and_then(|v| v.as_f64())
        .unwrap_or_default();
    assert!((10.0..60.0).contains(&at), "stopped on its way: {at}");
    assert_eq!(
        entry.reply,
        format!("The window on the driver's side stopped at {at} % open.")
    );
    assert!(matches!(
        touched.await,
        Ok(vehicle::Outcome::Superseded { stopped: true, .. })
    ));

    // A window the voice opens and a touch then closes did not stop: the reply says so.
    say("open my window").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let closed = touch.set(Seat::Driver, WINDOW, Value::Int(0)).await;
    assert!(matches!(closed, vehicle::Outcome::Confirmed { .. }));
    let entry = loop {
        if let Event::Finished(entry) = pipeline.next_event().await.expect("the pipeline runs") {
            break *entry;
        }
    };
    assert!(
        entry
            .reply
            .ends_with("open when a later request changed it."),
        "{entry:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_car_that_stops_answering_is_reported_journaled_and_recovered_from() {
    // Typed requests (no Whisper needed) on a simulated clock. The car's ECUs go silent
    // halfway: the request in between is sent but never confirmed, the agent says so, the
    // journal keeps it, and once the car is back the same request goes through.
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.jsonl");
    let car = Arc::new(reference::car_definition());
    let bus = VirtualBus::new("virtual");
    let dynamics = Dynamics::reference(&car);
    let spawn_car = || {
        SimCar::spawn(
            car.clone(),
            Arc::new(bus.endpoint()),
            Drive::constant(0.0, Gear::Park),
            dynamics.clone(),
        )
    };
    let sim = spawn_car();
    let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
    let paths: Vec<&str> = car.reported_paths().collect();
    state.wait_for_paths(&paths, Duration::from_secs(2)).await;
    let actuator = Arc::new(Actuator::new(
        car.clone(),
        Arc::new(bus.endpoint()),
        state.clone(),
    ));
    let mut pipeline = Pipeline::start(
        parts(
            car.clone(),
            state.clone(),
            actuator,
            1,
            Some(Journal::open(&journal).expect("journal")),
        ),
        Config::new(Seat::Driver),
    );
    let input = pipeline.input();
    let mut ask = async |text: &str| -> Entry {
        input
            .send(Input::Text(text.into(), Seat::Driver))
            .await
            .expect("the pipeline takes it");
        loop {
            match pipeline.next_event().await.expect("the pipeline runs") {
                Event::Finished(entry) => return *entry,
                _ => continue,
            }
        }
    };

    let entry = ask("turn on the fog lights").await;
    assert_eq!(entry.reply, "The fog lights are now on.");

    sim.stop().await;
    let entry = ask("turn off the fog lights").await;
    assert!(!entry.frames.is_empty(), "it was sent: {entry:?}");
    assert!(
        entry.reply.contains("not confirmed") || entry.reply.contains("can't tell"),
        "the agent says the car did not answer: {:?}",
        entry.reply
    );
    assert!(entry.changes.is_empty(), "{entry:?}");

    let _back = spawn_car();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let entry = ask("turn on the fog lights").await;
    assert_eq!(entry.reply, "The fog lights are now on.", "{entry:?}");

    drop(input);
    let rest = pipeline.finish().await;
    assert!(rest.iter().all(|e| !matches!(e, Event::Finished(_))));
    let lines = std::fs::read_to_string(&journal).expect("the journal");
    assert_eq!(lines.lines().count(), 3, "every request journaled: {lines}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_words_are_shown_while_they_are_being_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    let samples = recording(&["06-temperature.flac"], Duration::from_millis(1000));
    let mut config = Config::new(Seat::Driver);
    config.interim_every = Some(Duration::from_millis(500));
    let (events, _, _) =
        listen_with(samples, &dir.path().join("journal.jsonl"), config, true).await;

    // Words so far, before the utterance's final transcript, each a beginning of it.
    let heard = events
        .iter()
        .position(|e| matches!(e, Event::Heard { .. }))
        .expect("the utterance is heard");
    let Event::Heard { text: last, .. } = &events[heard] else {
        unreachable!()
    };
    let words = |text: &str| -> Vec<String> {
        text.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect()
    };
    let interim: Vec<&String> = events[..heard]
        .iter()
        .filter_map(|e| match e {
            Event::Hearing(text) => Some(text),
            _ => None,
        })
        .collect();
    assert!(!interim.is_empty(), "no words before the end: {events:?}");
    assert!(
        events[heard..]
            .iter()
            .all(|e| !matches!(e, Event::Hearing(_))),
        "no words of an utterance after it ended"
    );
    let first = words(interim[0]);
    let all = words(last);
    assert!(
        !first.is_empty() && first.len() < all.len(),
        "the first words shown are fewer than the final ones: {interim:?} then {last:?}"
    );
    assert_eq!(first[0], all[0], "{interim:?} then {last:?}");
}

#[tokio::test(start_paused = true)]
async fn what_was_asked_for_later_is_done_journaled_and_answered_when_its_time_comes() {
    const AC: &str = "Vehicle.Cabin.HVAC.IsAirConditioningActive";
    let SimulatedCar {
        car,
        state,
        actuator,
        sim: _sim,
        ..
    } = SimulatedCar::start(0.0).await;
    let mut pipeline = Pipeline::start(
        parts(car, state.clone(), actuator, 1, None),
        Config::new(Seat::Passenger),
    );
    let input = pipeline.input();
    input
        .send(Input::Text(
            "turn on the AC in 2 minutes".into(),
            Seat::Passenger,
        ))
        .await
        .expect("the pipeline takes it");
    let (mut entries, mut heard) = (Vec::new(), Vec::new());
    while entries.len() < 2 {
        match pipeline.next_event().await.expect("the pipeline runs") {
            Event::Finished(entry) => {
                if entries.is_empty() {
                    // Asked for, not done yet.
                    assert_eq!(state.value(AC), Some(Value::Bool(false)), "{entry:?}");
                }
                entries.push(*entry)
            }
            Event::Heard { text, .. } => heard.push(text),
            _ => continue,
        }
    }
    // Shown as heard when it is done, as the dashboard shows a typed request.
    assert_eq!(heard, ["turn on the AC in 2 minutes", "turn on the AC"]);
    let (asked, done) = (&entries[0], &entries[1]);
    assert_eq!(
        asked.reply,
        "Okay, in 2 minutes I'll turn on the air conditioning."
    );
    assert!(asked.frames.is_empty(), "{asked:?}");
    assert_eq!(done.transcript, "turn on the AC");
    assert_eq!(done.seat, Seat::Passenger);
    assert_eq!(asked.ended_by, "typed");
    // The journal tells it from one typed then.
    assert_eq!(done.ended_by, "asked_earlier");
    assert!(done.id > asked.id, "an id of its own: {done:?}");
    assert_eq!(
        done.reply,
        "As you asked 2 minutes ago: the air conditioning is now on."
    );
    assert!(!done.frames.is_empty(), "{done:?}");
    assert_eq!(state.value(AC), Some(Value::Bool(true)));
    // What still waits when the session ends is said not to be done.
    input
        .send(Input::Text(
            "close the windows in 10 minutes".into(),
            Seat::Passenger,
        ))
        .await
        .expect("the pipeline takes it");
    drop(input);
    let notices: Vec<String> = pipeline
        .finish()
        .await
        .into_iter()
        .filter_map(|event| match event {
            Event::Notice(notice) => Some(notice),
            _ => None,
        })
        .collect();
    assert!(
        notices
            .iter()
            .any(|n| n.starts_with("not done, as the session ended: close all the windows")),
        "{notices:?}"
    );
}
