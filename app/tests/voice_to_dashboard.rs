//! Sound in, dashboard out: a recorded request through the live pipeline (endpointer,
//! Whisper, the shipped language model, the policy, the in-process bus, the simulated car),
//! its events folded into the assistant panel, and the screen showing what the car reports.
//! Slint's testing backend, no display; Whisper's model from `scripts/setup.sh --test`.

mod common;

use common::SimulatedCar;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use audio::file::{read_file, to_speech_rate};
use audio::models::{ModelDir, WhisperModel};
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::agent::Agent;
use cockpit_agent::lm::{Engine, Language};
use cockpit_agent::pipeline::{Config, Event, Parts, Pipeline, feed_samples};
use cockpit_agent::view::Panel;
use i_slint_backend_testing::ElementHandle;
use ui::{Dashboard, Options, Screen};
use vehicle::{Seat, Value};

const LOW_BEAM: &str = "Vehicle.Body.Lights.Beam.Low.IsOn";

fn shown(dashboard: &Dashboard, label: &str) -> Option<String> {
    ElementHandle::find_by_accessible_label(dashboard.window(), label)
        .next()
        .map(|e| e.accessible_value().unwrap_or_default().to_string())
}

#[test]
fn a_spoken_request_goes_from_sound_to_the_car_and_onto_the_screen() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let SimulatedCar {
        car,
        state,
        actuator,
        sim: _sim,
        ..
    } = runtime.block_on(SimulatedCar::start(0.0));
    i_slint_backend_testing::init_no_event_loop();
    let options = Options {
        seat: Seat::Driver,
        screen: Screen::Lights,
        ..Options::default()
    };
    let dashboard = Dashboard::new(
        car.clone(),
        state.clone(),
        actuator.clone(),
        runtime.handle().clone(),
        options,
    )
    .expect("the dashboard");
    dashboard.set_size(1920, 720);
    assert_eq!(shown(&dashboard, "Low beam").as_deref(), Some("Off"));

    let language = Language::reference(car.catalog()).expect("the plan language");
    let engine = Engine::load(&repo.join("assets/model"), language, 1).expect("the model");
    let agent = Agent::new(engine, car.clone(), state.clone(), actuator);
    let whisper = ModelDir::at(&repo.join("models")).whisper(WhisperModel::TinyEnQ8);
    let transcriber = Transcriber::load(&whisper, TranscriberConfig::for_commands(2))
        .expect("Whisper tiny.en (scripts/setup.sh --test)");
    let mut config = Config::new(Seat::Driver);
    config.lossless = true;
    config.focus = dashboard.focus();
    let mut pipeline = runtime.block_on(async {
        Pipeline::start(
            Parts {
                agent,
                transcriber: Arc::new(transcriber),
                voice: None,
                journal: None,
                early: None,
            },
            config,
        )
    });
    let audio = read_file(
        &repo.join("assets/demo/voice/04-headlights.flac"),
        Duration::from_secs(30),
    )
    .expect("the recording");
    let mut samples = to_speech_rate(&audio);
    samples.extend(std::iter::repeat_n(0.0, 16_000));
    let input = pipeline.input();
    runtime.spawn(async move { feed_samples(&input, &[samples], false).await });

    let mut panel = Panel::new(car.clone());
    let mut listened = false;
    while let Some(event) = runtime.block_on(pipeline.next_event()) {
        if let Some(view) = panel.apply(&event) {
            listened |= view.listening;
            dashboard.show_assistant(view);
        }
        if let Event::Problem(problem) = event {
            panic!("the pipeline reported: {problem}");
        }
    }
    assert!(listened, "the panel showed the microphone listening");
    assert_eq!(state.value(LOW_BEAM), Some(Value::Bool(true)), "the car");
    let start = Instant::now();
    while shown(&dashboard, "Low beam").as_deref() != Some("On")
        && start.elapsed() < Duration::from_secs(5)
    {
        dashboard.refresh();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        shown(&dashboard, "Low beam").as_deref(),
        Some("On"),
        "the screen"
    );
    let heard = shown(&dashboard, "Heard").unwrap_or_default();
    assert!(
        heard.to_lowercase().contains("headlights"),
        "heard {heard:?}"
    );
    assert_eq!(
        shown(&dashboard, "Reply").as_deref(),
        Some("The headlights are now on.")
    );
}
