//! `cockpit transcribe` and `cockpit models convert`.

use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use audio::capture::{Backpressure, CaptureConfig, CaptureEvent, Microphone, list_devices};
use audio::convert::{Quantization, convert as convert_model};
use audio::endpoint::{EndpointConfig, EndpointEvent, Endpointer, loudest_channel};
use audio::file::{read_file, to_speech_rate, write_wav};
use audio::models::{ModelDir, WhisperModel};
use audio::playback::{EARCON_RATE, Earcon, Speaker};
use audio::tts::Voice;
use audio::whisper::{Transcriber, TranscriberConfig};

use crate::cli::{ConvertArgs, HearArgs, SpeakArgs, TranscribeArgs};

/// The longest recording `transcribe` takes.
const MAX_RECORDING: Duration = Duration::from_secs(600);

pub fn transcribe(args: &TranscribeArgs) -> Result<()> {
    let Some(model) = WhisperModel::from_name(&args.model) else {
        bail!(
            "no Whisper model {:?}: use tiny.en, tiny.en-f16 or base",
            args.model
        );
    };
    let path = ModelDir::locate().whisper(model);
    let mut config = if args.command {
        TranscriberConfig::for_commands(args.threads)
    } else {
        TranscriberConfig::for_long_audio(args.threads)
    };
    if let Some(prompt) = &args.prompt {
        config.prompt = prompt.clone();
    }
    let audio = read_file(&args.file, MAX_RECORDING)?;
    let samples = to_speech_rate(&audio);
    let transcriber = Transcriber::load(&path, config)?;
    let transcript = transcriber.transcribe(&samples)?;
    if args.json {
        outln!("{}", serde_json::to_string(&transcript)?);
    } else if transcript.text.is_empty() {
        outln!(
            "(nothing: {})",
            transcript.empty_because.as_deref().unwrap_or("no speech")
        );
    } else {
        outln!("{}", transcript.text);
    }
    Ok(())
}

pub fn convert(args: &ConvertArgs) -> Result<()> {
    let quantization = if args.q8_0 {
        Quantization::Q8_0
    } else {
        Quantization::F16
    };
    if let Some(parent) = args.to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let report = convert_model(&args.from, &args.to, quantization)?;
    eprintln!(
        "wrote {} ({:.1} MB): {} tensors, {} + {} layers of width {}, {} tokens",
        args.to.display(),
        report.bytes as f64 / 1e6,
        report.tensors,
        report.layers.0,
        report.layers.1,
        report.n_state,
        report.n_vocab
    );
    Ok(())
}

pub fn speak(args: &SpeakArgs) -> Result<()> {
    let voice = if args.espeak {
        Voice::Espeak
    } else {
        Voice::load_or_fallback(&ModelDir::locate().piper_voice(), 2)
    };
    let speech = voice.synthesize(&args.text)?;
    match &args.output {
        Some(path) => {
            write_wav(path, &speech.samples, speech.sample_rate)?;
            eprintln!(
                "wrote {} ({:.1} s, {} Hz, voice {}, synthesized in {:.0} ms)",
                path.display(),
                speech.samples.len() as f64 / f64::from(speech.sample_rate),
                speech.sample_rate,
                speech.voice,
                speech.synthesis_ms
            );
        }
        None => {
            let speaker =
                Speaker::open_default().context("use -o FILE to write the speech to a file")?;
            speaker.play(&speech.samples, speech.sample_rate);
            speaker.wait_until_done();
        }
    }
    Ok(())
}

pub fn devices() -> Result<()> {
    let devices = list_devices()?;
    if devices.is_empty() {
        outln!("no audio devices");
    }
    for d in devices {
        let mark = |is: bool| if is { " (default)" } else { "" };
        outln!("{}  ({})", d.id, d.name);
        if let Some(input) = d.input {
            outln!("    input:  {input}{}", mark(d.default_input));
        }
        if let Some(output) = d.output {
            outln!("    output: {output}{}", mark(d.default_output));
        }
    }
    Ok(())
}

/// Push-to-talk on a terminal: every Enter toggles between pressed and released.
fn push_to_talk_keys() -> Receiver<()> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            if sender.send(()).is_err() {
                return;
            }
            line.clear();
        }
    });
    receiver
}

pub fn hear(args: &HearArgs) -> Result<()> {
    let Some(model) = WhisperModel::from_name(&args.model) else {
        bail!(
            "no Whisper model {:?}: use tiny.en, tiny.en-f16 or base",
            args.model
        );
    };
    let transcriber = Transcriber::load(
        &ModelDir::locate().whisper(model),
        TranscriberConfig::for_commands(args.threads),
    )?;
    let capture = CaptureConfig {
        device: args.device.clone(),
        backpressure: if args.lossless {
            Backpressure::WaitForReader
        } else {
            Backpressure::DropWhenBehind
        },
    };
    let microphone = match Microphone::open(capture.clone()) {
        Ok(microphone) => microphone,
        Err(e) if args.wait => {
            eprintln!("no microphone yet ({e}): waiting for one");
            Microphone::open_when_available(capture)?
        }
        Err(e) => return Err(e.into()),
    };
    // Earcons are a courtesy: without a loudspeaker, listening still works.
    let speaker = if args.push_to_talk {
        Speaker::open_default().ok()
    } else {
        None
    };
    let keys = args.push_to_talk.then(push_to_talk_keys);
    let mut endpointer = Endpointer::new(EndpointConfig::for_commands());
    let mut pressed = false;
    let mut utterances = 0;
    if args.push_to_talk {
        eprintln!("push-to-talk: press Enter to speak, Enter again when done");
    }
    loop {
        let mut events = Vec::new();
        if let Some(keys) = &keys
            && keys.try_recv().is_ok()
        {
            pressed = !pressed;
            let earcon = if pressed {
                Earcon::ListeningStarted
            } else {
                Earcon::ListeningStopped
            };
            if let Some(speaker) = &speaker {
                speaker.play(&earcon.samples(), EARCON_RATE);
            }
            events.extend(if pressed {
                endpointer.press()
            } else {
                endpointer.release()
            });
        }
        match microphone.recv_timeout(Duration::from_millis(50)) {
            Some(CaptureEvent::Chunk(chunk)) if !args.push_to_talk || pressed => {
                events.extend(endpointer.push(&chunk.samples, &chunk.channel_energy));
            }
            Some(CaptureEvent::Chunk(_)) => {}
            Some(CaptureEvent::Opened {
                device,
                sample_rate,
                channels,
            }) => {
                eprintln!("listening on {device} ({sample_rate} Hz, {channels} channels)");
            }
            Some(CaptureEvent::Overrun { frames }) => {
                eprintln!("warning: {frames} microphone frames dropped (too slow)")
            }
            Some(CaptureEvent::Glitch { count, reason }) => {
                eprintln!("warning: the microphone stumbled {count}× ({reason}); still listening")
            }
            Some(CaptureEvent::Lost { reason }) => {
                eprintln!("microphone lost ({reason}); waiting for it to come back")
            }
            None => {}
        }
        for event in events {
            let EndpointEvent::Utterance(utterance) = event else {
                continue;
            };
            let seat = match loudest_channel(&utterance.channel_energy) {
                Some((channel, _)) if !args.seats.is_empty() => {
                    args.seats.get(channel).copied().unwrap_or(args.seat)
                }
                _ => args.seat,
            };
            let transcript = transcriber.transcribe(&utterance.samples)?;
            if args.json {
                outln!(
                    "{}",
                    serde_json::json!({
                        "seat": seat,
                        "start_s": utterance.start.as_secs_f64(),
                        "end_of_speech_s": utterance.end_of_speech.as_secs_f64(),
                        "ended_by": utterance.ended_by,
                        "transcript": transcript,
                    })
                );
            } else if transcript.text.is_empty() {
                outln!(
                    "[{seat}] (no speech: {})",
                    transcript.empty_because.as_deref().unwrap_or("nothing")
                );
            } else {
                outln!("[{seat}] {}", transcript.text);
            }
            utterances += 1;
            if args.utterances.is_some_and(|limit| utterances >= limit) {
                return Ok(());
            }
        }
    }
}
