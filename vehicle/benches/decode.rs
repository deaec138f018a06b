//! Criterion benchmark: decoding the real logs, every signal of every known message, in
//! frames per second (criterion's "thrpt", elements = frames of the log).
//!
//!     cargo bench -p vehicle --bench decode

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vehicle::dbc::{Database, LogTables};

fn decode(c: &mut Criterion) {
    for log in common::real_logs() {
        let db = Database::load(&log.dbc).expect("the DBC loads");
        let frames = common::frames(&log.log);
        let text = std::fs::read_to_string(&log.log).expect("the log reads");
        let mut out = Vec::with_capacity(64);
        let mut group = c.benchmark_group(log.name);
        group.throughput(Throughput::Elements(frames.len() as u64));
        group.bench_function("decode frames in memory", |b| {
            b.iter(|| black_box(common::decode_all(&db, black_box(&frames), &mut out)))
        });
        let mut tables = LogTables::default();
        group.bench_function("decode the whole log at once, by message", |b| {
            b.iter(|| black_box(common::decode_log(&db, black_box(&frames), &mut tables)))
        });
        group.bench_function("read log text and decode", |b| {
            b.iter(|| {
                black_box(common::parse_and_decode_all(
                    &db,
                    black_box(&text),
                    &mut out,
                ))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
