//! cockpit's decoder against python cantools on the same real logs, timed in the same run:
//! frames per second for each and the ratio, for frames already in memory (every frame's id
//! looked up, every signal of the known ones decoded), frame by frame as the live car decodes
//! them and the whole log at once as `cockpit can decode --csv` does, and for reading the log
//! text and decoding frame by frame; and how many times over that keeps up with a saturated
//! CAN FD bus.
//!
//!     cargo bench -p vehicle --bench decode_vs_cantools
//!
//! cantools comes from the test set-up's Python (`.venv`, or COCKPIT_PYTHON); without it only
//! cockpit's figures are printed.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use vehicle::dbc::{Database, LogTables};

/// The most frames a CAN FD bus carries: short frames at 1 Mbit/s arbitration and 8 Mbit/s
/// data take about 40 µs each, so about 25,000 a second.
const SATURATED_CAN_FD_FRAMES_PER_S: f64 = 25_000.0;

/// Best of this many runs; each takes milliseconds, and the best is the one least disturbed
/// by the rest of the machine.
const RUNS: usize = 20;

fn best_of(mut f: impl FnMut()) -> f64 {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn python() -> Option<PathBuf> {
    let path = std::env::var_os("COCKPIT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"));
    path.exists().then_some(path)
}

struct Cantools {
    decoded: usize,
    parse_and_decode_s: f64,
    decode_only_s: f64,
}

fn cantools(python: &Path, dbc: &Path, log: &Path) -> Option<Cantools> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/python/cantools_ref.py");
    let output = Command::new(python)
        .arg(script)
        .arg("time")
        .arg(dbc)
        .arg(log)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "cantools failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    Some(Cantools {
        decoded: result["decoded"].as_u64()? as usize,
        parse_and_decode_s: result["parse_and_decode_s"].as_f64()?,
        decode_only_s: result["decode_only_s"].as_f64()?,
    })
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent; do the real work only
    // when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let python = python();
    if python.is_none() {
        println!(
            "cantools is not set up (run ./scripts/test.sh once): printing cockpit's figures only"
        );
    }
    for log in common::real_logs() {
        let db = Database::load(&log.dbc).expect("the DBC loads");
        let frames = common::frames(&log.log);
        let text = std::fs::read_to_string(&log.log).expect("the log reads");
        let mut out = Vec::with_capacity(64);
        let known = common::decode_all(&db, &frames, &mut out);
        let decode_s = best_of(|| {
            black_box(common::decode_all(&db, black_box(&frames), &mut out));
        });
        let mut tables = LogTables::default();
        assert_eq!(
            common::decode_log(&db, &frames, &mut tables),
            known,
            "both decoders know the same frames"
        );
        let log_s = best_of(|| {
            black_box(common::decode_log(&db, black_box(&frames), &mut tables));
        });
        let parse_s = best_of(|| {
            black_box(common::parse_and_decode_all(
                &db,
                black_box(&text),
                &mut out,
            ));
        });
        println!(
            "{}: {} frames, {known} of known messages",
            log.name,
            frames.len()
        );
        println!(
            "  cockpit   frames in memory: {:>11.0} frames/s   log text: {:>10.0} frames/s",
            frames.len() as f64 / decode_s,
            frames.len() as f64 / parse_s
        );
        println!(
            "  cockpit   whole log at once, by message: {:>11.0} frames/s",
            frames.len() as f64 / log_s
        );
        println!(
            "  cockpit keeps up with {:.0} saturated CAN FD buses (log text: {:.0}) on one core",
            frames.len() as f64 / decode_s / SATURATED_CAN_FD_FRAMES_PER_S,
            frames.len() as f64 / parse_s / SATURATED_CAN_FD_FRAMES_PER_S
        );
        let Some(reference) = python
            .as_deref()
            .and_then(|p| cantools(p, &log.dbc, &log.log))
        else {
            continue;
        };
        assert_eq!(
            reference.decoded, known,
            "cockpit and cantools know the same frames"
        );
        println!(
            "  cantools  frames in memory: {:>11.0} frames/s   log text: {:>10.0} frames/s",
            frames.len() as f64 / reference.decode_only_s,
            frames.len() as f64 / reference.parse_and_decode_s
        );
        println!(
            "  ratio cockpit/cantools: frames in memory {:.0}x (whole log at once {:.0}x), log text {:.0}x",
            reference.decode_only_s / decode_s,
            reference.decode_only_s / log_s,
            reference.parse_and_decode_s / parse_s
        );
    }
}
