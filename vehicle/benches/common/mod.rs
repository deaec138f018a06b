//! What both decode benchmarks measure: the real logs of `tests/data` with their DBCs, and the
//! decoding work itself, so that the criterion numbers and the cantools comparison time the
//! same thing.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use vehicle::dbc::{Database, LogTables, SignalValue};
use vehicle::frame::CanFrame;
use vehicle::transport::{LogReader, parse_line};

/// A real log and the DBC that describes it.
pub struct RealLog {
    pub name: &'static str,
    pub dbc: PathBuf,
    pub log: PathBuf,
}

pub fn real_logs() -> Vec<RealLog> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    vec![
        RealLog {
            name: "rav4 (comma2k19, Toyota DBC)",
            dbc: data.join("opendbc/toyota_2017_ref_pt.dbc"),
            log: data.join("comma2k19/rav4_2018-08-02--08-34-47_seg40.candump.log"),
        },
        RealLog {
            name: "moteclog (chassis DBC)",
            dbc: data.join("moteclog-generator/sample_can_spec.dbc"),
            log: data.join("moteclog-generator/can_sample.log"),
        },
    ]
}

/// Every frame of the log, read once into memory.
pub fn frames(log: &Path) -> Vec<CanFrame> {
    LogReader::open(log)
        .expect("the real log opens")
        .map(|r| r.expect("the real logs have no bad lines").frame)
        .collect()
}

/// Decodes every frame of a known message (all its signals); returns how many were known.
/// `black_box` on each frame's values keeps the work from being optimised away without
/// adding work of its own (summing the values would cost as much as decoding them).
pub fn decode_all(db: &Database, frames: &[CanFrame], out: &mut Vec<SignalValue>) -> usize {
    let mut known = 0;
    for frame in frames {
        if let Some(message) = db.message_by_id(frame.id()) {
            message.decode_into(frame.data(), out);
            black_box(out.as_slice());
            known += 1;
        }
    }
    known
}

/// Decodes the whole log at once, message by message ([`Database::decode_log`]); returns how
/// many frames were of known messages.
pub fn decode_log(db: &Database, frames: &[CanFrame], tables: &mut LogTables) -> usize {
    db.decode_log_into(frames, tables);
    black_box(&*tables).frames_decoded()
}

/// Reads the log's text line by line and decodes every frame of a known message.
pub fn parse_and_decode_all(db: &Database, text: &str, out: &mut Vec<SignalValue>) -> usize {
    let mut known = 0;
    for line in text.lines() {
        let Ok(record) = parse_line(line) else {
            continue;
        };
        if let Some(message) = db.message_by_id(record.frame.id()) {
            message.decode_into(record.frame.data(), out);
            black_box(out.as_slice());
            known += 1;
        }
    }
    known
}
