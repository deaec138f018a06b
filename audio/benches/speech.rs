//! Speech recognition speed, memory and accuracy, for tiny.en in f16 and q8_0, on this
//! machine's two threads:
//! - a 3-second command (the first 3 s of jfk.wav) with the window trimmed to the utterance
//!   against Whisper's full 30-second window, and the ratio;
//! - the real-time factor on long audio (a minute of recorded prompts, full windows);
//! - the peak memory of a process that loads the model and transcribes the command;
//! - the word error rate on 200 recorded prompts with each window (fewer let one word move it
//!   by a point).
//!
//!     cargo bench -p audio --bench speech
//!
//! The models and recordings come from the test set-up (`scripts/setup.sh --test`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::Instant;

use audio::file::SPEECH_RATE;
use audio::models::WhisperModel;
use audio::wer::{edit_distance, normalize};
use audio::whisper::{AudioContext, Transcriber, TranscriberConfig};

const THREADS: usize = 2;
const RUNS: usize = 5;

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn wer(transcriber: &Transcriber, prompts: &[(String, String, Vec<f32>)]) -> f64 {
    let (mut errors, mut words) = (0, 0);
    for (_, reference, samples) in prompts {
        let heard = transcriber.transcribe(samples).expect("transcribes").text;
        errors += edit_distance(&normalize(reference), &normalize(&heard));
        words += normalize(reference).len();
    }
    errors as f64 / words as f64 * 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The memory figure comes from a process of its own, which loads one model and
    // transcribes the command: `speech --memory MODEL`.
    if let Some(at) = args.iter().position(|a| a == "--memory") {
        let model = if args.get(at + 1).map(String::as_str) == Some("f16") {
            WhisperModel::TinyEnF16
        } else {
            WhisperModel::TinyEnQ8
        };
        let transcriber = Transcriber::load(
            &common::models().whisper(model),
            TranscriberConfig::for_commands(THREADS),
        )
        .expect("loads");
        let command = &common::jfk()[..3 * SPEECH_RATE as usize];
        transcriber.transcribe(command).expect("transcribes");
        println!("{}", peak_memory_mb());
        return;
    }
    // `cargo test --benches` runs this without --bench: nothing to measure then.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let jfk = common::jfk();
    let command = &jfk[..3 * SPEECH_RATE as usize];
    let prompts = common::recorded_prompts(200);
    let mut long = Vec::new();
    for (_, _, samples) in &prompts {
        long.extend_from_slice(samples);
        long.extend(std::iter::repeat_n(0.0, SPEECH_RATE as usize / 2));
        if long.len() >= 60 * SPEECH_RATE as usize {
            break;
        }
    }
    let long_seconds = long.len() as f64 / f64::from(SPEECH_RATE);

    for (label, model, flag) in [
        ("tiny.en f16", WhisperModel::TinyEnF16, "f16"),
        ("tiny.en q8_0", WhisperModel::TinyEnQ8, "q8_0"),
    ] {
        let path = common::models().whisper(model);
        let size_mb = std::fs::metadata(&path)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(f64::NAN);
        let trimmed =
            Transcriber::load(&path, TranscriberConfig::for_commands(THREADS)).expect("loads");
        let mut full_config = TranscriberConfig::for_commands(THREADS);
        full_config.audio_context = AudioContext::Full;
        let full = Transcriber::load(&path, full_config).expect("loads");
        let heard = trimmed.transcribe(command).expect("transcribes").text;
        let trimmed_ms = median_ms(|| {
            trimmed.transcribe(command).expect("transcribes");
        });
        let full_ms = median_ms(|| {
            full.transcribe(command).expect("transcribes");
        });
        let long_form =
            Transcriber::load(&path, TranscriberConfig::for_long_audio(THREADS)).expect("loads");
        let started = Instant::now();
        long_form.transcribe(&long).expect("transcribes");
        let rtf = started.elapsed().as_secs_f64() / long_seconds;
        let memory = Command::new(&args[0])
            .args(["--memory", flag])
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse::<f64>().ok())
            .unwrap_or(f64::NAN);
        println!("{label} ({size_mb:.1} MB):");
        println!(
            "  3 s command {heard:?}: trimmed window {trimmed_ms:.0} ms, full window {full_ms:.0} ms: {:.1}x faster",
            full_ms / trimmed_ms
        );
        println!(
            "  long audio ({long_seconds:.0} s of recorded prompts): real-time factor {rtf:.3}"
        );
        println!("  peak memory, loading and transcribing a command: {memory:.0} MB");
        println!(
            "  word error rate on 200 recorded prompts: trimmed window {:.1} %, full window {:.1} %",
            wer(&trimmed, &prompts),
            wer(&full, &prompts)
        );
    }
}
