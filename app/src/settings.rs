//! `cockpit run`'s settings: a TOML file in the XDG config folder, every setting overridable
//! by a flag of the same name.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use vehicle::Seat;

use crate::cli::{Bus, RunArgs};

/// What `cockpit run` runs with.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// `virtual` (the simulated car) or a SocketCAN interface.
    pub can: String,
    /// The simulated car's drive (virtual bus only).
    pub drive: String,
    /// The DBC, mapping and catalog of the car (the reference car's when unset).
    pub dbc: Option<PathBuf>,
    /// See `dbc`.
    pub map: Option<PathBuf>,
    /// See `dbc`.
    pub catalog: Option<PathBuf>,
    /// The microphone: a device whose name contains this (the default input when unset).
    pub device: Option<String>,
    /// The seat of a single microphone, and whose screen the dashboard is.
    pub seat: Seat,
    /// The seat of each microphone channel, in order, for a microphone per seat.
    pub seats: Vec<Seat>,
    /// Push-to-talk only (the dashboard's button, or Enter) instead of hands-free.
    pub push_to_talk: bool,
    /// The Whisper model: tiny.en, tiny.en-f16, base.
    pub whisper: String,
    /// CPU threads for Whisper.
    pub threads: usize,
    /// Speak the replies.
    pub speak: bool,
    /// Show the dashboard when there is a display.
    pub dashboard: bool,
    /// The dashboard's light theme.
    pub light: bool,
    /// Where session journals go (one file per session).
    pub journal_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            can: "virtual".into(),
            drive: "parked".into(),
            dbc: None,
            map: None,
            catalog: None,
            device: None,
            seat: Seat::Driver,
            seats: Vec::new(),
            push_to_talk: false,
            whisper: "tiny.en".into(),
            threads: 2,
            speak: true,
            dashboard: true,
            light: false,
            journal_dir: None,
        }
    }
}

/// `$XDG_CONFIG_HOME/cockpit/config.toml`, or `~/.config/cockpit/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("cockpit").join("config.toml"))
}

/// Where journals go unless the settings say: `$XDG_STATE_HOME/cockpit/sessions`, or
/// `~/.local/state/cockpit/sessions`, or `./sessions` without a home.
pub fn default_journal_dir() -> PathBuf {
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/state")))
        .map(|base| base.join("cockpit").join("sessions"))
        .unwrap_or_else(|| PathBuf::from("sessions"))
}

impl Settings {
    /// Parses a settings file's text; `source` names it in errors.
    pub fn parse(text: &str, source: &Path) -> Result<Settings> {
        toml::from_str(text).with_context(|| {
            format!(
                "settings file {} is malformed (every setting is optional; see `cockpit run --help`)",
                source.display()
            )
        })
    }

    /// The file `--config` names (which must exist), or the default one when it exists, or
    /// the defaults; then the flags on top.
    pub fn load(args: &RunArgs) -> Result<Settings> {
        let mut settings = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the settings file {}", path.display()))?;
                Settings::parse(&text, path)?
            }
            None => match default_path().filter(|p| p.is_file()) {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).with_context(|| {
                        format!("cannot read the settings file {}", path.display())
                    })?;
                    Settings::parse(&text, &path)?
                }
                None => Settings::default(),
            },
        };
        settings.override_with(args);
        // Checked here so that a bad value in the file fails like a bad flag.
        settings
            .can
            .parse::<Bus>()
            .map_err(|e| anyhow::anyhow!("can = {:?}: {e}", settings.can))?;
        Ok(settings)
    }

    fn override_with(&mut self, args: &RunArgs) {
        if let Some(can) = &args.can {
            self.can = can.clone();
        }
        if let Some(drive) = &args.drive {
            self.drive = drive.clone();
        }
        if args.car.dbc.is_some() {
            self.dbc = args.car.dbc.clone();
        }
        if args.car.mapping.is_some() {
            self.map = args.car.mapping.clone();
        }
        if args.car.catalog.is_some() {
            self.catalog = args.car.catalog.clone();
        }
        if args.device.is_some() {
            self.device = args.device.clone();
        }
        if let Some(seat) = args.seat {
            self.seat = seat;
        }
        if !args.seats.is_empty() {
            self.seats = args.seats.clone();
        }
        if args.push_to_talk {
            self.push_to_talk = true;
        }
        if let Some(whisper) = &args.whisper {
            self.whisper = whisper.clone();
        }
        if let Some(threads) = args.threads {
            self.threads = threads;
        }
        if args.no_speak {
            self.speak = false;
        }
        if args.no_dashboard {
            self.dashboard = false;
        }
        if args.light {
            self.light = true;
        }
        if args.journal_dir.is_some() {
            self.journal_dir = args.journal_dir.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn run_args(flags: &[&str]) -> RunArgs {
        let mut argv = vec!["cockpit", "run"];
        argv.extend_from_slice(flags);
        match crate::cli::Cli::parse_from(argv).command {
            crate::cli::Command::Run(args) => args,
            other => panic!("not run: {other:?}"),
        }
    }

    #[test]
    fn a_flag_overrides_the_file_and_the_file_the_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "drive = \"city\"\nseat = \"passenger\"\nspeak = false\nseats = [\"driver\", \"passenger\"]\n",
        )
        .expect("write");
        let config = path.to_str().expect("UTF-8");
        let settings =
            Settings::load(&run_args(&["--config", config, "--seat", "driver"])).expect("settings");
        assert_eq!(settings.drive, "city");
        assert_eq!(settings.seat, Seat::Driver, "the flag wins");
        assert!(!settings.speak);
        assert_eq!(settings.seats, [Seat::Driver, Seat::Passenger]);
        assert_eq!(
            settings.whisper, "tiny.en",
            "unset in the file: the default"
        );
    }

    #[test]
    fn a_malformed_file_is_named_with_what_is_wrong() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "colour = \"red\"\n").expect("write");
        let config = path.to_str().expect("UTF-8");
        let error = Settings::load(&run_args(&["--config", config])).expect_err("an error");
        let message = format!("{error:#}");
        assert!(message.contains("config.toml is malformed"), "{message}");
        assert!(message.contains("colour"), "{message}");
        std::fs::write(&path, "can = \"a bad/name\"\n").expect("write");
        let error = Settings::load(&run_args(&["--config", config])).expect_err("an error");
        assert!(format!("{error:#}").contains("a bad/name"), "{error:#}");
    }
}
