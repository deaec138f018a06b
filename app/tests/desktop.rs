//! The dashboard in a real desktop window: `cockpit run` on an X server (Xvfb), driven with
//! xdotool as a user would drive it. The other dashboard tests use Slint's testing backend;
//! this one proves the winit backend and the software renderer open a window and take input.
//! Needs `Xvfb` and `xdotool` (the test set-up installs them); says so and passes without.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Kills the process when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn found(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// An X server on a display number it picks itself, ready once it has said which.
fn x_server() -> (Killed, String) {
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1920x1080x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let stdout = xvfb.stdout.take().expect("Xvfb's stdout");
    let xvfb = Killed(xvfb);
    let mut number = String::new();
    BufReader::new(stdout)
        .read_line(&mut number)
        .expect("Xvfb names its display");
    (xvfb, format!(":{}", number.trim()))
}

fn xdotool(display: &str, args: &[&str]) -> Output {
    Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool runs")
}

fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn journal_text(dir: &Path) -> String {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect()
}

#[test]
fn a_request_typed_into_the_desktop_window_reaches_the_car() {
    if !found("Xvfb") || !found("xdotool") {
        eprintln!("skipped: Xvfb and xdotool are not installed (scripts/test.sh installs them)");
        return;
    }
    let (_xvfb, display) = x_server();
    let home = tempfile::tempdir().expect("temp dir");
    let journal = home.path().join("journal");
    let cockpit = Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .args(["run", "--no-speak", "--duration", "120", "--journal-dir"])
        .arg(&journal)
        .env("DISPLAY", display.as_str())
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cockpit runs");
    let _cockpit = Killed(cockpit);

    let window = wait_for("the dashboard's window", || {
        let output = xdotool(&display, &["search", "--name", "^cockpit$"]);
        let text = String::from_utf8_lossy(&output.stdout);
        text.lines().next().map(str::to_owned)
    });
    let geometry = xdotool(&display, &["getwindowgeometry", &window]);
    let geometry = String::from_utf8_lossy(&geometry.stdout);
    assert!(geometry.contains("1920x720"), "{geometry}");

    // No window manager gives the window focus; then a click on the assistant's text field
    // (its place in the 1920×720 layout: the bottom of the right-hand panel), the words, Enter.
    xdotool(&display, &["windowfocus", "--sync", &window]);
    xdotool(
        &display,
        &[
            "mousemove",
            "--window",
            &window,
            "1680",
            "656",
            "click",
            "1",
        ],
    );
    // Typed into the focused window: events sent to a window by name are marked synthetic,
    // and winit ignores those.
    xdotool(
        &display,
        &["type", "--delay", "20", "turn on the headlights"],
    );
    xdotool(&display, &["key", "Return"]);

    let entry = wait_for("the request in the journal", || {
        let text = journal_text(&journal);
        text.lines()
            .find(|l| l.contains("turn on the headlights"))
            .map(str::to_owned)
    });
    let entry: serde_json::Value = serde_json::from_str(&entry).expect("a JSON line");
    assert_eq!(entry["ended_by"], "typed", "{entry}");
    assert_eq!(entry["plan"], "set low_beam all on", "{entry}");
    assert_eq!(entry["outcomes"][0]["outcome"], "confirmed", "{entry}");
    assert_eq!(
        entry["outcomes"][0]["path"], "Vehicle.Body.Lights.Beam.Low.IsOn",
        "{entry}"
    );
}
