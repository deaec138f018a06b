//! `cockpit say`: text through the language model, the rules and the simulated car.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use cockpit_agent::agent::{Agent, Turn};
use cockpit_agent::lm::{Engine, Language, model_dir};
use serde_json::json;
use vehicle::{Actuator, Drive, Dynamics, Gear, Seat, SimCar, VehicleState, VirtualBus, reference};

use crate::cli::SayArgs;

/// How long to wait for the simulated car's first status frames.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The simulated car standing or driving at a constant speed on the in-process bus, and an
/// agent for it with the language model in `model` (the shipped one by default). The car
/// runs as long as the returned `SimCar` is kept.
pub async fn simulated_agent(
    speed: f64,
    gear: Option<Gear>,
    model: Option<&Path>,
) -> Result<(Agent, SimCar)> {
    if !(0.0..=400.0).contains(&speed) {
        bail!("--speed {speed} is not between 0 and 400 km/h");
    }
    let gear = gear.unwrap_or(if speed > 0.0 { Gear::Drive } else { Gear::Park });
    if gear == Gear::Park && speed > 0.0 {
        bail!("the car cannot move in park: give --gear D with --speed");
    }
    let car = Arc::new(reference::car_definition());
    let language = Language::reference(car.catalog())?;
    let dir = model.map(Path::to_owned).unwrap_or_else(model_dir);
    let engine = Engine::load(&dir, language, 1)?;

    let bus = VirtualBus::new("virtual");
    let sim = SimCar::spawn(
        car.clone(),
        Arc::new(bus.endpoint()),
        Drive::constant(speed, gear),
        Dynamics::reference(&car),
    );
    let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
    let reported: Vec<&str> = car.reported_paths().collect();
    state.wait_for_paths(&reported, READY_TIMEOUT).await;
    let actuator = Actuator::new(car.clone(), Arc::new(bus.endpoint()), state.clone());
    Ok((Agent::new(engine, car, state, Arc::new(actuator)), sim))
}

/// A turn as `say --json` and `listen --json` print it.
pub fn turn_json(turn: &Turn) -> serde_json::Value {
    json!({
        "transcript": turn.transcript,
        "reply": turn.reply,
        "changes": turn.changes,
        "refused": turn.refused,
        "understood": turn.understood,
        "plan": turn.plan,
        "confidence": turn.confidence,
        "outcomes": turn.outcomes,
        "timings": {
            "plan_ms": turn.plan_ms,
            "first_frame_ms": turn.first_frame_ms,
            "settled_ms": turn.settled_ms,
        },
    })
}

pub async fn run(args: &SayArgs) -> Result<()> {
    let (mut agent, _sim) = simulated_agent(args.speed, args.gear, args.model.as_deref()).await?;
    let cards = agent.cards();
    if args.card != "none" && !cards.contains(&args.card.as_str()) {
        bail!(
            "--card {}: the model knows no such card; it knows none, {}",
            args.card,
            cards.join(", ")
        );
    }
    for said in &args.utterances {
        let (seat, utterance) = speaker(said, args.seat);
        let turn = agent
            .turn(utterance, seat, &args.screen, &args.card)
            .await?;
        if args.json {
            outln!("{}", turn_json(&turn));
        } else {
            outln!("{seat} said: {}", turn.transcript);
            outln!(
                "  plan: {} (confidence {:.2}, {:.1} ms)",
                turn.plan,
                turn.confidence,
                turn.plan_ms
            );
            for (path, value) in &turn.changes {
                outln!("  {path} = {value}");
            }
            outln!("  cockpit: {}", turn.reply);
        }
    }
    if !args.json && agent.next_due().is_some() {
        outln!(
            "(cockpit say ends here, before what was asked for later is due; \
             cockpit run does it when its time comes)"
        );
    }
    Ok(())
}

/// The seat that says `said` and what it says: "passenger: me too" is the passenger's, so a
/// conversation between seats can be written out; anything else is `default`'s.
fn speaker(said: &str, default: Seat) -> (Seat, &str) {
    match said.split_once(':') {
        Some((seat, words)) => match seat.parse() {
            Ok(seat) => (seat, words.trim()),
            Err(_) => (default, said),
        },
        None => (default, said),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_named_before_a_colon_says_the_words_after_it() {
        assert_eq!(
            speaker("passenger: me too", Seat::Driver),
            (Seat::Passenger, "me too")
        );
        assert_eq!(
            speaker("rear left:open my window", Seat::Driver),
            (Seat::RearLeft, "open my window")
        );
        assert_eq!(
            speaker("No: the sunroof", Seat::Driver),
            (Seat::Driver, "No: the sunroof")
        );
        assert_eq!(
            speaker("set an alarm for 7:30", Seat::Passenger),
            (Seat::Passenger, "set an alarm for 7:30")
        );
    }
}
