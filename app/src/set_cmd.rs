//! `cockpit set PATH VALUE`: one actuation end to end, through the safety policy, the bus and
//! the car, and what the car then reports.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use serde_json::json;
use tokio::time::Instant;
use vehicle::catalog::EntryType;
use vehicle::{
    Actuator, CarDefinition, Drive, Dynamics, Gear, Outcome, SimCar, Value, VehicleState,
};

use crate::car::{Endpoints, load_car};
use crate::cli::{Bus, SetArgs};

/// How long to wait for the car's first status frames before acting.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The exit codes `cockpit set --help` documents.
const EXIT_REFUSED: u8 = 3;
const EXIT_NOT_CONFIRMED: u8 = 4;

pub async fn run(args: &SetArgs) -> Result<ExitCode> {
    let car = Arc::new(load_car(&args.car)?);
    let Some(metadata) = car.catalog().get(&args.path) else {
        bail!(
            "{} is not a signal of this car; `cockpit signals` lists them{}",
            args.path,
            suggestion(&car, &args.path)
        );
    };
    if metadata.entry_type() != EntryType::Actuator {
        bail!(
            "{} is a sensor: the car reports it, nobody sets it",
            args.path
        );
    }
    let value = metadata.parse(&args.value)?;
    let drive = match &args.can {
        Bus::Virtual => {
            let speed = args.speed.unwrap_or(0.0);
            if !(0.0..=400.0).contains(&speed) {
                bail!("--speed {speed} is not between 0 and 400 km/h");
            }
            let gear = args
                .gear
                .unwrap_or(if speed > 0.0 { Gear::Drive } else { Gear::Park });
            if gear == Gear::Park && speed > 0.0 {
                bail!("the car cannot move in park: give --gear D with --speed");
            }
            Some(Drive::constant(speed, gear))
        }
        Bus::Interface(name) if args.speed.is_some() || args.gear.is_some() => {
            bail!("--speed and --gear drive the simulated car; on {name} the car reports its own")
        }
        Bus::Interface(_) => None,
    };
    let endpoints = Endpoints::open(&args.can)?;
    let _sim = match drive {
        Some(drive) => Some(SimCar::spawn(
            car.clone(),
            endpoints.endpoint()?,
            drive,
            Dynamics::reference(&car),
        )),
        None => None,
    };
    let state = VehicleState::spawn(car.clone(), endpoints.endpoint()?);
    let reported: Vec<&str> = car.reported_paths().collect();
    let missing = state.wait_for_paths(&reported, READY_TIMEOUT).await;
    if missing.len() == reported.len() {
        bail!(
            "no status frame from the car on {} within {} s: is it on the bus?",
            endpoints.name(),
            READY_TIMEOUT.as_secs()
        );
    }
    let before = actuators(&car, &state);
    let actuator = Actuator::new(car.clone(), endpoints.endpoint()?, state.clone());
    let situation = actuator.situation();
    let started = Instant::now();
    let outcome = actuator.set(args.seat, &args.path, value.clone()).await;
    let seconds = started.elapsed().as_secs_f64();
    let after = actuators(&car, &state);
    let changes: BTreeMap<&String, &Value> = after
        .iter()
        .filter(|(path, v)| before.get(*path) != Some(v))
        .collect();

    if args.json {
        outln!(
            "{}",
            json!({
                "path": args.path,
                "requested": value,
                "seat": args.seat,
                "situation": { "speed_kmh": situation.speed_kmh, "gear": situation.gear.map(|g| g.letter()) },
                "result": outcome,
                "changes": changes,
                "seconds": seconds,
            })
        );
    } else {
        outln!("{} asks {} = {value} ({situation})", args.seat, args.path);
        outln!("{}", describe(&outcome, seconds));
        for (path, value) in changes.iter().filter(|(p, _)| p.as_str() != args.path) {
            outln!("  also changed: {path} = {value}");
        }
    }
    Ok(match outcome {
        Outcome::Confirmed { .. } | Outcome::Clamped { .. } => ExitCode::SUCCESS,
        Outcome::Refused { .. } => ExitCode::from(EXIT_REFUSED),
        Outcome::NotConfirmed { .. } | Outcome::Superseded { .. } => {
            ExitCode::from(EXIT_NOT_CONFIRMED)
        }
        Outcome::Failed { message, .. } => bail!("{message}"),
    })
}

/// The actuators' reported values.
fn actuators(car: &CarDefinition, state: &VehicleState) -> BTreeMap<String, Value> {
    car.catalog()
        .entries()
        .filter(|m| m.entry_type() == EntryType::Actuator)
        .filter_map(|m| Some((m.path().to_owned(), state.value(m.path())?)))
        .collect()
}

/// One line on what became of the request.
pub fn describe(outcome: &Outcome, waited: f64) -> String {
    match outcome {
        Outcome::Confirmed { value, seconds, .. } => {
            format!("confirmed: the car reports {value} after {seconds:.2} s")
        }
        Outcome::Clamped {
            requested,
            value,
            seconds,
            ..
        } => {
            format!(
                "confirmed at the limit: {requested} is out of range, the car reports {value} after {seconds:.2} s"
            )
        }
        Outcome::Refused { reason, .. } => format!("refused, nothing sent: {reason}"),
        Outcome::Superseded { reported, .. } => format!(
            "replaced by a later command while the car reported {}",
            reported
                .as_ref()
                .map_or("nothing".to_owned(), |v| v.to_string())
        ),
        Outcome::NotConfirmed {
            commanded,
            reported,
            ..
        } => format!(
            "not confirmed: sent {commanded}, the car still reports {} after {waited:.2} s",
            reported
                .as_ref()
                .map_or("nothing".to_owned(), |v| v.to_string())
        ),
        Outcome::Failed { message, .. } => format!("failed: {message}"),
    }
}

/// " (did you mean X?)" for a path that differs from a catalog path only in case or in its
/// first segments.
fn suggestion(car: &CarDefinition, path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
    let candidates: Vec<&str> = car
        .catalog()
        .entries()
        .map(|m| m.path())
        .filter(|p| {
            p.eq_ignore_ascii_case(path) || p.to_ascii_lowercase().ends_with(&format!(".{last}"))
        })
        .take(3)
        .collect();
    if candidates.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", candidates.join(" or "))
    }
}
