//! cockpit's DBC codec against python `cantools` on real data: every decoded signal of a
//! sample of the real logs must agree to the last bit, raw and physical, and encoding random
//! values must give the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use cockpit_tests::{Rng, asset, cantools, data};
use serde_json::Value as Json;
use vehicle::dbc::{Database, Message, Raw, RawKind};
use vehicle::transport::LogReader;

/// Decodes every `every`-th line of `log` with both and compares; returns frames compared.
fn check_log(dbc: &Path, log: &Path, every: usize) -> usize {
    let db = Database::load(dbc).unwrap();
    let reference = cantools(
        &[
            "decode",
            &dbc.to_string_lossy(),
            &log.to_string_lossy(),
            &every.to_string(),
        ],
        "",
    );
    let mut expected: BTreeMap<usize, Option<serde_json::Map<String, Json>>> = BTreeMap::new();
    for line in reference.lines() {
        let record: Json = serde_json::from_str(line).unwrap();
        let number = record["line"].as_u64().unwrap() as usize;
        expected.insert(number, record["signals"].as_object().cloned());
    }
    assert!(
        !expected.is_empty(),
        "cantools decoded nothing of {}",
        log.display()
    );

    let mut compared = 0;
    let mut refused = 0;
    let mut out = Vec::new();
    for (index, record) in LogReader::open(log).unwrap().enumerate() {
        let number = index + 1;
        if (number - 1) % every != 0 {
            continue;
        }
        let record = record.unwrap();
        let mine = db.message_by_id(record.frame.id());
        assert_eq!(
            mine.is_some(),
            expected.contains_key(&number),
            "{}:{number}: cockpit and cantools disagree on whether the DBC knows {}",
            log.display(),
            record.frame.id()
        );
        let (Some(message), Some(theirs)) = (mine, expected.get(&number)) else {
            continue;
        };
        let Some(theirs) = theirs else {
            // cantools' codec cannot unpack overlapping signals; that must be the reason.
            assert!(
                !message.overlapping_signals().is_empty(),
                "{}:{number}: cantools refused {}, which has no overlapping signals",
                log.display(),
                message.name()
            );
            refused += 1;
            continue;
        };
        message.decode_into(record.frame.data(), &mut out);
        let mine: BTreeMap<&str, (Raw, f64)> = out
            .iter()
            .map(|v| (message.signals()[v.signal].name(), (v.raw, v.physical)))
            .collect();
        let their_names: Vec<&str> = theirs.keys().map(String::as_str).collect();
        let my_names: Vec<&str> = mine.keys().copied().collect();
        let mut sorted = their_names.clone();
        sorted.sort();
        assert_eq!(
            my_names,
            sorted,
            "{}:{number} {}: different signals",
            log.display(),
            message.name()
        );
        for (name, value) in theirs {
            let (raw, physical) = mine[name.as_str()];
            check_signal(
                message,
                name,
                raw,
                physical,
                value,
                &format!("{}:{number}", log.display()),
            );
        }
        compared += 1;
    }
    if refused > 0 {
        eprintln!(
            "{}: {refused} frames of messages with overlapping signals, which cantools cannot decode",
            log.display()
        );
    }
    compared
}

fn check_signal(message: &Message, name: &str, raw: Raw, physical: f64, theirs: &Json, at: &str) {
    let their_raw = &theirs[0];
    let their_physical = theirs[1].as_f64().unwrap();
    let raw_agrees = match raw {
        Raw::Unsigned(v) => their_raw.as_u64() == Some(v),
        Raw::Signed(v) => their_raw.as_i64() == Some(v),
        Raw::Float(v) => their_raw.as_f64().map(f64::to_bits) == Some(v.to_bits()),
    };
    assert!(
        raw_agrees,
        "{at} {}.{name}: raw {raw:?}, cantools {their_raw}",
        message.name()
    );
    assert_eq!(
        physical.to_bits(),
        their_physical.to_bits(),
        "{at} {}.{name}: physical {physical:?}, cantools {their_physical:?}",
        message.name()
    );
}

#[test]
fn the_rav4_log_decodes_like_cantools_with_each_toyota_dbc() {
    let log = data("comma2k19/rav4_2018-08-02--08-34-47_seg40.candump.log");
    for dbc in [
        "opendbc/toyota_2017_ref_pt.dbc",
        "opendbc/_toyota_2017.dbc",
        "opendbc/toyota_adas.dbc",
    ] {
        let compared = check_log(&data(dbc), &log, 3);
        eprintln!("{dbc}: {compared} frames agree with cantools");
        assert!(compared > 5_000, "{dbc}: only {compared} frames compared");
    }
}

#[test]
fn the_moteclog_log_decodes_like_cantools() {
    let compared = check_log(
        &data("moteclog-generator/sample_can_spec.dbc"),
        &data("moteclog-generator/can_sample.log"),
        2,
    );
    eprintln!("moteclog: {compared} frames agree with cantools");
    assert!(compared > 15_000);
}

/// Random physical values exactly on the signals' grids, for every signal active under a
/// random choice of the multiplexor.
fn random_values<'m>(message: &'m Message, rng: &mut Rng) -> Vec<(&'m str, f64)> {
    // Multiplexed messages: pick a switch value and set every signal it selects.
    let switch = message.signals().iter().position(|s| s.is_multiplexor());
    let switch_value = match switch {
        Some(index) => rng.below((message.signals()[index].physical_range().1 as u64).min(3) + 1),
        None => 0,
    };
    let mut probe = vec![0u8; message.length()];
    if let Some(index) = switch {
        message.signals()[index].write_raw(&mut probe, switch_value);
    }
    let active: Vec<usize> = message.decode(&probe).iter().map(|v| v.signal).collect();
    let mut values = Vec::new();
    for index in active {
        let signal = &message.signals()[index];
        let raw = if Some(index) == switch {
            switch_value as f64
        } else if matches!(signal.kind(), RawKind::Float32 | RawKind::Float64) {
            (rng.below(20_000) as f64 - 10_000.0) / 8.0
        } else {
            // A raw value whose physical value lies in the signal's declared range.
            let (min, max) = signal.physical_range();
            let (a, b) = (
                (min - signal.offset()) / signal.factor(),
                (max - signal.offset()) / signal.factor(),
            );
            let (lo, hi) = (
                a.min(b).ceil().max(-(2f64.powi(52))),
                a.max(b).floor().min(2f64.powi(52)),
            );
            lo + rng.below((hi - lo) as u64 + 1) as f64
        };
        values.push((signal.name(), raw * signal.factor() + signal.offset()));
    }
    values
}

#[test]
fn random_values_encode_to_the_same_bytes_as_cantools() {
    let mut rng = Rng::new(0x0C0C_0917);
    for path in [
        asset("vehicle/reference.dbc"),
        data("opendbc/toyota_adas.dbc"),
        data("opendbc/hyundai_2015_ccan.dbc"),
        data("opendbc/tesla_model3_vehicle.dbc"),
        data("opendbc/ford_cgea1_2_bodycan_2011.dbc"),
        data("moteclog-generator/sample_can_spec.dbc"),
    ] {
        let dbc = path.display();
        let db = Database::load(&path).unwrap();
        let mut requests = String::new();
        let mut mine = Vec::new();
        for message in db.messages() {
            for _ in 0..8 {
                let values = random_values(message, &mut rng);
                let signals: serde_json::Map<String, Json> = values
                    .iter()
                    .map(|(name, v)| (name.to_string(), serde_json::json!(v)))
                    .collect();
                requests.push_str(
                    &serde_json::json!({"message": message.name(), "signals": signals}).to_string(),
                );
                requests.push('\n');
                let encoded = message.encode(&values).unwrap();
                mine.push((message.name(), encoded, values));
            }
        }
        let theirs = cantools(&["encode", &path.to_string_lossy()], &requests);
        let theirs: Vec<&str> = theirs.lines().collect();
        assert_eq!(theirs.len(), mine.len());
        for ((name, encoded, values), their_hex) in mine.iter().zip(theirs) {
            let my_hex: String = encoded.iter().map(|b| format!("{b:02X}")).collect();
            assert_eq!(my_hex, their_hex, "{dbc} {name} {values:?}");
        }
        eprintln!("{dbc}: {} random encodings match cantools", mine.len());
    }
}
