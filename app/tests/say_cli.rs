//! `cockpit say` and `cockpit eval` as a user runs them: the JSON contract, refusals by the
//! rules, odd input, and a clear error for a missing or damaged model.

use std::path::Path;
use std::process::{Command, Output};

fn cockpit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .args(args)
        .output()
        .expect("cockpit runs")
}

fn say(utterance: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["say", "--json"];
    args.extend_from_slice(extra);
    args.push(utterance);
    let out = cockpit(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Several utterances in one `cockpit say`: one JSON object per turn.
fn conversation(utterances: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["say", "--json"];
    args.extend_from_slice(utterances);
    let out = cockpit(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn a_request_changes_the_car_and_the_reply_says_what_it_confirmed() {
    let turn = say("open all the windows", &[]);
    let changes = turn["changes"].as_object().unwrap();
    for row in [
        "Row1.DriverSide",
        "Row1.PassengerSide",
        "Row2.DriverSide",
        "Row2.PassengerSide",
    ] {
        assert_eq!(
            changes[&format!("Vehicle.Cabin.Door.{row}.Window.Position")],
            100,
            "{turn}"
        );
    }
    assert_eq!(turn["understood"], true);
    assert_eq!(turn["refused"], false);
    assert_eq!(turn["transcript"], "open all the windows");
    assert!(turn["reply"].as_str().unwrap().contains("open"), "{turn}");
}

#[test]
fn the_rules_refuse_what_is_unsafe_and_say_why() {
    let turn = say("open the trunk", &["--speed", "80"]);
    assert_eq!(turn["refused"], true, "{turn}");
    assert_eq!(turn["changes"].as_object().unwrap().len(), 0);
    assert!(turn["reply"].as_str().unwrap().contains("moving"), "{turn}");
}

#[test]
fn every_number_said_goes_where_it_was_said() {
    // The model planned the front at 20 for the first and the front at 24 with the passenger
    // at 20 (one seat twice) for the second.
    for (said, back, front) in [
        (
            "make it 20 degrees in the back and 22 in the front",
            20.0,
            22.0,
        ),
        ("set the rear to 24 and the front to 20", 24.0, 20.0),
    ] {
        let turn = say(said, &[]);
        let changes = &turn["changes"];
        for (path, want) in [
            ("Vehicle.Cabin.HVAC.Station.Row2.Driver.Temperature", back),
            (
                "Vehicle.Cabin.HVAC.Station.Row2.Passenger.Temperature",
                back,
            ),
            ("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", front),
            (
                "Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature",
                front,
            ),
        ] {
            assert_eq!(changes[path], want, "{said}: {turn}");
        }
    }
}

#[test]
fn a_temperature_asked_in_fahrenheit_is_confirmed_in_it() {
    let turn = say("set it to 72 fahrenheit", &[]);
    assert_eq!(
        turn["reply"], "The temperature on the driver's side is now 72 °F (22 °C).",
        "{turn}"
    );
}

#[test]
fn a_control_the_seat_does_not_have_is_named_plainly() {
    let turn = say("turn up the fan", &["--seat", "rear_left"]);
    assert_eq!(
        turn["reply"], "There is no fan control at your seat.",
        "{turn}"
    );
    assert_eq!(turn["changes"].as_object().unwrap().len(), 0, "{turn}");
}

#[test]
fn questions_are_answered_from_the_car() {
    // The start state of ../shared/spec/signals.md, said in the units a driver reads.
    for (question, flags, answer) in [
        ("what's the battery at", &[][..], "68 %"),
        ("how much range do I have left", &[][..], "312 km"),
        // Charge and range each come with the other: "will I get there" either way.
        ("what's the battery at", &[][..], "312 km"),
        ("how much range do I have left", &[][..], "68 %"),
        ("what's the temperature outside", &[][..], "12 °C"),
        ("how warm is it in here", &[][..], "24 °C"),
        ("how fast are we going", &["--speed", "50"][..], "50 km/h"),
        ("how fast are we going", &[][..], "standing still"),
        // Asked in other units, in those first.
        ("how far can I go in miles", &[][..], "194 miles (312 km)"),
        (
            "how fast am I going in mph",
            &["--speed", "50"][..],
            "31 mph",
        ),
        (
            "what's the temperature outside in fahrenheit",
            &[][..],
            "54 °F (12 °C)",
        ),
    ] {
        let turn = say(question, flags);
        let reply = turn["reply"].as_str().unwrap();
        assert!(reply.contains(answer), "{question}: {turn}");
        assert_eq!(turn["changes"].as_object().unwrap().len(), 0, "{turn}");
    }
}

#[test]
fn odd_input_does_nothing_and_says_so() {
    let long = "la ".repeat(3400);
    for utterance in [
        "",
        long.as_str(),
        "¿dónde está la estación de tren?",
        "\u{7}\u{1b}[0m\t",
    ] {
        let turn = say(utterance, &[]);
        assert_eq!(turn["changes"].as_object().unwrap().len(), 0, "{turn}");
        assert!(!turn["reply"].as_str().unwrap().is_empty());
    }
    let turn = say("请把窗户关上", &[]);
    assert!(
        turn["reply"].as_str().unwrap().contains("English"),
        "{turn}"
    );
    assert_eq!(turn["understood"], false);
}

#[test]
fn a_conversation_follows_the_previous_turn() {
    let turns = conversation(&["make it warmer", "and the passenger side too"]);
    assert_eq!(turns.len(), 2);
    assert_eq!(
        turns[1]["changes"]["Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature"], 22.0,
        "{}",
        turns[1]
    );
}

#[test]
fn a_thing_added_to_the_last_request_is_done_as_it_was() {
    let turns = conversation(&[
        "open the trunk",
        "and the windows",
        "turn on the AC",
        "and the recirculation",
    ]);
    for (turn, path, value) in [
        (1, "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position", 100),
        (
            1,
            "Vehicle.Cabin.Door.Row2.PassengerSide.Window.Position",
            100,
        ),
    ] {
        assert_eq!(turns[turn]["changes"][path], value, "{}", turns[turn]);
    }
    assert_eq!(
        turns[3]["changes"]["Vehicle.Cabin.HVAC.IsRecirculationActive"], true,
        "{}",
        turns[3]
    );
}

#[test]
fn a_question_about_several_seats_is_answered_for_each() {
    let turns = conversation(&[
        "open the rear left window",
        "are the windows closed",
        "heat the passenger seat",
        "is the seat heating on",
    ]);
    let replies: Vec<&str> = turns.iter().map(|t| t["reply"].as_str().unwrap()).collect();
    assert_eq!(
        replies[1], "The window is fully open at the rear left and closed elsewhere.",
        "not from the driver's window alone"
    );
    assert_eq!(
        replies[3], "Seat heating on the passenger side is at level 2.",
        "a question naming no seat asks where the last request was"
    );
}

#[test]
fn a_question_back_is_answered_and_a_change_undone() {
    let turns = conversation(&["set the temperature", "23", "open my window", "undo that"]);
    assert_eq!(turns[0]["understood"], false, "{}", turns[0]);
    assert!(
        turns[0]["reply"].as_str().unwrap().contains("degrees"),
        "{}",
        turns[0]
    );
    assert_eq!(
        turns[1]["changes"]["Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"], 23.0,
        "{}",
        turns[1]
    );
    let window = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";
    assert_eq!(turns[2]["changes"][window], 100, "{}", turns[2]);
    assert_eq!(turns[3]["changes"][window], 0, "{}", turns[3]);
}

#[test]
fn a_missing_or_damaged_model_is_named_with_how_to_rebuild_it() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/model");
    let dir = tempfile::tempdir().unwrap();
    for file in ["model.toml", "tokenizer.json"] {
        std::fs::copy(shipped.join(file), dir.path().join(file)).unwrap();
    }
    let model = dir.path().join("model.onnx");
    let missing = cockpit(&["say", "--model", dir.path().to_str().unwrap(), "hello"]);
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success());
    assert!(
        message.contains("model.onnx") && message.contains("training.cockpit_lm.train"),
        "{message}"
    );

    let bytes = std::fs::read(shipped.join("model.onnx")).unwrap();
    std::fs::write(&model, &bytes[..bytes.len() / 2]).unwrap();
    let damaged = cockpit(&["say", "--model", dir.path().to_str().unwrap(), "hello"]);
    let message = String::from_utf8_lossy(&damaged.stderr);
    assert!(!damaged.status.success());
    assert!(
        message.contains("model.onnx") && message.contains("damaged"),
        "{message}"
    );
}

#[test]
fn eval_reports_accuracy_and_latency_on_a_labelled_set() {
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/model/eval/test_random.jsonl");
    let sample: String = std::fs::read_to_string(shipped)
        .unwrap()
        .lines()
        .take(150)
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sample.jsonl");
    std::fs::write(&file, sample).unwrap();
    let out = cockpit(&["eval", "--json", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["examples"], 150);
    assert!(report["exact"].as_f64().unwrap() >= 90.0, "{report}");
    assert!(report["latency_ms"]["p95"].as_f64().unwrap() > 0.0);

    std::fs::write(&file, "{\"utterance\": \"hi\"}\n").unwrap();
    let bad = cockpit(&["eval", file.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sample.jsonl:1"));
}

#[test]
fn a_card_the_model_does_not_know_is_an_error_naming_those_it_does() {
    let output = cockpit(&["say", "--card", "sunrof", "close it"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--card sunrof") && stderr.contains("sunroof, shade"),
        "{stderr}"
    );
    let turn = say("open it", &["--card", "sunroof"]);
    assert_eq!(
        turn["changes"]["Vehicle.Cabin.Sunroof.Position"], 100,
        "{turn}"
    );
}

#[test]
fn a_seat_before_a_colon_speaks_that_utterance() {
    let turns = conversation(&["open all the windows", "passenger: not mine"]);
    let changes = turns[1]["changes"].as_object().unwrap();
    assert_eq!(
        changes["Vehicle.Cabin.Door.Row1.PassengerSide.Window.Position"], 0,
        "{}",
        turns[1]
    );
    // Said from the driver's seat, "not mine" would have closed the driver's window.
    assert!(
        !changes.contains_key("Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"),
        "{}",
        turns[1]
    );
    assert_eq!(turns[1]["transcript"], "not mine");
}
