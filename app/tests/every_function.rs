//! Every function of the catalog, spoken: requests synthesized with cockpit's own voice
//! (Piper held steady, so the sound is the same every run), played into a two-seat cabin
//! microphone, through the endpointer, Whisper, the shipped language model, the policy and
//! the in-process bus to the simulated car, checked against what the car then reports.
//! Follow-ups, a confirmation and refusals included. Models from `scripts/setup.sh --test`.

mod common;

use common::SimulatedCar;

use std::path::PathBuf;
use std::sync::Arc;

use audio::file::resample;
use audio::models::{ModelDir, WhisperModel};
use audio::tts::PiperVoice;
use audio::whisper::{Transcriber, TranscriberConfig};
use cockpit_agent::agent::Agent;
use cockpit_agent::lm::{Engine, Language};
use cockpit_agent::pipeline::journal::Entry;
use cockpit_agent::pipeline::{Config, Event, Parts, Pipeline, feed_samples};
use serde_json::{Value as Json, json};
use vehicle::{Outcome, Seat};

/// A VSS path and what its reported value must satisfy.
type Check = (&'static str, fn(&Json) -> bool);

/// What a request should come to.
enum Expect {
    /// The car reports these values afterwards, and nothing else changed.
    Sets(&'static [Check]),
    /// The policy refuses it: nothing changes.
    Refused,
    /// The agent asks for a yes first: nothing changes yet.
    AsksFirst,
}

use Expect::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Speaks every request on its seat's channel, a gap of quiet after each, and runs them
/// through a pipeline on a car standing or driving at `speed`.
fn session(speed: f64, requests: &[(Seat, &str)]) -> Vec<Entry> {
    let models = ModelDir::at(&repo().join("models"));
    let voice = PiperVoice::load(&models.piper_voice(), 1)
        .expect("the Piper voice (scripts/setup.sh --test)")
        .steady();
    let seats = [Seat::Driver, Seat::Passenger];
    let mut channels = vec![Vec::new(), Vec::new()];
    for (seat, text) in requests {
        let speech = voice.synthesize(text).expect("speech");
        let samples = resample(&speech.samples, speech.sample_rate, 16_000);
        for (channel, s) in channels.iter_mut().zip(seats) {
            // The other seat's microphone hears the voice too, more faintly.
            let gain = if s == *seat { 1.0 } else { 0.3 };
            channel.extend(samples.iter().map(|x| x * gain));
            channel.extend(std::iter::repeat_n(0.0, 20_000));
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let SimulatedCar {
            car,
            state,
            actuator,
            sim: _sim,
            ..
        } = SimulatedCar::start(speed).await;
        let language = Language::reference(car.catalog()).expect("the plan language");
        let engine =
            Engine::load(&repo().join("assets/model"), language, 1).expect("the shipped model");
        let transcriber = Transcriber::load(
            &models.whisper(WhisperModel::TinyEnQ8),
            TranscriberConfig::for_commands(2),
        )
        .expect("Whisper tiny.en (scripts/setup.sh --test)");
        let mut config = Config::new(Seat::Driver);
        config.seats = seats.to_vec();
        config.lossless = true;
        let mut pipeline = Pipeline::start(
            Parts {
                agent: Agent::new(engine, car, state, actuator),
                transcriber: Arc::new(transcriber),
                voice: None,
                journal: None,
                early: None,
            },
            config,
        );
        let input = pipeline.input();
        tokio::spawn(async move { feed_samples(&input, &channels, false).await });
        let mut entries = Vec::new();
        while let Some(event) = pipeline.next_event().await {
            if let Event::Finished(entry) = event {
                entries.push(*entry);
            }
        }
        entries
    })
}

fn check(requests: &[(Seat, &str, Expect)], entries: &[Entry]) {
    let heard: Vec<&str> = entries.iter().map(|e| e.transcript.as_str()).collect();
    assert_eq!(
        entries.len(),
        requests.len(),
        "one utterance per request: {heard:#?}"
    );
    let mut wrong = Vec::new();
    for ((seat, text, expect), entry) in requests.iter().zip(entries) {
        let problem = if entry.seat != *seat {
            Some(format!("heard from the {} seat", entry.seat))
        } else {
            match expect {
                Sets(wants) => wants
                    .iter()
                    .find_map(|(path, ok)| {
                        let got = entry.changes.get(*path).map(|v| json!(v));
                        (!got.as_ref().is_some_and(ok)).then(|| format!("{path} is {got:?}"))
                    })
                    .or_else(|| {
                        // Nothing else changed: a request does what it says and no more.
                        let extra: Vec<&String> = entry
                            .changes
                            .keys()
                            .filter(|p| !wants.iter().any(|(w, _)| w == p))
                            .collect();
                        (!extra.is_empty()).then(|| format!("also changed {extra:?}"))
                    }),
                Refused => (!entry.refused
                    || !entry.changes.is_empty()
                    || !entry
                        .outcomes
                        .iter()
                        .any(|o| matches!(o, Outcome::Refused { .. })))
                .then(|| "not refused".to_owned()),
                AsksFirst => (!entry.reply.contains("Say yes") || !entry.changes.is_empty())
                    .then(|| "did not ask first".to_owned()),
            }
        };
        if let Some(problem) = problem {
            wrong.push(format!(
                "{text:?} (heard {:?}, plan {:?}, reply {:?}, outcomes {:?}): {problem}",
                entry.transcript, entry.plan, entry.reply, entry.outcomes
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_function_spoken_in_a_parked_car() {
    let requests: &[(Seat, &str, Expect)] = &[
        (
            Seat::Driver,
            "Set the temperature to twenty two degrees.",
            Sets(
                &[("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", |v| {
                    v == &json!(22.0)
                })],
            ),
        ),
        (
            Seat::Driver,
            "Warmer.",
            Sets(
                &[("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", |v| {
                    v.as_f64().is_some_and(|t| t > 22.0)
                })],
            ),
        ),
        (
            Seat::Driver,
            "Set the fan to maximum.",
            Sets(&[("Vehicle.Cabin.HVAC.Station.Row1.Driver.FanSpeed", |v| {
                v == &json!(100)
            })]),
        ),
        (
            Seat::Driver,
            "Blow the air at my feet.",
            Sets(&[(
                "Vehicle.Cabin.HVAC.Station.Row1.Driver.AirDistribution",
                |v| v == &json!("DOWN"),
            )]),
        ),
        (
            Seat::Driver,
            "Turn on the air conditioning.",
            Sets(&[("Vehicle.Cabin.HVAC.IsAirConditioningActive", |v| {
                v == &json!(true)
            })]),
        ),
        (
            Seat::Driver,
            "Turn on recirculation.",
            Sets(&[("Vehicle.Cabin.HVAC.IsRecirculationActive", |v| {
                v == &json!(true)
            })]),
        ),
        (
            Seat::Driver,
            "Defrost the windshield.",
            Sets(&[("Vehicle.Cabin.HVAC.IsFrontDefrosterActive", |v| {
                v == &json!(true)
            })]),
        ),
        (
            Seat::Driver,
            "Turn on the rear window defroster.",
            Sets(&[("Vehicle.Cabin.HVAC.IsRearDefrosterActive", |v| {
                v == &json!(true)
            })]),
        ),
        (
            Seat::Passenger,
            "Turn on my seat heating.",
            Sets(&[(
                "Vehicle.Cabin.Seat.Row1.PassengerSide.HeatingCooling",
                |v| v.as_f64().is_some_and(|h| h > 0.0),
            )]),
        ),
        (
            Seat::Driver,
            "Turn on my seat ventilation.",
            Sets(
                &[("Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling", |v| {
                    v.as_f64().is_some_and(|h| h < 0.0)
                })],
            ),
        ),
        (
            Seat::Passenger,
            "Open my window.",
            Sets(&[(
                "Vehicle.Cabin.Door.Row1.PassengerSide.Window.Position",
                |v| v == &json!(100),
            )]),
        ),
        (
            Seat::Driver,
            "Open the sunroof.",
            Sets(&[("Vehicle.Cabin.Sunroof.Position", |v| v == &json!(100))]),
        ),
        (
            Seat::Driver,
            "Open the sunshade.",
            Sets(&[("Vehicle.Cabin.Sunroof.Shade.Position", |v| v == &json!(100))]),
        ),
        (Seat::Driver, "Unlock the doors.", AsksFirst),
        (
            Seat::Driver,
            "Yes.",
            Sets(&[
                ("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked", |v| {
                    v == &json!(false)
                }),
                ("Vehicle.Cabin.Door.Row1.PassengerSide.IsLocked", |v| {
                    v == &json!(false)
                }),
                ("Vehicle.Cabin.Door.Row2.DriverSide.IsLocked", |v| {
                    v == &json!(false)
                }),
                ("Vehicle.Cabin.Door.Row2.PassengerSide.IsLocked", |v| {
                    v == &json!(false)
                }),
            ]),
        ),
        (
            Seat::Driver,
            "Open the trunk.",
            Sets(&[("Vehicle.Body.Trunk.Rear.IsOpen", |v| v == &json!(true))]),
        ),
        (
            Seat::Driver,
            "Open the front trunk.",
            Sets(&[("Vehicle.Body.Trunk.Front.IsOpen", |v| v == &json!(true))]),
        ),
        (
            Seat::Passenger,
            "Turn on the reading light.",
            Sets(&[("Vehicle.Cabin.Light.IsDomeOn", |v| v == &json!(true))]),
        ),
        (
            Seat::Driver,
            "Turn on the ambient light.",
            Sets(&[(
                "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.IsLightOn",
                |v| v == &json!(true),
            )]),
        ),
        (
            Seat::Driver,
            "Set the ambient brightness to eighty percent.",
            Sets(&[(
                "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Intensity",
                |v| v == &json!(80),
            )]),
        ),
        (
            Seat::Driver,
            "Make the ambient light blue.",
            Sets(&[(
                "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color",
                |v| v == &json!("0000FF"),
            )]),
        ),
        (
            Seat::Driver,
            "Turn on the headlights.",
            Sets(&[("Vehicle.Body.Lights.Beam.Low.IsOn", |v| v == &json!(true))]),
        ),
        (
            Seat::Driver,
            "Turn on the fog lights.",
            Sets(&[("Vehicle.Body.Lights.Fog.Front.IsOn", |v| v == &json!(true))]),
        ),
        (Seat::Passenger, "Turn on the hazard lights.", Refused),
        (
            Seat::Driver,
            "Turn on the hazard lights.",
            Sets(&[("Vehicle.Body.Lights.Hazard.IsSignaling", |v| {
                v == &json!(true)
            })]),
        ),
        (
            Seat::Driver,
            "Turn the wipers on.",
            Sets(&[("Vehicle.Body.Windshield.Front.Wiping.Mode", |v| {
                v != &json!("OFF")
            })]),
        ),
        (
            Seat::Passenger,
            "Set the volume to thirty.",
            Sets(&[("Vehicle.Cabin.Infotainment.Media.Volume", |v| {
                v == &json!(30)
            })]),
        ),
        (
            Seat::Passenger,
            "Play the music.",
            Sets(&[("Vehicle.Cabin.Infotainment.Media.Action", |v| {
                v == &json!("PLAY")
            })]),
        ),
    ];
    let spoken: Vec<(Seat, &str)> = requests.iter().map(|(s, t, _)| (*s, *t)).collect();
    check(requests, &session(0.0, &spoken));
}

#[test]
fn what_the_rules_forbid_while_driving_is_refused_when_spoken() {
    let requests: &[(Seat, &str, Expect)] = &[
        (Seat::Driver, "Open the trunk.", Refused),
        (Seat::Driver, "Unlock the doors.", Refused),
        (
            Seat::Driver,
            "Open my window.",
            Sets(
                &[("Vehicle.Cabin.Door.Row1.DriverSide.Window.Position", |v| {
                    v == &json!(100)
                })],
            ),
        ),
    ];
    let spoken: Vec<(Seat, &str)> = requests.iter().map(|(s, t, _)| (*s, *t)).collect();
    check(requests, &session(80.0, &spoken));
}
