//! `cockpit can decode | replay | record`: the bench tools for CAN logs and interfaces.

use std::io::{self, BufWriter, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value as Json, json};
use tokio::time::Instant;
use vehicle::dbc::Message;
use vehicle::mapping::StatusReceivers;
use vehicle::transport::{
    FrameStream, LogReader, LogRecord, LogTransport, LogWriter, Pacing, SocketCan, TransportError,
};
use vehicle::{CanTransport, CarDefinition};

use crate::car::{Endpoints, load_car, load_database};
use crate::cli::{Bus, DecodeArgs, RecordArgs, ReplayArgs, Speed};

/// Writes to stdout; a closed pipe (`cockpit can decode log | head`) ends the command quietly.
fn write_out(out: &mut impl Write, text: std::fmt::Arguments) -> Result<bool> {
    match out.write_fmt(text) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Decimal places that show a signal's resolution: factor 0.1 gives one, 0.25 two.
pub(crate) fn decimals(message: &Message, signal: usize) -> usize {
    let s = &message.signals()[signal];
    let of = |x: f64| -> usize {
        if x == 0.0 || x.fract() == 0.0 {
            return 0;
        }
        let mut places = 0;
        let mut scaled = x.abs();
        while places < 9 && (scaled - scaled.round()).abs() > 1e-9 * scaled.max(1.0) {
            scaled *= 10.0;
            places += 1;
        }
        places
    };
    of(s.factor()).max(of(s.offset()))
}

pub fn decode(args: &DecodeArgs) -> Result<()> {
    if let Some(dir) = &args.csv {
        return crate::can_csv::write(args, dir);
    }
    let database = load_database(&args.car)?;
    // VSS names come with a mapping: the reference car's unless another DBC is given alone.
    let car: Option<CarDefinition> = match (&args.car.dbc, &args.car.mapping) {
        (Some(_), None) => None,
        _ => Some(load_car(&args.car)?),
    };
    let reader = LogReader::open(&args.log)
        .with_context(|| format!("cannot open CAN log {}", args.log.display()))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut receivers = StatusReceivers::default();
    let (mut frames, mut decoded, mut bad) = (0u64, 0u64, 0u64);
    let mut values = Vec::new();
    for record in reader {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                eprintln!("warning: {e}");
                bad += 1;
                continue;
            }
        };
        if args
            .interface
            .as_deref()
            .is_some_and(|want| want != record.interface)
        {
            continue;
        }
        frames += 1;
        let message = database
            .message_by_id(record.frame.id())
            .filter(|_| record.frame.is_data());
        if message.is_some() {
            decoded += 1;
        } else if args.known_only {
            continue;
        }
        let mut vss = Vec::new();
        if let Some(car) = &car {
            car.decode_status(&record.frame, &mut receivers, |path, value| {
                vss.push((path.to_owned(), value))
            });
        }
        let keep_going = if args.json {
            print_json(&mut out, &record, message, &mut values, &vss)?
        } else {
            print_text(&mut out, &record, message, &mut values, &vss)?
        };
        if !keep_going {
            return Ok(());
        }
    }
    out.flush().or_else(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    if frames == 0 && bad > 0 {
        bail!(
            "{} holds no readable frame: it is not a candump log (`candump -l` format)",
            args.log.display()
        );
    }
    eprintln!(
        "{frames} frames, {decoded} described by {}, {bad} bad lines skipped",
        database.source().display()
    );
    Ok(())
}

fn print_text(
    out: &mut impl Write,
    record: &LogRecord,
    message: Option<&Message>,
    values: &mut Vec<vehicle::dbc::SignalValue>,
    vss: &[(String, Option<vehicle::Value>)],
) -> Result<bool> {
    let Some(message) = message else {
        return write_out(out, format_args!("{record}\n"));
    };
    let mut line = format!(
        "({}.{:06}) {} {} {}",
        record.timestamp_us / 1_000_000,
        record.timestamp_us % 1_000_000,
        record.interface,
        record.frame.id(),
        message.name()
    );
    message.decode_into(record.frame.data(), values);
    for value in values.iter() {
        let signal = &message.signals()[value.signal];
        let places = decimals(message, value.signal);
        line.push_str(&format!(
            "  {}={:.*}",
            signal.name(),
            places,
            value.physical
        ));
        if let Some(label) = signal.choice(value.raw) {
            line.push_str(&format!(" ({label})"));
        } else if !signal.unit().is_empty() {
            line.push_str(&format!(" {}", signal.unit()));
        }
    }
    for (path, value) in vss {
        match value {
            Some(v) => line.push_str(&format!("  [{path} = {v}]")),
            None => line.push_str(&format!("  [{path} unknown]")),
        }
    }
    line.push('\n');
    write_out(out, format_args!("{line}"))
}

fn print_json(
    out: &mut impl Write,
    record: &LogRecord,
    message: Option<&Message>,
    values: &mut Vec<vehicle::dbc::SignalValue>,
    vss: &[(String, Option<vehicle::Value>)],
) -> Result<bool> {
    let mut object = Map::new();
    object.insert("t".into(), json!(record.timestamp_us as f64 / 1e6));
    object.insert("interface".into(), json!(record.interface));
    object.insert("id".into(), json!(record.frame.id().to_string()));
    object.insert(
        "data".into(),
        json!(
            record
                .frame
                .data()
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<String>()
        ),
    );
    object.insert(
        "message".into(),
        message.map_or(Json::Null, |m| json!(m.name())),
    );
    if let Some(message) = message {
        message.decode_into(record.frame.data(), values);
        let mut signals = Map::new();
        let mut labels = Map::new();
        for value in values.iter() {
            let signal = &message.signals()[value.signal];
            signals.insert(signal.name().into(), json!(value.physical));
            if let Some(label) = signal.choice(value.raw) {
                labels.insert(signal.name().into(), json!(label));
            }
        }
        object.insert("signals".into(), Json::Object(signals));
        if !labels.is_empty() {
            object.insert("labels".into(), Json::Object(labels));
        }
    }
    if !vss.is_empty() {
        let map: Map<String, Json> = vss.iter().map(|(p, v)| (p.clone(), json!(v))).collect();
        object.insert("vss".into(), Json::Object(map));
    }
    write_out(out, format_args!("{}\n", Json::Object(object)))
}

pub async fn replay(args: &ReplayArgs) -> Result<()> {
    let pacing = match args.speed {
        Speed::Max => Pacing::AsFastAsPossible,
        Speed::Factor(f) => Pacing::Factor(f),
    };
    let log = LogTransport::open(&args.log, pacing, args.interface.as_deref())
        .with_context(|| format!("cannot open CAN log {}", args.log.display()))?;
    let endpoints = Endpoints::open(&args.to)?;
    let target = endpoints.endpoint()?;
    // On the in-process bus nobody else listens, so show what travels, as candump would.
    let printer = match args.to {
        Bus::Virtual => Some(tokio::spawn(print_bus(endpoints.endpoint()?))),
        Bus::Interface(_) => None,
    };
    let started = Instant::now();
    let sent = log.replay_into(&*target).await?;
    let skipped = log.skipped_lines().await;
    if let Some(printer) = printer {
        // Let the printer catch up with the last frames before stopping it.
        tokio::time::sleep(Duration::from_millis(50)).await;
        printer.abort();
    }
    eprintln!(
        "replayed {sent} frames onto {} in {:.1} s, {skipped} bad lines skipped",
        endpoints.name(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn print_bus(endpoint: Arc<dyn CanTransport>) {
    let name = endpoint.name().to_owned();
    let mut frames = FrameStream::spawn(endpoint);
    while let Some(received) = frames.recv().await {
        let line = match received {
            Ok(timed) => format!(
                "({}.{:06}) {name} {}\n",
                timed.timestamp_us / 1_000_000,
                timed.timestamp_us % 1_000_000,
                timed.frame
            ),
            Err(TransportError::Overrun { lost, .. }) => {
                format!("# {lost} frames not shown: the terminal is slower than the bus\n")
            }
            Err(_) => return,
        };
        if io::stdout().write_all(line.as_bytes()).is_err() {
            return;
        }
    }
}

pub async fn record(args: &RecordArgs) -> Result<()> {
    let socket: Arc<dyn CanTransport> = Arc::new(SocketCan::open(&args.interface)?);
    let mut writer = LogWriter::create(&args.output)
        .with_context(|| format!("cannot create log {}", args.output.display()))?;
    let mut frames = FrameStream::spawn(socket);
    let deadline = args
        .duration
        .map(|s| Instant::now() + Duration::from_secs_f64(s.max(0.0)));
    let mut n = 0u64;
    eprintln!(
        "recording {} to {} (Ctrl-C stops)",
        args.interface,
        args.output.display()
    );
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
            received = frames.recv() => match received {
                Some(Ok(timed)) => {
                    writer.write(&LogRecord { timestamp_us: timed.timestamp_us, interface: args.interface.clone(), frame: timed.frame })?;
                    n += 1;
                }
                Some(Err(TransportError::Overrun { lost, .. })) => eprintln!("warning: {lost} frames lost (receiver overrun)"),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
        }
    }
    writer.flush()?;
    eprintln!("recorded {n} frames to {}", args.output.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_scaling() {
        let db = vehicle::reference::database();
        let drive = db.message_by_name("VCU_DriveStatus").unwrap();
        let speed = drive.signal_index("VehicleSpeed").unwrap();
        assert_eq!(decimals(drive, speed), 2);
        let temps = db.message_by_name("HVAC_Temperatures").unwrap();
        assert_eq!(decimals(temps, 0), 1);
        let bms = db.message_by_name("BMS_Status").unwrap();
        assert_eq!(
            decimals(bms, bms.signal_index("EstimatedRange").unwrap()),
            0
        );
    }
}
