//! `cockpit demo`: the simulated reference car on the in-process bus, driven through the demo
//! drive while a script of occupants' requests goes through the safety policy; a play-by-play
//! on the terminal and a summary at the end.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::time::Instant;
use vehicle::policy::Situation;
use vehicle::{Actuator, Dynamics, Outcome, Seat, SimCar, Value, VirtualBus, reference};

use crate::car::{load_drive, simulated_car_state};
use crate::cli::DemoArgs;
use crate::set_cmd::describe;
use crate::sim_cmd::situation_line;

const SCRIPT: &str = include_str!("../../assets/demo/script.toml");

/// How often the driving situation is printed between requests.
const STATUS_EVERY: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptFile {
    drive: String,
    request: Vec<RequestFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestFile {
    at: f64,
    seat: Seat,
    note: String,
    set: BTreeMap<String, toml::Value>,
}

struct Request {
    at: Duration,
    seat: Seat,
    note: String,
    changes: Vec<(String, Value)>,
}

/// What the request tasks report: a request made, then its outcome.
enum Event {
    Asked {
        request: usize,
        situation: Situation,
    },
    Done {
        request: usize,
        outcomes: Vec<Outcome>,
        seconds: f64,
    },
}

fn parse_script(text: &str, source: &Path) -> Result<(String, Vec<Request>)> {
    let file: ScriptFile = toml::from_str(text)
        .with_context(|| format!("demo script {} is malformed", source.display()))?;
    let catalog = reference::catalog();
    let mut requests = Vec::new();
    for (n, r) in file.request.into_iter().enumerate() {
        if !r.at.is_finite() || r.at < 0.0 {
            bail!(
                "demo script {}: request {}: `at` must be seconds from the start",
                source.display(),
                n + 1
            );
        }
        let mut changes = Vec::new();
        for (path, value) in r.set {
            if catalog.get(&path).is_none() {
                bail!(
                    "demo script {}: request {}: {path} is not in the signal catalog",
                    source.display(),
                    n + 1
                );
            }
            let value = match value {
                toml::Value::Boolean(b) => Value::Bool(b),
                toml::Value::Integer(i) => Value::Int(i),
                toml::Value::Float(f) => Value::Float(f),
                toml::Value::String(s) => Value::String(s),
                other => bail!(
                    "demo script {}: request {}: {path} = {other} is not a value",
                    source.display(),
                    n + 1
                ),
            };
            changes.push((path, value));
        }
        requests.push(Request {
            at: Duration::from_secs_f64(r.at),
            seat: r.seat,
            note: r.note,
            changes,
        });
    }
    requests.sort_by_key(|r| r.at);
    Ok((file.drive, requests))
}

pub async fn run(args: &DemoArgs) -> Result<()> {
    let (drive_name, requests) = match &args.script {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read demo script {}", path.display()))?;
            parse_script(&text, path)?
        }
        None => parse_script(SCRIPT, Path::new("assets/demo/script.toml"))?,
    };
    let drive = load_drive(&drive_name)?;
    let car = Arc::new(reference::car_definition());
    let bus = VirtualBus::new("virtual");
    let sim = SimCar::spawn(
        car.clone(),
        Arc::new(bus.endpoint()),
        drive.clone(),
        Dynamics::reference(&car),
    );
    let state = simulated_car_state(&car, Arc::new(bus.endpoint())).await?;
    let actuator = Arc::new(Actuator::new(
        car.clone(),
        Arc::new(bus.endpoint()),
        state.clone(),
    ));

    let last_request = requests.last().map(|r| r.at).unwrap_or_default();
    let total = drive.duration().max(last_request) + Duration::from_secs(4);
    outln!(
        "cockpit demo: the simulated reference car ({} signals) on the in-process CAN bus, drive {drive_name:?}, {} requests over {:.0} s{}",
        car.reported_paths().count(),
        requests.len(),
        total.as_secs_f64(),
        if args.fast {
            ", on a simulated clock"
        } else {
            ""
        }
    );
    outln!(
        "every request passes the safety policy, goes out as E2E-protected command frames, and counts as done only when the car's status frames report it\n"
    );

    let start = Instant::now();
    let (events_tx, mut events) = mpsc::channel::<Event>(2 * requests.len().max(1));
    for (index, request) in requests.iter().enumerate() {
        let actuator = actuator.clone();
        let events = events_tx.clone();
        let (at, seat, changes) = (request.at, request.seat, request.changes.clone());
        tokio::spawn(async move {
            tokio::time::sleep_until(start + at).await;
            let situation = actuator.situation();
            // The receiver outlives every request task, so a send fails only when the demo
            // was interrupted and nobody reads the results any more.
            let _ = events
                .send(Event::Asked {
                    request: index,
                    situation,
                })
                .await;
            let began = Instant::now();
            let outcomes = actuator.apply(seat, &changes).await;
            let seconds = began.elapsed().as_secs_f64();
            let _ = events
                .send(Event::Done {
                    request: index,
                    outcomes,
                    seconds,
                })
                .await;
        });
    }
    drop(events_tx);

    let mut results: Vec<(Vec<Outcome>, f64)> = Vec::new();
    let mut status = tokio::time::interval(STATUS_EVERY);
    let end = start + total;
    let mut open = true;
    let mut ctrl_c = crate::interrupt::ctrl_c();
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(end), if !open => break,
            _ = &mut ctrl_c => { outln!("interrupted"); break }
            _ = status.tick() => outln!("{}", situation_line(&state, start.elapsed())),
            event = events.recv(), if open => match event {
                // Every request task has ended.
                None => open = false,
                Some(Event::Asked { request, situation }) => {
                    let r = &requests[request];
                    outln!("{:7.1} s  {} asks: {}  ({situation})", start.elapsed().as_secs_f64(), r.seat, r.note);
                }
                Some(Event::Done { request, outcomes, seconds }) => {
                    print_outcomes(&requests[request], &outcomes, seconds, start.elapsed());
                    results.push((outcomes, seconds));
                }
            },
        }
    }
    let sim_stats = sim.stop().await;
    summary(&results, sim_stats, state.stats());
    Ok(())
}

fn print_outcomes(request: &Request, outcomes: &[Outcome], seconds: f64, now: Duration) {
    for outcome in outcomes {
        let mark = match outcome {
            Outcome::Confirmed { .. } | Outcome::Clamped { .. } => "ok",
            Outcome::Refused { .. } => "REFUSED",
            _ => "FAILED",
        };
        outln!(
            "{:7.1} s    {mark:<7} {} ({}): {}",
            now.as_secs_f64(),
            outcome.path(),
            request.seat,
            describe(outcome, seconds)
        );
    }
}

fn summary(
    results: &[(Vec<Outcome>, f64)],
    sim: vehicle::sim::SimStats,
    state: vehicle::state::StateStats,
) {
    let outcomes: Vec<&Outcome> = results.iter().flat_map(|(o, _)| o).collect();
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let confirmed = count(|o| matches!(o, Outcome::Confirmed { .. }));
    let clamped = count(|o| matches!(o, Outcome::Clamped { .. }));
    let refused = count(|o| matches!(o, Outcome::Refused { .. }));
    let unconfirmed = count(|o| matches!(o, Outcome::NotConfirmed { .. } | Outcome::Failed { .. }));
    let mut times: Vec<f64> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Confirmed { seconds, .. } | Outcome::Clamped { seconds, .. } => Some(*seconds),
            _ => None,
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let percentile = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    outln!(
        "\nsummary: {} requests, {} changes asked:",
        results.len(),
        outcomes.len()
    );
    outln!(
        "  {confirmed} confirmed by the car, {clamped} confirmed at the range limit, {refused} refused by the policy, {unconfirmed} not confirmed"
    );
    outln!(
        "  command to confirmation by the car's status: median {:.2} s, slowest {:.2} s (windows and the boot move for seconds)",
        percentile(0.5),
        percentile(1.0)
    );
    outln!(
        "  bus: {} command frames taken by the ECUs, {} dropped by their E2E checks; {} status frames sent, {} decoded by the head unit, {} rejected",
        sim.commands,
        sim.bad_crc + sim.repeated + sim.out_of_sequence,
        sim.status_frames,
        state.decoded,
        state.rejected
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_script_is_valid() {
        let (drive, requests) = parse_script(SCRIPT, Path::new("script.toml")).unwrap();
        assert_eq!(drive, "demo");
        assert!(requests.len() >= 15);
        assert!(requests.iter().any(|r| r.seat == Seat::Passenger));
    }

    #[test]
    fn scripts_naming_unknown_signals_are_refused() {
        let text = "drive = \"demo\"\n[[request]]\nat = 1.0\nseat = \"driver\"\nnote = \"x\"\nset = { \"Vehicle.Warp\" = 9 }\n";
        let err = parse_script(text, Path::new("s.toml")).err().unwrap();
        assert_eq!(
            err.to_string(),
            "demo script s.toml: request 1: Vehicle.Warp is not in the signal catalog"
        );
    }
}
