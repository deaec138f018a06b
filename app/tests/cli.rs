//! The `cockpit` binary as a user runs it: each command on the simulated car or the real
//! logs, and what it says about bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn cockpit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("cockpit runs")
}

/// `cockpit run` in the terminal view, speaking nothing, its settings looked for in `config`
/// (none there), with stdin, stdout and stderr piped; the rest of the arguments given.
fn spawn_run(config: &Path, args: &[&std::ffi::OsStr]) -> std::process::Child {
    run_command(config, args).spawn().expect("cockpit runs")
}

/// The command [`spawn_run`] starts, for a test to add to.
fn run_command(config: &Path, args: &[&std::ffi::OsStr]) -> Command {
    live_command(config, &["run".as_ref()], args)
}

/// `cockpit VERB...` live in the terminal, without speaking, with settings from `config`.
fn live_command(config: &Path, verb: &[&std::ffi::OsStr], args: &[&std::ffi::OsStr]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cockpit"));
    command
        .args(verb)
        .args(["--no-dashboard", "--no-speak"])
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

#[test]
fn the_demo_drives_through_its_script_with_confirmations_and_refusals() {
    let output = cockpit(&["demo", "--requests", "--fast"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        text.contains("ok      Vehicle.Body.Trunk.Rear.IsOpen (driver): confirmed"),
        "{text}"
    );
    assert!(
        text.contains("REFUSED Vehicle.Body.Trunk.Rear.IsOpen (driver): refused, nothing sent"),
        "{text}"
    );
    assert!(
        text.contains("only the driver may change Vehicle.Body.Lights.Hazard.IsSignaling"),
        "{text}"
    );
    assert!(
        text.contains("35 is out of range, the car reports 28.0"),
        "{text}"
    );
    assert!(text.contains("22 confirmed by the car, 1 confirmed at the range limit, 3 refused by the policy, 0 not confirmed"), "{text}");
    assert!(text.contains("0 dropped by their E2E checks"), "{text}");
}

#[test]
fn record_keeps_a_live_session_that_replays_to_the_same_decisions() {
    // No sound card here: Enter plays a recording into `cockpit record` (`cockpit run`
    // recording), which keeps what the pipeline heard, the bus and the journal;
    // `cockpit replay` of that folder decides alike.
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = dir.path().join("session");
    let recording = repo("assets/demo/voice/04-headlights.flac");
    let mut child = live_command(
        dir.path(),
        &["record".as_ref(), "-o".as_ref(), recorded.as_os_str()],
        &["--from-file".as_ref(), recording.as_os_str()],
    )
    .spawn()
    .expect("cockpit records");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"\n").expect("Enter");
    // Typing ends the session only after the recording has been heard and journaled.
    let journal = recorded.join("journal.jsonl");
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&journal).map_or(true, |j| j.lines().count() < 1)
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(stdin);
    let output = child.wait_with_output().expect("cockpit ends");
    assert!(output.status.success(), "{}", stderr(&output));
    if !stderr(&output).contains("no microphone") {
        eprintln!("skipped: this machine has a microphone, whose audio would be recorded too");
        return;
    }
    // Looking for the missing microphone every few seconds must not print alsa-lib's own
    // messages into the terminal view each time.
    assert!(!stderr(&output).contains("ALSA lib"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("audio.wav") && stderr(&output).contains("bus.log"),
        "{}",
        stderr(&output)
    );
    let audio = audio::file::read_file(&recorded.join("audio.wav"), Duration::from_secs(600))
        .expect("a WAV");
    assert!(
        audio.duration() >= Duration::from_secs(1),
        "{:?}",
        audio.duration()
    );
    let bus = std::fs::read_to_string(recorded.join("bus.log")).expect("bus.log");
    assert!(bus.lines().count() > 50, "the car's status frames");

    let report = dir.path().join("report");
    let output = cockpit(&[
        "replay",
        recorded.to_str().expect("UTF-8"),
        "--speed",
        "max",
        "--report",
        report.to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let plans = |path: &Path| -> Vec<String> {
        std::fs::read_to_string(path)
            .expect("a journal")
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("JSON")["plan"].to_string()
            })
            .collect()
    };
    let live = plans(&journal);
    assert_eq!(live, ["\"set low_beam all on\""], "{live:?}");
    assert_eq!(plans(&report.join("session").join("journal.jsonl")), live);
}

/// "heard 13 utterances of 13 spoken" → (13, 13), from the demo's summary.
fn counts(text: &str, pattern: &str) -> Vec<usize> {
    let line = text
        .lines()
        .find(|l| l.contains(pattern))
        .unwrap_or_else(|| panic!("no line with {pattern:?} in\n{text}"));
    line.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

#[test]
fn the_demo_session_is_heard_understood_and_acted_on() {
    // The bundled session: thirteen requests from four seats, through Whisper, the model,
    // the policy and the simulated car. Whisper's output shifts a little with the CPU, so
    // the bar leaves room for one utterance misheard.
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = dir.path().join("recorded");
    let output = cockpit(&[
        "demo",
        "--fast",
        "--record",
        recorded.to_str().expect("UTF-8"),
    ]);
    let text = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    let heard = counts(&text, "utterances of");
    assert!(heard[0] >= 12 && heard[1] == 13, "{text}");
    let seats = counts(&text, "seat told right");
    assert!(
        seats[seats.len() - 2] + 1 >= seats[seats.len() - 1],
        "{text}"
    );
    let changes = counts(&text, "changes asked");
    assert!(changes[1] >= 12, "confirmed by the car: {text}");
    assert!(changes[2] >= 1, "refused by the policy: {text}");
    assert!(
        text.contains("Unlock the doors? Say yes to confirm."),
        "{text}"
    );
    assert!(
        text.contains("Only the driver can change the hazard lights."),
        "{text}"
    );
    assert!(
        text.contains("I can't open the trunk while the car is moving."),
        "{text}"
    );
    assert!(text.contains("0 dropped by their E2E checks"), "{text}");
    let journal = std::fs::read_to_string(recorded.join("journal.jsonl")).expect("the journal");
    assert_eq!(
        journal.lines().count(),
        heard[0],
        "one journal line per utterance heard"
    );
    // The answer to "Unlock the doors?" ends as soon as it is a whole yes, but not at the
    // comma in "Yes, please": "please" on its own would be heard as a request of its own.
    let entries: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let yes = entries
        .iter()
        .find(|e| {
            e["transcript"]
                .as_str()
                .is_some_and(|t| t.to_lowercase().starts_with("yes"))
        })
        .unwrap_or_else(|| panic!("the yes is heard: {journal}"));
    assert!(
        yes["transcript"]
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("please")),
        "{journal}"
    );
    assert_eq!(yes["ended_by"], "complete", "{journal}");

    // The recorded session replayed on the bench: its bus log plays the car, its audio the
    // cabin. The same words reach the same decisions.
    let report = dir.path().join("report");
    let output = cockpit(&[
        "replay",
        "--audio",
        recorded.join("audio.wav").to_str().expect("UTF-8"),
        "--can",
        recorded.join("bus.log").to_str().expect("UTF-8"),
        "--speed",
        "max",
        "--report",
        report.to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let decisions = |text: &str| -> Vec<(String, String)> {
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
            .map(|e| (e["seat"].to_string(), e["plan"].to_string()))
            .collect()
    };
    let replayed = std::fs::read_to_string(report.join("journal.jsonl")).expect("the journal");
    assert_eq!(decisions(&replayed), decisions(&journal));
    let sent = std::fs::read_to_string(report.join("sent.log")).expect("sent.log");
    assert!(
        sent.lines().count() >= 9,
        "every command frame as candump writes it: {sent}"
    );
    assert!(sent.lines().all(|l| l.contains(" cockpit ")), "{sent}");
    let html = std::fs::read_to_string(report.join("report.html")).expect("report.html");
    assert!(
        html.contains("<svg") && html.contains("Close all the windows"),
        "{html}"
    );

    // A batch: session folders replayed side by side, one report folder each (named after
    // the session, numbered where two share a name) and a summary of them all.
    let batch = dir.path().join("batch");
    let output = cockpit(&[
        "replay",
        recorded.to_str().expect("UTF-8"),
        recorded.to_str().expect("UTF-8"),
        "--jobs",
        "2",
        "--speed",
        "max",
        "--report",
        batch.to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("sessions replayed: 2, 2 at a time"),
        "{}",
        stdout(&output)
    );
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(batch.join("summary.json")).expect("summary.json"),
    )
    .expect("JSON");
    let rows = summary.as_array().expect("one row per session");
    assert_eq!(rows.len(), 2, "{summary}");
    for (row, folder) in rows.iter().zip(["recorded", "recorded-2"]) {
        assert_eq!(row["session"], folder, "{summary}");
        assert_eq!(row["utterances"], heard[0], "{summary}");
        let replayed =
            std::fs::read_to_string(batch.join(folder).join("journal.jsonl")).expect("journal");
        assert_eq!(decisions(&replayed), decisions(&journal), "{folder}");
    }

    // A folder that is not a recorded session is named before anything is replayed.
    let output = cockpit(&[
        "replay",
        dir.path().to_str().expect("UTF-8"),
        "--report",
        batch.to_str().expect("UTF-8"),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("has no audio.wav or audio.flac"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn listen_puts_a_recording_through_the_whole_pipeline() {
    let file = repo("assets/demo/voice/04-headlights.flac");
    let output = cockpit(&["listen", file.to_str().expect("UTF-8"), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().expect("a line")).expect("JSON");
    assert_eq!(entry["plan"], "set low_beam all on", "{entry}");
    assert_eq!(
        entry["changes"]["Vehicle.Body.Lights.Beam.Low.IsOn"], true,
        "{entry}"
    );
    assert!(
        entry["timings"]["first_frame_ms"].as_f64().is_some(),
        "{entry}"
    );
    assert!(
        !entry["frames"].as_array().expect("frames").is_empty(),
        "{entry}"
    );

    // A file with no speech in it says so.
    let dir = tempfile::tempdir().expect("temp dir");
    let quiet = dir.path().join("quiet.wav");
    audio::file::write_wav(&quiet, &vec![0.0; 32_000], 16_000).expect("a WAV");
    let output = cockpit(&["listen", quiet.to_str().expect("UTF-8")]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no speech found in"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn run_without_a_microphone_takes_typed_requests_and_journals_them() {
    // No sound card here: `cockpit run` says so and takes requests from the keyboard, and
    // the end of typing ends the session.
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = spawn_run(
        dir.path(),
        &["--journal-dir".as_ref(), dir.path().as_os_str()],
    );
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"turn on the headlights\nunlock the doors\n")
        .expect("typing");
    drop(stdin);
    let output = child.wait_with_output().expect("cockpit ends");
    let text = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    if !stderr(&output).contains("no microphone") {
        eprintln!("skipped: this machine has a microphone, so typing does not end the session");
        return;
    }
    assert!(
        text.contains("cockpit: The headlights are now on."),
        "{text}"
    );
    // Typed, "unlock" means what it says: no question back (a heard one asks first).
    assert!(text.contains("cockpit: The doors are unlocked."), "{text}");
    let journal = std::fs::read_dir(dir.path())
        .expect("the journal folder")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("session-"))
        .expect("a session journal");
    let lines = std::fs::read_to_string(journal.path()).expect("the journal");
    let entries: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["ended_by"] == "typed"));
    assert_eq!(entries[1]["plan"], "set lock all off");
}

#[test]
fn run_with_a_damaged_model_says_so_and_recovers_when_it_is_restored() {
    // The language model's file damaged: the session goes on (the car, the dashboard,
    // hearing), each request is answered with the reason and journaled with the error, and
    // the first request after the file is restored is understood and acted on.
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let model = dir.path().join("model");
    std::fs::create_dir(&model).expect("model folder");
    for entry in std::fs::read_dir(repo("assets/model")).expect("the shipped model") {
        let entry = entry.expect("a file");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), model.join(entry.file_name())).expect("copied");
        }
    }
    let onnx = model.join("model.onnx");
    let good = std::fs::read(&onnx).expect("model.onnx");
    std::fs::write(&onnx, &good[..good.len() / 2]).expect("damaged");
    let journals = dir.path().join("journals");
    let mut child = run_command(
        dir.path(),
        &["--journal-dir".as_ref(), journals.as_os_str()],
    )
    .env("COCKPIT_LM", &model)
    .spawn()
    .expect("cockpit runs");
    let journaled = || -> Vec<serde_json::Value> {
        std::fs::read_dir(&journals)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("session-"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .flat_map(|text| {
                text.lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let wait_for = |n: usize| {
        let started = std::time::Instant::now();
        while journaled().len() < n && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"turn on the headlights\n")
        .expect("typing");
    wait_for(1);
    std::fs::write(&onnx, &good).expect("restored");
    stdin
        .write_all(b"turn on the headlights\n")
        .expect("typing");
    wait_for(2);
    drop(stdin);
    let output = child.wait_with_output().expect("cockpit ends");
    let (text, errors) = (stdout(&output), stderr(&output));
    assert!(output.status.success(), "{errors}");
    if !errors.contains("no microphone") {
        eprintln!("skipped: this machine has a microphone, so typing does not end the session");
        return;
    }
    assert!(
        errors.contains("warning: ") && errors.contains("model.onnx"),
        "the damaged file is named at the start: {errors}"
    );
    assert!(
        text.contains(cockpit_agent::agent::NO_MODEL_REPLY),
        "{text}"
    );
    assert!(
        text.contains("cockpit: The headlights are now on."),
        "{text}"
    );
    let entries = journaled();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(
        entries[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("model.onnx")),
        "{entries:?}"
    );
    assert_eq!(entries[0]["plan"], "none", "{entries:?}");
    assert_eq!(entries[1]["plan"], "set low_beam all on", "{entries:?}");
    assert!(entries[1]["error"].is_null(), "{entries:?}");
}

#[test]
fn set_reports_what_the_car_confirms() {
    let output = cockpit(&[
        "set",
        "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position",
        "40",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["result"]["outcome"], "confirmed");
    assert_eq!(result["result"]["value"], 40);
    assert_eq!(
        result["changes"]["Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"],
        40
    );
    let seconds = result["result"]["seconds"].as_f64().unwrap();
    assert!(
        (1.0..2.0).contains(&seconds),
        "a window travels 40 % in about 1.2 s, took {seconds}"
    );
}

#[test]
fn set_unlocks_all_doors_at_once_when_standing_and_refuses_when_moving() {
    let output = cockpit(&[
        "set",
        "Vehicle.Cabin.Door.Row2.PassengerSide.IsLocked",
        "false",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let changes = result["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 4, "{changes:?}");
    assert!(changes.values().all(|v| v == false));

    let output = cockpit(&[
        "set",
        "Vehicle.Cabin.Door.Row2.PassengerSide.IsLocked",
        "false",
        "--speed",
        "30",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stdout(&output).contains("refused, nothing sent"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn set_explains_bad_requests() {
    let check = |args: &[&str], expect: &str| {
        let output = cockpit(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&output).contains(expect),
            "{args:?}: {}",
            stderr(&output)
        );
    };
    check(
        &["set", "Vehicle.Cabin.Window", "5"],
        "is not a signal of this car",
    );
    check(
        &["set", "Vehicle.Cabin.Sunroof.Position", "wide"],
        "takes a whole number, not wide",
    );
    check(&["set", "Vehicle.Speed", "5"], "is a sensor");
    check(
        &[
            "set",
            "Vehicle.Body.Lights.Hazard.IsSignaling",
            "on",
            "--can",
            "can0",
            "--speed",
            "3",
        ],
        "--speed and --gear",
    );
    check(
        &[
            "set",
            "Vehicle.Body.Lights.Hazard.IsSignaling",
            "on",
            "--speed",
            "20",
            "--gear",
            "P",
        ],
        "cannot move in park",
    );
}

#[test]
fn a_recorded_simulation_decodes_to_the_cars_state() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sim.log");
    let output = cockpit(&[
        "sim",
        "--drive",
        "city",
        "--duration",
        "12",
        "--fast",
        "--record",
        log.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("0 rejected"),
        "{}",
        stdout(&output)
    );

    let output = cockpit(&["can", "decode", log.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut speeds = Vec::new();
    for line in stdout(&output).lines() {
        let frame: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(speed) = frame["vss"]["Vehicle.Speed"].as_f64() {
            speeds.push(speed);
        }
    }
    // About 50 drive-status frames a second for 12 s; the city drive reaches 45 km/h at 12 s.
    assert!(speeds.len() > 500, "{} speed reports", speeds.len());
    let top = speeds.iter().copied().fold(0.0, f64::max);
    assert!((40.0..=45.0).contains(&top), "top speed {top}");
}

#[test]
fn decode_reads_the_real_logs_and_reports_bad_lines() {
    let output = cockpit(&[
        "can",
        "decode",
        repo("tests/data/moteclog-generator/can_sample.log")
            .to_str()
            .unwrap(),
        "--dbc",
        repo("tests/data/moteclog-generator/sample_can_spec.dbc")
            .to_str()
            .unwrap(),
        "--known-only",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("82558 frames, 38015 described by"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("ID_140  THROTTLE="),
        "{}",
        &stdout(&output)[..300]
    );

    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.log");
    std::fs::write(&damaged, "(1.000000) can0 0A0#00\nthis is not a frame\n(1.100000) can0 800#00\n(1.200000) can0 0A0#00\n").unwrap();
    let output = cockpit(&["can", "decode", damaged.to_str().unwrap()]);
    assert!(output.status.success());
    let errors = stderr(&output);
    assert!(
        errors.contains("damaged.log:2: timestamp \"this\" is not (seconds.micros)"),
        "{errors}"
    );
    assert!(
        errors.contains("damaged.log:3: standard id 800 is above 7FF"),
        "{errors}"
    );
    assert!(errors.contains("2 frames, 2 described by"), "{errors}");

    let not_a_log = dir.path().join("song.wav");
    std::fs::write(&not_a_log, b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00").unwrap();
    let output = cockpit(&["can", "decode", not_a_log.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is not a candump log"),
        "{}",
        stderr(&output)
    );

    let output = cockpit(&["can", "decode", "/nonexistent.log"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot open CAN log /nonexistent.log"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn decode_writes_a_table_per_message_with_the_values_of_each_frame() {
    let log = repo("tests/data/moteclog-generator/can_sample.log");
    let dbc = repo("tests/data/moteclog-generator/sample_can_spec.dbc");
    let dir = tempfile::tempdir().unwrap();
    let args = |extra: &[&str]| {
        let mut args = vec![
            "can",
            "decode",
            log.to_str().unwrap(),
            "--dbc",
            dbc.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        cockpit(&args)
    };
    let output = args(&["--csv", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("82558 frames, 38015 described by")
            && stderr(&output).contains("written to 8 tables"),
        "{}",
        stderr(&output)
    );
    let table = std::fs::read_to_string(dir.path().join("ID_140.csv")).unwrap();
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("time_s,interface,THROTTLE,CLUTCH,RPM"));

    // Row for row, the table holds what the JSON lines say of the same frames.
    let output = args(&["--json", "--known-only"]);
    let frames: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .filter(|frame: &serde_json::Value| frame["message"] == "ID_140")
        .collect();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), frames.len());
    assert!(rows.len() > 1000, "{} rows", rows.len());
    for (row, frame) in rows.iter().zip(&frames) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[1], "can0");
        let time: f64 = cells[0].parse().unwrap();
        assert!((time - frame["t"].as_f64().unwrap()).abs() < 1e-6, "{row}");
        for (cell, signal) in cells[2..].iter().zip(["THROTTLE", "CLUTCH", "RPM"]) {
            let value: f64 = cell.parse().unwrap();
            let expected = frame["signals"][signal].as_f64().unwrap();
            assert!(
                (value - expected).abs() < 1e-6,
                "{signal} in {row}: {frame}"
            );
        }
    }

    let output = args(&["--csv", "/proc/no-such-folder"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot create the folder /proc/no-such-folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_car_files_are_named_with_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let dbc = dir.path().join("broken.dbc");
    std::fs::write(
        &dbc,
        "VERSION \"\"\nBO_ 100 Broken: 8 X\n SG_ A : 60|8@1+ (1,0) [0|0] \"\" X\n",
    )
    .unwrap();
    let output = cockpit(&["can", "decode", "/dev/null", "--dbc", dbc.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "broken.dbc: message Broken, signal A: bits 60..68 reach past the message's 8 bytes"
        ),
        "{}",
        stderr(&output)
    );

    let mapping = dir.path().join("mapping.toml");
    let text = std::fs::read_to_string(repo("assets/vehicle/mapping.toml"))
        .unwrap()
        .replace("MEDIA_Status.Volume", "MEDIA_Status.Loudness");
    std::fs::write(&mapping, text).unwrap();
    let output = cockpit(&[
        "set",
        "Vehicle.Cabin.Infotainment.Media.Volume",
        "10",
        "--map",
        mapping.to_str().unwrap(),
        "--dbc",
        repo("assets/vehicle/reference.dbc").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "Vehicle.Cabin.Infotainment.Media.Volume: message MEDIA_Status has no signal Loudness"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn replay_plays_a_log_with_its_timing() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("short.log");
    std::fs::write(
        &log,
        "(100.000000) can0 0A0#01\n(100.400000) can0 0A0#02\n(100.800000) can0 0A0#03\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let output = cockpit(&[
        "can",
        "replay",
        log.to_str().unwrap(),
        "--to",
        "virtual",
        "--speed",
        "2",
    ]);
    let took = started.elapsed().as_secs_f64();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("replayed 3 frames onto virtual"),
        "{}",
        stderr(&output)
    );
    assert!(took >= 0.4, "0.8 s of log at twice the speed took {took} s");
    let lines: Vec<String> = stdout(&output)
        .lines()
        .map(|l| l.split(' ').skip(1).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        lines,
        ["virtual 0A0#01", "virtual 0A0#02", "virtual 0A0#03"]
    );

    let output = cockpit(&["can", "replay", log.to_str().unwrap(), "--to", "can0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("this kernel has no SocketCAN support")
            || stderr(&output).contains("can0")
    );
}

#[test]
fn the_dashboard_draws_every_screen_without_a_display_and_says_what_to_do_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let shots = dir.path().join("shots");
    let out = cockpit(&[
        "ui",
        "--screenshots",
        shots.to_str().unwrap(),
        "--size",
        "1280x720",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for theme in ["dark", "light"] {
        for screen in ["home", "climate", "body", "lights", "media"] {
            let png = shots.join(format!("{screen}-1280x720-{theme}.png"));
            let bytes = std::fs::read(&png).unwrap();
            assert!(bytes.starts_with(b"\x89PNG"), "{}", png.display());
        }
    }

    let out = Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .arg("ui")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is there a display?"),
        "{}",
        stderr(&out)
    );

    let out = cockpit(&["ui", "--size", "big"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a size like 1920x720"),
        "{}",
        stderr(&out)
    );
}
