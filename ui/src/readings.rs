//! The view model's half that shows: the car's reported signals, formatted for the screen.
//!
//! Pure: a snapshot of [`VehicleState`](vehicle::state::VehicleState) in, [`Shown`] values out,
//! so the rules (stale is unknown, a changing position is moving) are tested without a window.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use vehicle::catalog::{DataType, Metadata, StringFormat};
use vehicle::state::Datapoint;
use vehicle::{Catalog, Gear, Value};

/// A position reported as changed within this long counts as still moving. Status frames come
/// every 100 ms, so a travelling window changes several times in this window and a stopped
/// one stops showing as moving half a second after its last step.
pub const MOVING_FOR: Duration = Duration::from_millis(500);

/// What the screen shows for one signal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    /// False when stale or never reported.
    pub known: bool,
    /// A switch that is on, or a position that is not closed.
    pub on: bool,
    /// The number in the signal's unit (0 when unknown or not a number).
    pub value: f64,
    /// The value as the screen writes it.
    pub text: String,
    /// The value as the catalog writes it.
    pub raw: String,
    /// For colours: red, green, blue.
    pub rgb: Option<[u8; 3]>,
    /// The value changed within the last half second.
    pub moving: bool,
}

/// What the screen writes for a value the car has not reported (or stopped reporting).
pub const UNKNOWN: &str = "—";

/// Every signal as shown, kept current from snapshots.
#[derive(Default)]
pub struct Readings {
    shown: HashMap<String, Shown>,
    /// When each signal's value last changed, and to what.
    changes: HashMap<String, (Option<Value>, Instant)>,
}

impl Readings {
    /// Takes in a snapshot of the car's state at `now`; returns whether anything shown changed.
    pub fn update(
        &mut self,
        catalog: &Catalog,
        snapshot: &BTreeMap<String, Datapoint>,
        now: Instant,
    ) -> bool {
        let mut changed = false;
        for meta in catalog.entries() {
            let path = meta.path();
            let value = snapshot.get(path).and_then(|d| d.value.clone());
            let since = match self.changes.get(path) {
                Some((previous, at)) if *previous == value => *at,
                // A change between two reports is a movement; the first report (or the first
                // after a silence) is not: the window was already there.
                Some((Some(_), _)) if value.is_some() => now,
                _ => now - MOVING_FOR,
            };
            self.changes.insert(path.to_owned(), (value.clone(), since));
            let moving = value.is_some() && now.duration_since(since) < MOVING_FOR;
            let shown = show(meta, value.as_ref(), moving);
            if self.shown.get(path) != Some(&shown) {
                self.shown.insert(path.to_owned(), shown);
                changed = true;
            }
        }
        changed
    }

    /// How `path` shows now; unknown when it was never reported or is not in the catalog.
    pub fn get(&self, path: &str) -> Shown {
        self.shown.get(path).cloned().unwrap_or_else(unknown)
    }
}

fn unknown() -> Shown {
    Shown {
        text: UNKNOWN.to_owned(),
        ..Shown::default()
    }
}

/// A value of `path` as the screen writes it ("Heat 2", "Open", "22.0 °C"); a path the
/// catalog does not have is written as the value is.
pub fn value_text(catalog: &Catalog, path: &str, value: &Value) -> String {
    match catalog.get(path) {
        Some(meta) => show(meta, Some(value), false).text,
        None => value.to_string(),
    }
}

/// A signal's name inside a sentence: "the front left window", but "the A/C".
pub fn name_in_sentence(meta: &Metadata) -> String {
    let name = meta.name();
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => first
            .to_lowercase()
            .chain(name[first.len_utf8()..].chars())
            .collect(),
        _ => name.to_owned(),
    }
}

/// How one signal's value shows.
pub fn show(meta: &Metadata, value: Option<&Value>, moving: bool) -> Shown {
    let Some(value) = value else {
        return unknown();
    };
    let number = value.as_f64().unwrap_or(0.0);
    let path = meta.path();
    let text = match value {
        Value::Bool(on) => switch_text(path, *on).to_owned(),
        Value::String(s) if is_colour(meta) => colour_name(s),
        Value::String(s) => choice_name(s),
        _ if path.ends_with("SelectedGear") => Gear::from_vss(number as i64)
            .map(|g| g.letter().to_owned())
            .unwrap_or_else(|| UNKNOWN.to_owned()),
        _ if path.ends_with("Position") => position_text(number, moving),
        _ if path.ends_with("HeatingCooling") => seat_text(number),
        _ => number_text(meta, number),
    };
    Shown {
        known: true,
        on: match value {
            Value::Bool(on) => *on,
            Value::String(_) => true,
            _ => number != 0.0,
        },
        value: number,
        text,
        raw: match value {
            Value::Float(x) => format!("{x}"),
            other => other.to_string(),
        },
        rgb: match value {
            Value::String(s) if is_colour(meta) => parse_rgb(s),
            _ => None,
        },
        moving,
    }
}

fn is_colour(meta: &Metadata) -> bool {
    matches!(meta.format(), Some(StringFormat::RgbHex))
}

/// How a switch's state reads: "Locked", "Open", "On".
pub fn switch_text(path: &str, on: bool) -> &'static str {
    match (path.ends_with("IsLocked"), path.ends_with("IsOpen"), on) {
        (true, _, true) => "Locked",
        (true, _, false) => "Unlocked",
        (_, true, true) => "Open",
        (_, true, false) => "Closed",
        (_, _, true) => "On",
        (_, _, false) => "Off",
    }
}

fn position_text(percent: f64, moving: bool) -> String {
    let percent = percent.round();
    match (moving, percent) {
        (true, _) => format!("Moving · {percent:.0} %"),
        (false, p) if p <= 0.0 => "Closed".to_owned(),
        (false, p) if p >= 100.0 => "Open".to_owned(),
        (false, p) => format!("{p:.0} % open"),
    }
}

/// Seat heating and ventilation come in three levels each: 33, 66 and 100 %.
fn seat_text(percent: f64) -> String {
    let level = (percent.abs() / 33.4).ceil() as i64;
    match percent {
        p if p > 0.0 => format!("Heat {level}"),
        p if p < 0.0 => format!("Cool {level}"),
        _ => "Off".to_owned(),
    }
}

fn number_text(meta: &Metadata, number: f64) -> String {
    match meta.unit() {
        Some("°C") => format!("{number:.1} °C"),
        Some("km/h") => format!("{number:.0} km/h"),
        // Range is reported in metres; drivers read kilometres.
        Some("m") => format!("{:.0} km", number / 1000.0),
        Some("%") => format!("{number:.0} %"),
        Some(unit) => format!("{number} {unit}"),
        None if meta.data_type() == DataType::Float => format!("{number:.1}"),
        None => format!("{number}"),
    }
}

/// "SKIP_FORWARD" → "Skip forward"; the screen's buttons use their own short names.
fn choice_name(value: &str) -> String {
    let lower = value.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The names the dashboard's swatches and the agent use for the usual colours.
const COLOURS: [(&str, &str); 11] = [
    ("FFFFFF", "White"),
    ("FFD8A8", "Warm white"),
    ("FF0000", "Red"),
    ("FFA500", "Orange"),
    ("FFFF00", "Yellow"),
    ("00FF00", "Green"),
    ("0000FF", "Blue"),
    ("800080", "Purple"),
    ("FFC0CB", "Pink"),
    ("00FFFF", "Cyan"),
    ("FF00FF", "Magenta"),
];

fn colour_name(hex: &str) -> String {
    COLOURS
        .iter()
        .find(|(h, _)| h.eq_ignore_ascii_case(hex))
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| format!("#{}", hex.to_uppercase()))
}

fn parse_rgb(hex: &str) -> Option<[u8; 3]> {
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Units a sentence on the screen writes after a number.
const UNITS: [&str; 6] = ["°C", "°F", "%", "km/h", "km", "min"];

/// `text` with a narrow no-break space (U+202F, the SI's space between a number and its unit)
/// between a number and its unit, so that a wrapped reply or chip never ends a line with
/// "22" and starts the next with "°C". Slint 1.18's software renderer breaks lines at the
/// plain no-break space (U+00A0), so that one would not do.
pub fn keep_units_on_the_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_digit = false;
    for (at, c) in text.char_indices() {
        let rest = &text[at + c.len_utf8()..];
        let unit_follows = UNITS.iter().any(|unit| {
            rest.strip_prefix(unit)
                .is_some_and(|tail| !tail.starts_with(char::is_alphanumeric))
        });
        out.push(if c == ' ' && after_digit && unit_follows {
            '\u{202f}'
        } else {
            c
        });
        after_digit = c.is_ascii_digit();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_and_its_unit_stay_on_one_line() {
        assert_eq!(
            keep_units_on_the_line("now 22.5 °C, 40 % open, 312 km at 50 km/h, 10 minutes"),
            "now 22.5\u{202f}°C, 40\u{202f}% open, 312\u{202f}km at 50\u{202f}km/h, 10 minutes"
        );
        assert_eq!(
            keep_units_on_the_line("level 2 % of"),
            "level 2\u{202f}% of"
        );
        assert_eq!(keep_units_on_the_line("at 3 kmph"), "at 3 kmph");
    }

    fn catalog() -> Catalog {
        vehicle::reference::catalog()
    }

    fn point(value: Option<Value>) -> Datapoint {
        Datapoint {
            stale: value.is_none(),
            value,
            timestamp_us: 0,
            age: Duration::ZERO,
        }
    }

    const WINDOW: &str = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position";

    #[test]
    fn a_signal_never_reported_or_gone_stale_shows_as_unknown() {
        let catalog = catalog();
        let mut readings = Readings::default();
        let now = Instant::now();
        readings.update(&catalog, &BTreeMap::new(), now);
        assert_eq!(readings.get(WINDOW).text, UNKNOWN);
        assert!(!readings.get(WINDOW).known);

        let reported = BTreeMap::from([(WINDOW.to_owned(), point(Some(Value::Int(40))))]);
        readings.update(&catalog, &reported, now);
        assert_eq!(readings.get(WINDOW).text, "40 % open");

        let stale = BTreeMap::from([(WINDOW.to_owned(), point(None))]);
        assert!(readings.update(&catalog, &stale, now + Duration::from_secs(1)));
        assert_eq!(readings.get(WINDOW), unknown());
    }

    #[test]
    fn a_position_that_keeps_changing_shows_as_moving_until_it_stops() {
        let catalog = catalog();
        let mut readings = Readings::default();
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let report = |p: i64| BTreeMap::from([(WINDOW.to_owned(), point(Some(Value::Int(p))))]);
        readings.update(&catalog, &report(100), at(0));
        assert!(
            !readings.get(WINDOW).moving,
            "the first report is where it is"
        );
        readings.update(&catalog, &report(90), at(100));
        assert!(readings.get(WINDOW).moving);
        assert_eq!(readings.get(WINDOW).text, "Moving · 90 %");
        readings.update(&catalog, &report(80), at(200));
        readings.update(&catalog, &report(80), at(600));
        assert!(readings.get(WINDOW).moving, "stopped for only 400 ms");
        readings.update(&catalog, &report(80), at(800));
        assert!(!readings.get(WINDOW).moving);
        assert_eq!(readings.get(WINDOW).text, "80 % open");
    }

    #[test]
    fn values_are_written_the_way_a_driver_reads_them() {
        let catalog = catalog();
        let shown = |path: &str, value: Value| {
            let meta = catalog.get(path).unwrap();
            show(meta, Some(&value), false).text
        };
        assert_eq!(
            shown(
                "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
                Value::Float(21.5)
            ),
            "21.5 °C"
        );
        assert_eq!(
            shown("Vehicle.Powertrain.Range", Value::Int(312_000)),
            "312 km"
        );
        assert_eq!(
            shown(
                "Vehicle.Powertrain.Transmission.SelectedGear",
                Value::Int(127)
            ),
            "D"
        );
        assert_eq!(
            shown(
                "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked",
                Value::Bool(true)
            ),
            "Locked"
        );
        assert_eq!(
            shown("Vehicle.Body.Trunk.Rear.IsOpen", Value::Bool(false)),
            "Closed"
        );
        assert_eq!(
            shown(
                "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling",
                Value::Int(66)
            ),
            "Heat 2"
        );
        assert_eq!(
            shown(
                "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling",
                Value::Int(-100)
            ),
            "Cool 3"
        );
        assert_eq!(
            shown(
                "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color",
                Value::String("0000ff".into())
            ),
            "Blue"
        );
        assert_eq!(
            shown(
                "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color",
                Value::String("123456".into())
            ),
            "#123456"
        );
        assert_eq!(
            shown(
                "Vehicle.Cabin.Infotainment.Media.Action",
                Value::String("SKIP_FORWARD".into())
            ),
            "Skip forward"
        );
    }
}
