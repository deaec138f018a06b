//! `cockpit sim`: the simulated car on a bus, its state printed as the status frames report it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::time::Instant;
use vehicle::catalog::EntryType;
use vehicle::transport::{FrameStream, LogRecord, LogWriter};
use vehicle::{CanTransport, CarDefinition, Dynamics, SimCar, Value, VehicleState};

use crate::car::{Endpoints, load_car, load_drive};
use crate::cli::SimArgs;

/// How often the driving situation is printed.
const STATUS_EVERY: Duration = Duration::from_secs(1);
/// How often actuator changes are gathered: a moving window prints a few lines a second,
/// not one per status frame.
const CHANGES_EVERY: Duration = Duration::from_millis(250);

pub async fn run(args: &SimArgs) -> Result<()> {
    let car = Arc::new(load_car(&args.car)?);
    let drive = load_drive(&args.drive)?;
    let endpoints = Endpoints::open(&args.can)?;
    let dynamics = Dynamics::reference(&car);
    let sim = SimCar::spawn(car.clone(), endpoints.endpoint()?, drive, dynamics);
    let state = VehicleState::spawn(car.clone(), endpoints.endpoint()?);
    let recorder = match &args.record {
        Some(path) => {
            let writer = LogWriter::create(path)
                .with_context(|| format!("cannot create log {}", path.display()))?;
            Some(tokio::spawn(record(
                endpoints.endpoint()?,
                writer,
                endpoints.name().to_owned(),
            )))
        }
        None => None,
    };
    let reported: Vec<&str> = car.reported_paths().collect();
    let missing = state
        .wait_for_paths(&reported, Duration::from_secs(2))
        .await;
    if !missing.is_empty() {
        tracing::warn!("not reported yet: {}", missing.join(", "));
    }
    outln!(
        "simulated car on the {} bus, drive {:?}{}; Ctrl-C stops",
        endpoints.name(),
        args.drive,
        args.duration
            .map(|s| format!(" for {s} s"))
            .unwrap_or_default()
    );

    let started = Instant::now();
    let deadline = args
        .duration
        .map(|s| started + Duration::from_secs_f64(s.max(0.0)));
    let mut status_tick = tokio::time::interval(STATUS_EVERY);
    let mut change_tick = tokio::time::interval(CHANGES_EVERY);
    let mut shown: BTreeMap<String, Option<Value>> = BTreeMap::new();
    let mut ctrl_c = crate::interrupt::ctrl_c();
    loop {
        let until_deadline = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = &mut ctrl_c => break,
            _ = until_deadline => break,
            _ = status_tick.tick() => outln!("{}", situation_line(&state, started.elapsed())),
            _ = change_tick.tick() => print_changes(&car, &state, &mut shown, started.elapsed()),
        }
    }
    let stats = sim.stop().await;
    if let Some(recorder) = recorder {
        recorder.abort();
    }
    let state_stats = state.stats();
    outln!(
        "stopped after {:.1} s: {} status frames sent, {} commands taken, {} dropped (CRC {}, repeated {}, out of sequence {}); \
         {} status frames decoded, {} rejected",
        started.elapsed().as_secs_f64(),
        stats.status_frames,
        stats.commands,
        stats.bad_crc + stats.repeated + stats.out_of_sequence,
        stats.bad_crc,
        stats.repeated,
        stats.out_of_sequence,
        state_stats.decoded,
        state_stats.rejected,
    );
    Ok(())
}

fn number(state: &VehicleState, path: &str) -> Option<f64> {
    state.value(path).and_then(|v| v.as_f64())
}

/// Speed, gear, temperatures and battery on one line.
pub fn situation_line(state: &VehicleState, elapsed: Duration) -> String {
    let show = |value: Option<f64>, places: usize, unit: &str| match value {
        Some(v) => format!("{v:.places$} {unit}"),
        None => "unknown".to_owned(),
    };
    let gear = number(state, "Vehicle.Powertrain.Transmission.SelectedGear")
        .and_then(|g| vehicle::Gear::from_vss(g as i64))
        .map_or("?".to_owned(), |g| g.to_string());
    format!(
        "{:7.1} s  {gear}  {:>10}  cabin {}  outside {}  battery {}  range {}",
        elapsed.as_secs_f64(),
        show(number(state, "Vehicle.Speed"), 1, "km/h"),
        show(
            number(state, "Vehicle.Cabin.HVAC.AmbientAirTemperature"),
            1,
            "°C"
        ),
        show(number(state, "Vehicle.Exterior.AirTemperature"), 1, "°C"),
        show(
            number(
                state,
                "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
            ),
            1,
            "%"
        ),
        show(
            number(state, "Vehicle.Powertrain.Range").map(|m| m / 1000.0),
            0,
            "km"
        ),
    )
}

/// Prints every actuator whose reported value changed since the last call.
fn print_changes(
    car: &CarDefinition,
    state: &VehicleState,
    shown: &mut BTreeMap<String, Option<Value>>,
    elapsed: Duration,
) {
    for metadata in car
        .catalog()
        .entries()
        .filter(|m| m.entry_type() == EntryType::Actuator)
    {
        let Some(point) = state.get(metadata.path()) else {
            continue;
        };
        let previous = shown.insert(metadata.path().to_owned(), point.value.clone());
        match previous {
            // The first report is the start state, not a change.
            None => {}
            Some(before) if before != point.value => {
                let show =
                    |v: &Option<Value>| v.as_ref().map_or("unknown".to_owned(), |v| v.to_string());
                let unit = metadata.unit().unwrap_or("");
                outln!(
                    "{:7.1} s  {}  {} → {} {unit}",
                    elapsed.as_secs_f64(),
                    metadata.path(),
                    show(&before),
                    show(&point.value)
                );
            }
            Some(_) => {}
        }
    }
}

async fn record(
    endpoint: Arc<dyn CanTransport>,
    mut writer: LogWriter<std::io::BufWriter<std::fs::File>>,
    interface: String,
) {
    let mut frames = FrameStream::spawn(endpoint);
    while let Some(received) = frames.recv().await {
        let Ok(timed) = received else { continue };
        let record = LogRecord {
            timestamp_us: timed.timestamp_us,
            interface: interface.clone(),
            frame: timed.frame,
        };
        // Flushing per frame keeps the log whole when the command is stopped at any moment;
        // the simulated car sends about a hundred frames a second, which this easily keeps up with.
        if writer.write(&record).and_then(|()| writer.flush()).is_err() {
            return;
        }
    }
}
