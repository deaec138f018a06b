//! The speech commands with the real capture and playback code and no sound card: ALSA's
//! `file` device, configured in an `.asoundrc` under a test HOME, feeds a recording byte for
//! byte into cpal's capture and writes what rodio plays to a file.
//!
//! The `file` device stands on ALSA's `null` device, which is not paced in real time, so
//! capture runs as fast as the machine and `hear --lossless` makes it wait for the reader
//! rather than drop audio. When the recording ends, the device repeats its last buffer; the
//! recordings are padded with silence so that the last utterance ends on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use audio::file::{SPEECH_RATE, read_file, resample, to_speech_rate, write_wav};
use audio::wer::word_error_rate;

const JFK: &str = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

fn cockpit(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .args(args)
        .env("HOME", home)
        .env("COCKPIT_MODELS", repo("models"))
        .env_remove("RUST_LOG")
        .output()
        .expect("cockpit runs")
}

/// A HOME whose default ALSA device records from `in.raw` and plays into `out.raw`.
fn alsa_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().display();
    std::fs::write(
        home.path().join(".asoundrc"),
        format!(
            "pcm.!default {{\n    type file\n    slave.pcm \"null\"\n    file \"{dir}/out.raw\"\n    infile \"{dir}/in.raw\"\n    format \"raw\"\n}}\n"
        ),
    )
    .unwrap();
    std::fs::write(home.path().join("in.raw"), b"").unwrap();
    home
}

/// The default device's format as `cockpit devices` reports it: (rate, channels).
fn default_format(home: &Path, direction: &str) -> (u32, usize) {
    let output = cockpit(home, &["devices"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(direction) && l.ends_with("(default)"))
        .unwrap_or_else(|| panic!("no default {direction} device in:\n{text}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert!(
        line.contains("F32"),
        "the tests write f32 raw audio; the device wants {line}"
    );
    (fields[1].parse().unwrap(), fields[3].parse().unwrap())
}

/// Writes mono 16 kHz speech into `in.raw` as the device's interleaved f32, on the channels
/// given (others silent), followed by three seconds of silence.
fn feed(home: &Path, speech: &[f32], on_channels: &[usize]) {
    let format = default_format(home, "input:");
    std::fs::write(
        home.join("in.raw"),
        device_bytes(format, speech, on_channels),
    )
    .unwrap();
}

/// Mono 16 kHz speech as a device of `(rate, channels)` gives it, then three seconds of silence.
fn device_bytes((rate, channels): (u32, usize), speech: &[f32], on_channels: &[usize]) -> Vec<u8> {
    let mut samples = resample(speech, SPEECH_RATE, rate);
    samples.extend(std::iter::repeat_n(0.0, 3 * rate as usize));
    let mut bytes = Vec::with_capacity(samples.len() * channels * 4);
    for s in samples {
        for c in 0..channels {
            let v = if on_channels.contains(&c) { s } else { 0.0 };
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    bytes
}

fn jfk() -> Vec<f32> {
    let path = repo("models/test-audio/jfk.wav");
    assert!(
        path.exists(),
        "{} is missing: run ./scripts/test.sh once",
        path.display()
    );
    to_speech_rate(&read_file(&path, Duration::from_secs(60)).unwrap())
}

#[test]
fn hear_transcribes_a_recording_played_into_the_microphone() {
    let home = alsa_home();
    feed(home.path(), &jfk(), &[0, 1]);
    let output = cockpit(
        home.path(),
        &["hear", "--lossless", "--utterances", "3", "--json"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut heard = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let utterance: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(utterance["seat"], "driver");
        assert_eq!(utterance["ended_by"], "silence");
        heard.push_str(utterance["transcript"]["text"].as_str().unwrap());
        heard.push(' ');
    }
    assert!(word_error_rate(JFK, &heard) <= 0.05, "heard {heard:?}");
}

#[test]
fn the_microphone_channel_that_hears_the_speaker_names_the_seat() {
    let home = alsa_home();
    let (_, channels) = default_format(home.path(), "input:");
    assert!(channels >= 2, "the test device has {channels} channel");
    // Only the second microphone hears the voice: the passenger spoke.
    feed(home.path(), &jfk()[..3 * SPEECH_RATE as usize], &[1]);
    let output = cockpit(
        home.path(),
        &[
            "hear",
            "--lossless",
            "--utterances",
            "1",
            "--json",
            "--seats",
            "driver,passenger",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let utterance: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&output.stdout).trim()).unwrap();
    assert_eq!(utterance["seat"], "passenger");
    assert!(
        utterance["transcript"]["text"]
            .as_str()
            .unwrap()
            .contains("Americans"),
        "{utterance}"
    );
}

#[test]
fn speak_plays_a_reply_through_the_loudspeaker() {
    let home = alsa_home();
    let output = cockpit(home.path(), &["speak", "The sunroof is open halfway."]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (rate, channels) = default_format(home.path(), "output:");
    let raw = std::fs::read(home.path().join("out.raw")).unwrap();
    let first_channel: Vec<f32> = raw
        .chunks_exact(4 * channels)
        .map(|frame| f32::from_le_bytes([frame[0], frame[1], frame[2], frame[3]]))
        .collect();
    // ALSA's null device is not paced, so how much silence follows the reply depends on how
    // fast the machine runs; the reply itself is what lies between the first and last sound.
    let audible = |s: &&f32| s.abs() > 1e-3;
    let first = first_channel.iter().position(|s| audible(&s)).unwrap_or(0);
    let last = first_channel.iter().rposition(|s| audible(&s)).unwrap_or(0);
    let seconds = last.saturating_sub(first) as f32 / rate as f32;
    assert!((1.0..4.0).contains(&seconds), "{seconds} s of sound played");
    // What reached the device is the reply: Whisper hears it back.
    let wav = home.path().join("played.wav");
    write_wav(&wav, &first_channel, rate).unwrap();
    let output = cockpit(
        home.path(),
        &["transcribe", wav.to_str().unwrap(), "--command"],
    );
    let heard = String::from_utf8_lossy(&output.stdout).to_lowercase();
    assert!(heard.contains("open halfway"), "{heard}");
}

#[test]
fn speak_writes_a_wav_file_and_the_espeak_voice_works_too() {
    let dir = tempfile::tempdir().unwrap();
    for voice in [&[][..], &["--espeak"][..]] {
        let wav = dir.path().join("reply.wav");
        let mut args = vec![
            "speak",
            "Only the driver can switch on the hazard lights.",
            "-o",
            wav.to_str().unwrap(),
        ];
        args.extend_from_slice(voice);
        let output = cockpit(dir.path(), &args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let audio = read_file(&wav, Duration::from_secs(60)).unwrap();
        assert!(audio.duration() > Duration::from_secs(1));
    }
}

#[test]
fn a_microphone_that_comes_later_is_heard_once_it_is_there() {
    // The `file` device cannot be opened while its `in.raw` is missing: a microphone not yet
    // there. `hear --wait` looks for it until it comes, then hears what it records.
    let home = alsa_home();
    let format = default_format(home.path(), "input:");
    std::fs::remove_file(home.path().join("in.raw")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .args(["hear", "--wait", "--lossless", "--utterances", "1"])
        .env("HOME", home.path())
        .env("COCKPIT_MODELS", repo("models"))
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cockpit runs");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "hear waits for the microphone"
    );
    // Written whole, then moved into place: the device never sees half a recording.
    let staged = home.path().join("in.raw.part");
    std::fs::write(&staged, device_bytes(format, &jfk(), &[0, 1])).unwrap();
    std::fs::rename(&staged, home.path().join("in.raw")).unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("no microphone yet"), "{stderr}");
    assert!(stderr.contains("listening on"), "{stderr}");
    // The first utterance: the speech up to its first pause.
    let heard = String::from_utf8_lossy(&output.stdout).to_lowercase();
    assert!(heard.contains("my fellow americans"), "{heard}");
}

/// `cockpit` with these arguments, as a child whose file writes fail once a file reaches
/// `bytes`. The ALSA `file` device copies what it captures into `out.raw`; when that copy can
/// grow no more, every read from the device fails with an I/O error, mid-stream, as a USB
/// microphone pulled out does. Opening the device again starts `out.raw` afresh, so the
/// microphone comes back. (SIGXFSZ is ignored so that the write fails instead of the
/// process dying.)
fn cockpit_with_a_microphone_that_fails_after(home: &Path, bytes: usize, args: &[&str]) -> Command {
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f \"$1\"; shift; exec \"$@\"",
            "bash",
        ])
        .arg((bytes / 1024).to_string())
        .arg(env!("CARGO_BIN_EXE_cockpit"))
        .args(args)
        .env("HOME", home)
        .env("COCKPIT_MODELS", repo("models"))
        .env_remove("RUST_LOG");
    command
}

#[test]
fn a_microphone_lost_mid_stream_is_heard_again_when_it_comes_back() {
    let home = alsa_home();
    let format = default_format(home.path(), "input:");
    let recording = device_bytes(format, &jfk(), &[0, 1]);
    // The device fails a second after the recording (speech, then silence) has played; it
    // then opens again and plays the recording from its start.
    let second = format.0 as usize * format.1 * 4;
    std::fs::write(home.path().join("in.raw"), &recording).unwrap();
    let output = cockpit_with_a_microphone_that_fails_after(
        home.path(),
        recording.len() + second,
        &["hear", "--lossless", "--utterances", "4", "--json"],
    )
    .output()
    .expect("cockpit runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("microphone lost"), "{stderr}");
    assert!(stderr.matches("listening on").count() >= 2, "{stderr}");
    let heard: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let utterance: serde_json::Value = serde_json::from_str(line).unwrap();
            utterance["transcript"]["text"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(heard.len(), 4, "{heard:?}");
    // Three utterances before the loss (the speech's pauses part them), the first again after.
    assert!(
        word_error_rate(JFK, &heard[..3].join(" ")) <= 0.05,
        "{heard:?}"
    );
    assert!(
        heard[3].to_lowercase().contains("my fellow americans"),
        "{heard:?}"
    );
}

#[test]
fn run_says_the_microphone_was_lost_and_acts_on_what_it_hears_once_back() {
    let home = alsa_home();
    let journals = home.path().join("journal");
    let format = default_format(home.path(), "input:");
    let command = to_speech_rate(
        &read_file(
            &repo("assets/demo/voice/04-headlights.flac"),
            Duration::from_secs(60),
        )
        .unwrap(),
    );
    let recording = device_bytes(format, &command, &[0, 1]);
    std::fs::write(home.path().join("in.raw"), &recording).unwrap();
    let second = format.0 as usize * format.1 * 4;
    let mut child = cockpit_with_a_microphone_that_fails_after(
        home.path(),
        recording.len() + second,
        &[
            "run",
            "--no-dashboard",
            "--no-speak",
            "--lossless",
            "--journal-dir",
            journals.to_str().unwrap(),
        ],
    )
    .env("XDG_CONFIG_HOME", home.path())
    .stdin(std::process::Stdio::piped())
    // Files, not pipes: ALSA complains on every failed read, and a full pipe would stall it.
    .stdout(std::fs::File::create(home.path().join("stdout")).unwrap())
    .stderr(std::fs::File::create(home.path().join("stderr")).unwrap())
    .spawn()
    .expect("cockpit runs");
    // The request heard before the loss and again after it: two journal entries.
    let entries = || -> Vec<serde_json::Value> {
        let Ok(Some(file)) = std::fs::read_dir(&journals).map(|mut d| d.next()) else {
            return Vec::new();
        };
        std::fs::read_to_string(file.unwrap().path())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    let started = std::time::Instant::now();
    while entries().len() < 2 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(200));
    }
    // Ctrl-C ends the session, once what was heard before it is transcribed and journaled.
    // The device kept replaying the recording, so that can be a few utterances; with the other
    // tests of this file running Whisper on the same two cores, each can take many seconds
    // (a stack taken after 30 s showed Whisper still at work, not a hang).
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let stopping = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && stopping.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let stopped = child.try_wait().unwrap();
    if stopped.is_none() {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let stdout = std::fs::read_to_string(home.path().join("stdout")).unwrap();
    let stderr = std::fs::read_to_string(home.path().join("stderr")).unwrap();
    assert!(
        stopped.is_some_and(|status| status.success()),
        "Ctrl-C ends the session cleanly ({stopped:?}): {stderr}"
    );
    assert!(
        stderr.contains("warning: microphone lost"),
        "the terminal says what happened: {stderr}"
    );
    assert!(stderr.matches("listening on").count() >= 2, "{stderr}");
    let entries = entries();
    assert!(entries.len() >= 2, "{stdout}\n{stderr}");
    for entry in &entries[..2] {
        assert!(
            entry["transcript"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains("headlights"),
            "{entry}"
        );
        assert!(
            entry["outcomes"]
                .to_string()
                .contains(r#""outcome":"confirmed""#),
            "{entry}"
        );
    }
}

#[test]
fn without_a_sound_card_the_commands_say_so() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".asoundrc"),
        "pcm.!default { type hw card 7 }\n",
    )
    .unwrap();
    let output = cockpit(home.path(), &["hear"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("microphone"), "{stderr}");
    let output = cockpit(home.path(), &["speak", "hello"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("use -o FILE"));
}

#[test]
fn transcribe_explains_files_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, bytes: &[u8], expect: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = cockpit(dir.path(), &["transcribe", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(expect) && stderr.contains(name),
            "{name}: {stderr}"
        );
    };
    check("empty.wav", b"", "empty (0 bytes)");
    check(
        "notes.wav",
        b"these are not samples",
        "not a WAV or FLAC file",
    );
    check(
        "cut.wav",
        b"RIFF\x24\x00\x00\x00WAVEfm",
        "not a readable WAV file",
    );

    // One sample: readable, and nothing to hear.
    let one = dir.path().join("one.wav");
    write_wav(&one, &[0.5], 16_000).unwrap();
    let output = cockpit(dir.path(), &["transcribe", one.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("(nothing: too short for speech)"));
}

#[test]
fn spoken_writes_the_requests_as_whisper_heard_them() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.jsonl");
    let heard = dir.path().join("heard.jsonl");
    std::fs::write(
        &cases,
        concat!(
            r#"{"id": "a", "utterance": "Open the passenger window halfway.", "seat": "driver", "expect": {}}"#,
            "\n",
            r#"{"id": "b", "utterance": "Turn on the air conditioning.", "seat": "passenger"}"#,
            "\n",
            r#"{"id": "c", "utterance": "Close the sunroof."}"#,
            "\n",
        ),
    )
    .unwrap();
    // Steady in a quiet cabin, steady in noise, and with Piper's own random pitch and timing.
    for extra in [&[][..], &["--noise-db", "10"][..], &["--varied"][..]] {
        let varied = extra.contains(&"--varied");
        let mut args = vec![
            "spoken",
            cases.to_str().unwrap(),
            "-o",
            heard.to_str().unwrap(),
            "--limit",
            "2",
        ];
        args.extend_from_slice(extra);
        let output = cockpit(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.contains("2 distinct requests"), "{stderr}");
        let voice = if varied {
            "(joe, varied)"
        } else {
            "(joe, steady)"
        };
        assert!(stderr.contains(voice), "{stderr}");

        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&heard)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "--limit 2");
        for (line, (id, said, seat)) in lines.iter().zip([
            ("a", "Open the passenger window halfway.", "driver"),
            ("b", "Turn on the air conditioning.", "passenger"),
        ]) {
            // Everything but the words is the request's own.
            assert_eq!(line["id"], id);
            assert_eq!(line["seat"], seat);
            assert_eq!(line["said"], said);
            // What Whisper heard, not a copy of what was said: it writes its own capitals and
            // punctuation, so only the words are compared. A varied voice differs on every run,
            // and may be misheard; the steady one is the measure.
            let heard = line["utterance"].as_str().unwrap();
            assert!(
                varied || word_error_rate(said, heard) <= 0.2,
                "{said:?} heard as {heard:?}"
            );
        }
    }

    // Refused, with what is wrong: the exit status 1 and the message.
    let refused = |lines: &str, extra: &[&str]| {
        std::fs::write(&cases, lines).unwrap();
        let mut args = vec![
            "spoken",
            cases.to_str().unwrap(),
            "-o",
            heard.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let output = cockpit(dir.path(), &args);
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let stderr = refused("{\"utterance\": \"open the trunk\"}\nnot json\n", &[]);
    assert!(
        stderr.contains("cases.jsonl line 2: not a JSON object"),
        "{stderr}"
    );
    let stderr = refused(
        "{\"utterance\": \"open the trunk\"}\n",
        &["--voice", "espeak", "--varied"],
    );
    assert!(stderr.contains("espeak-ng has none"), "{stderr}");
}
