//! Speech against real recordings and the real models: the converted Whisper models transcribe
//! known recordings, cockpit's own voices come back as what they said, and silence, noise and
//! music come back as nothing. The models and recordings come from the test set-up
//! (`scripts/setup.sh --test`).

mod common;

use std::path::Path;

use audio::convert::{Quantization, convert};
use audio::file::{SPEECH_RATE, resample};
use audio::models::WhisperModel;
use audio::noise::{cabin_noise, mix_at_snr};
use audio::tts::{PiperVoice, espeak_synthesize};
use audio::wer::{edit_distance, normalize, word_error_rate};
use audio::whisper::{Transcriber, TranscriberConfig};

use common::{JFK, jfk, models, recorded_prompts};

fn transcriber(model: WhisperModel, config: TranscriberConfig) -> Transcriber {
    Transcriber::load(&models().whisper(model), config).unwrap()
}

#[test]
fn the_converted_models_transcribe_jfk_word_for_word() {
    let dir = tempfile::tempdir().unwrap();
    let source = models().root().join("ct2/tiny.en");
    for quantization in [Quantization::F16, Quantization::Q8_0] {
        let output = dir.path().join("model.bin");
        let report = convert(&source, &output, quantization).unwrap();
        assert_eq!(
            (report.tensors, report.n_vocab, report.layers),
            (167, 51864, (4, 4))
        );
        for config in [
            TranscriberConfig::for_long_audio(2),
            TranscriberConfig::for_commands(2),
        ] {
            let transcript = Transcriber::load(&output, config)
                .unwrap()
                .transcribe(&jfk())
                .unwrap();
            assert_eq!(
                word_error_rate(JFK, &transcript.text),
                0.0,
                "{quantization:?}: {}",
                transcript.text
            );
        }
    }
}

#[test]
fn recorded_prompts_are_transcribed_within_the_bound() {
    let prompts = recorded_prompts(40);
    assert_eq!(prompts.len(), 40);
    let whisper = transcriber(WhisperModel::TinyEnQ8, TranscriberConfig::for_commands(2));
    let (mut errors, mut words) = (0, 0);
    for (name, reference, samples) in &prompts {
        let heard = whisper.transcribe(samples).unwrap().text;
        let e = edit_distance(&normalize(reference), &normalize(&heard));
        if e > 0 {
            eprintln!("{name}: {reference:?} heard as {heard:?}");
        }
        errors += e;
        words += normalize(reference).len();
    }
    let wer = errors as f64 / words as f64;
    eprintln!(
        "word error rate on 40 recorded prompts: {:.1} % ({errors}/{words})",
        wer * 100.0
    );
    // tiny.en, q8_0, trimmed window: 3 % on this set when measured; 8 % leaves room for
    // thread timing and CPU differences in floating point without hiding a real regression.
    assert!(wer <= 0.08, "WER {wer:.3}");
}

const PHRASES: [&str; 8] = [
    "Set the driver temperature to twenty two degrees.",
    "Open the passenger window halfway.",
    "Turn on the seat heating for the rear left seat.",
    "Close the sunroof and switch on the air conditioning.",
    "The trunk can only open while the car stands still.",
    "Done, the windows are closed.",
    "Only the driver can switch on the hazard lights.",
    "Play the next song and turn the volume up.",
];

fn round_trip(speak: impl Fn(&str) -> (Vec<f32>, u32), noise_db: Option<f32>) -> f64 {
    let whisper = transcriber(WhisperModel::TinyEnQ8, TranscriberConfig::for_commands(2));
    let (mut errors, mut words) = (0, 0);
    for (i, phrase) in PHRASES.iter().enumerate() {
        let (samples, rate) = speak(phrase);
        let mut speech = resample(&samples, rate, SPEECH_RATE);
        if let Some(snr) = noise_db {
            speech = mix_at_snr(&speech, &cabin_noise(speech.len(), 1 + i as u64), snr);
        }
        let heard = whisper.transcribe(&speech).unwrap().text;
        let e = edit_distance(&normalize(phrase), &normalize(&heard));
        if e > 0 {
            eprintln!("{phrase:?} heard as {heard:?}");
        }
        errors += e;
        words += normalize(phrase).len();
    }
    errors as f64 / words as f64
}

/// The voice without its random pitch and timing, so that a run measures the same speech as
/// the last: with them, Whisper once looped on one phrase of eight on the CI machine.
fn piper() -> PiperVoice {
    PiperVoice::load(&models().piper_voice(), 2)
        .unwrap()
        .steady()
}

#[test]
fn the_piper_voice_is_understood_in_a_quiet_and_a_noisy_cabin() {
    let voice = piper();
    let speak = |text: &str| {
        let speech = voice.synthesize(text).unwrap();
        (speech.samples, speech.sample_rate)
    };
    let quiet = round_trip(speak, None);
    let noisy = round_trip(speak, Some(10.0));
    eprintln!(
        "piper round trip: WER {:.1} % quiet, {:.1} % at 10 dB cabin noise",
        quiet * 100.0,
        noisy * 100.0
    );
    // 64 words, so one word is 1.6 %. Whisper's output shifts with the CPU's SIMD path: this
    // machine measured 3.1 %, the CI machine 6.2 % ("Set" heard as "It's at", "sunroof" as
    // "sun roof"). The bound allows five wrong words, still far below a voice it cannot follow.
    assert!(quiet <= 0.08, "{quiet}");
    assert!(noisy <= 0.15, "{noisy}");
}

#[test]
fn the_espeak_voice_is_understood_too() {
    let speak = |text: &str| {
        let speech = espeak_synthesize(text).unwrap();
        (speech.samples, speech.sample_rate)
    };
    let quiet = round_trip(speak, None);
    eprintln!("espeak-ng round trip: WER {:.1} %", quiet * 100.0);
    assert!(quiet <= 0.15, "{quiet}");
}

#[test]
fn silence_noise_and_music_are_not_speech() {
    let whisper = transcriber(WhisperModel::TinyEnQ8, TranscriberConfig::for_commands(2));
    let n = 3 * SPEECH_RATE as usize;
    let t = |i: usize| i as f32 / SPEECH_RATE as f32;
    let music: Vec<f32> = (0..n)
        .map(|i| {
            // Three-note chords changing every half second, with a beat.
            let chord = [
                [261.6, 329.6, 392.0],
                [220.0, 261.6, 329.6],
                [196.0, 246.9, 293.7],
            ][(i / 8000) % 3];
            let beat = if (i % 4000) < 800 { 1.0 } else { 0.4 };
            beat * chord
                .iter()
                .map(|f| (std::f32::consts::TAU * f * t(i)).sin())
                .sum::<f32>()
                * 0.15
        })
        .collect();
    let hum: Vec<f32> = (0..n)
        .map(|i| 0.2 * (std::f32::consts::TAU * 120.0 * t(i)).sin())
        .collect();
    let cases: [(&str, Vec<f32>); 5] = [
        ("silence", vec![0.0; n]),
        (
            "road noise",
            cabin_noise(n, 7).into_iter().map(|s| s * 0.3).collect(),
        ),
        ("loud road noise", cabin_noise(n, 8)),
        ("music", music),
        ("engine hum", hum),
    ];
    for (name, samples) in cases {
        let transcript = whisper.transcribe(&samples).unwrap();
        assert_eq!(
            transcript.text, "",
            "{name} was heard as {:?}",
            transcript.text
        );
    }
}

#[test]
fn a_damaged_model_is_reported_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("ggml-tiny.en-q8_0.bin");
    let bytes = std::fs::read(models().whisper(WhisperModel::TinyEnQ8)).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let Err(err) = Transcriber::load(&truncated, TranscriberConfig::for_commands(2)) else {
        panic!("a truncated model loaded");
    };
    let message = err.to_string();
    assert!(
        message.contains(&truncated.display().to_string()),
        "{message}"
    );
    assert!(message.contains("scripts/setup.sh"), "{message}");
    let Err(err) = Transcriber::load(
        Path::new("/nonexistent/model.bin"),
        TranscriberConfig::for_commands(2),
    ) else {
        panic!("a missing model loaded");
    };
    assert!(err.to_string().contains("is missing"), "{err}");
}

#[test]
fn a_flac_recording_reads_as_the_same_samples_as_its_wav() {
    // The set-up encodes jfk.wav with Debian's `flac`; FLAC is lossless, so every sample,
    // the rate and the channels must come back as the WAV gives them.
    let root = models().root().join("test-audio");
    let limit = std::time::Duration::from_secs(60);
    let wav = audio::file::read_file(&root.join("jfk.wav"), limit).expect("jfk.wav reads");
    let flac = audio::file::read_file(&root.join("jfk.flac"), limit).expect("jfk.flac reads");
    assert_eq!(flac.sample_rate, wav.sample_rate);
    assert_eq!(flac.channels, wav.channels);
    assert_eq!(flac.samples.len(), wav.samples.len());
    assert!(flac.samples.iter().zip(&wav.samples).all(|(a, b)| a == b));
}
